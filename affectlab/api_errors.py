"""One JSON error shape for every API failure, including ones Django raises itself.

Django signals a body that is too big, has too many parts, or stopped arriving with
its own exceptions, which DRF leaves alone and Django would turn into an HTML page
(or a 500 for a broken connection). Here they become JSON 4xx answers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import UnreadablePostError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, SuspiciousOperation):
        return Response(
            {"detail": "The request was refused as malformed."}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, UnreadablePostError):
        return Response(
            {"detail": "The request body stopped arriving before it was complete; send it again."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


def not_found_handler(request, exception):  # noqa: ANN001 - Django's handler404 signature
    """Unrouted API paths answer in JSON like the rest of the API; pages keep Django's 404 page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def server_error_handler(request):  # noqa: ANN001 - Django's handler500 signature
    """An API client gets JSON even when something failed that no view caught."""
    from django.http import JsonResponse
    from django.views.defaults import server_error

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal server error; the server log has details."}, status=500)
    return server_error(request)
