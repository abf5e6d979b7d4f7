"""The product's URLs plus ``/bench/bare/``: the baseline the annotation-save benchmark compares with.

The bare endpoint goes through the same middleware, DRF authentication (the token is looked up
in the database) and permission check as every API view, parses the same JSON body and answers
with a small JSON object, but stores nothing: what a save costs beyond that is the price of the
annotation service itself.
"""

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from affectlab.urls import urlpatterns as product_urlpatterns


class BareSaveView(APIView):
    def put(self, request: Request) -> Response:
        values = request.data.get("values") if isinstance(request.data, dict) else None
        key = request.headers.get("Idempotency-Key", "")
        return Response({"user": request.user.pk, "key": key, "fields": len(values or {})}, status=201)


urlpatterns = [path("bench/bare/", BareSaveView.as_view()), *product_urlpatterns]
