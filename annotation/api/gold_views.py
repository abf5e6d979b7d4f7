"""Gold items (known answers) and annotators' accuracy on them, for owners and managers only.

Every endpoint asks for MANAGE_MEMBERS (owners and managers, who also generate assignments)
before looking anything up, so an annotator gets the same 403 for any item id and cannot probe
which items are gold.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.services.gold import GoldRejected, gold_accuracy, gold_delete, gold_get, gold_list, gold_set
from projects.api.access import project_for
from projects.models import Project
from projects.permissions import Capability

from .gold_serializers import (
    GoldAccuracySerializer,
    GoldCreateSerializer,
    GoldItemSerializer,
    GoldRejectedSerializer,
    GoldUpdateSerializer,
)

GOLD_CAPABILITY = Capability.MANAGE_MEMBERS


def _stored(request: Request, project: Project, item_id: int, values: Any, status_code: int) -> Response:
    """Create and update store alike; values that do not fit the schema answer 400 with each path."""
    try:
        saved, _ = gold_set(project=project, item_id=item_id, values=values, user=request.user)
    except GoldRejected as exc:
        body = {"detail": exc.message, "errors": [e.as_dict() for e in exc.errors]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return Response(GoldItemSerializer(saved).data, status=status_code)


class GoldListView(APIView):
    @extend_schema(responses=GoldItemSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=GOLD_CAPABILITY)
        return Response(GoldItemSerializer(gold_list(project=project), many=True).data)

    @extend_schema(
        request=GoldCreateSerializer,
        responses={201: GoldItemSerializer, 400: GoldRejectedSerializer, 409: GoldRejectedSerializer},
        description="Mark an item as gold; 409 when it already is (use PUT on the item to change it).",
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=GOLD_CAPABILITY)
        serializer = GoldCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item_id = data["item"]
        if gold_get(project=project, item_id=item_id) is not None:
            body = {"detail": f"Item {item_id} is already gold; PUT to change its values.", "errors": []}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return _stored(request, project, item_id, data["values"], status.HTTP_201_CREATED)


class GoldDetailView(APIView):
    def _found(self, request: Request, project_id: int, item_id: int):
        project = project_for(user=request.user, project_id=project_id, capability=GOLD_CAPABILITY)
        found = gold_get(project=project, item_id=item_id)
        if found is None:
            raise NotFound("This item is not gold.")
        return project, found

    @extend_schema(responses=GoldItemSerializer)
    def get(self, request: Request, project_id: int, item_id: int) -> Response:
        _, found = self._found(request, project_id, item_id)
        return Response(GoldItemSerializer(found).data)

    @extend_schema(
        request=GoldUpdateSerializer, responses={200: GoldItemSerializer, 400: GoldRejectedSerializer}
    )
    def put(self, request: Request, project_id: int, item_id: int) -> Response:
        project, _ = self._found(request, project_id, item_id)
        serializer = GoldUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _stored(request, project, item_id, serializer.validated_data["values"], status.HTTP_200_OK)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int, item_id: int) -> Response:
        project, _ = self._found(request, project_id, item_id)
        gold_delete(project=project, item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GoldAccuracyView(APIView):
    @extend_schema(responses=GoldAccuracySerializer)
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=GOLD_CAPABILITY)
        return Response(GoldAccuracySerializer(gold_accuracy(project=project)).data)
