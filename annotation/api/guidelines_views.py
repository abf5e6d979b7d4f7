"""A project's labeling guidelines: every member reads them, owners edit them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.models import ProjectGuidelines
from annotation.services.guidelines import (
    GuidelinesRejected,
    guidelines_get,
    guidelines_set,
    render_markdown,
)
from projects.api.access import project_for
from projects.permissions import Capability

from .guidelines_serializers import GuidelinesSerializer, GuidelinesWriteSerializer


def _body(found: ProjectGuidelines) -> dict:
    return GuidelinesSerializer(
        {
            "markdown": found.markdown,
            "html": render_markdown(found.markdown),
            "updated_at": found.updated_at,
            "updated_by": found.updated_by.get_username() if found.updated_by else None,
        }
    ).data


class ProjectGuidelinesView(APIView):
    @extend_schema(responses=GuidelinesSerializer, description="404 while the project has no guidelines.")
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.VIEW)
        found = guidelines_get(project=project)
        if found is None:
            raise NotFound("This project has no guidelines yet.")
        return Response(_body(found))

    @extend_schema(request=GuidelinesWriteSerializer, responses=GuidelinesSerializer)
    def put(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.CHANGE_SCHEMA)
        serializer = GuidelinesWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            saved = guidelines_set(
                project=project, markdown=serializer.validated_data["markdown"], user=request.user
            )
        except GuidelinesRejected as exc:
            raise ValidationError({"markdown": [exc.message]}) from exc
        return Response(_body(guidelines_get(project=saved.project)))
