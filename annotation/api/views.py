"""Label-schema endpoints: read the current version and its history, publish a new one, templates."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.selectors import label_schema_current, label_schema_get, label_schema_versions
from annotation.services import SchemaRejected, schema_publish, schema_publish_template
from annotation.templates_builtin import TEMPLATES
from projects.api.access import project_for
from projects.permissions import Capability

from .serializers import (
    LabelSchemaSerializer,
    SchemaPublishSerializer,
    SchemaRejectedSerializer,
    SchemaTemplateSerializer,
)


class SchemaTemplateListView(APIView):
    @extend_schema(responses=SchemaTemplateSerializer(many=True))
    def get(self, request: Request) -> Response:
        templates = [
            {
                "slug": t.slug,
                "title": t.title,
                "description": t.description,
                "citation": t.citation,
                "definition": t.build(),
            }
            for t in TEMPLATES.values()
        ]
        return Response(SchemaTemplateSerializer(templates, many=True).data)


class ProjectSchemaView(APIView):
    """The project's current label schema; owners publish new versions here."""

    @extend_schema(responses=LabelSchemaSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.VIEW)
        schema = label_schema_current(project=project)
        if schema is None:
            raise NotFound("This project has no label schema yet.")
        return Response(LabelSchemaSerializer(schema).data)

    @extend_schema(
        request=SchemaPublishSerializer,
        responses={201: LabelSchemaSerializer, 200: LabelSchemaSerializer, 400: SchemaRejectedSerializer},
        description=(
            "Publish a new version from a definition or a built-in template. An unchanged definition "
            "returns the current version (200). Removing or renaming fields or classes needs "
            "class_mapping; existing annotations keep the version they were made under."
        ),
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.CHANGE_SCHEMA)
        serializer = SchemaPublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        previous = label_schema_current(project=project)
        common = {
            "project": project,
            "user": request.user,
            "class_mapping": data.get("class_mapping"),
            "note": data["note"],
        }
        try:
            if "template" in data:
                schema = schema_publish_template(template=data["template"], **common)
            else:
                schema = schema_publish(definition=data["definition"], **common)
        except SchemaRejected as exc:
            body = {"detail": exc.message, "errors": [e.as_dict() for e in exc.errors]}
            if exc.unmapped:
                body["unmapped"] = exc.unmapped
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        unchanged = previous is not None and schema.pk == previous.pk
        code = status.HTTP_200_OK if unchanged else status.HTTP_201_CREATED
        return Response(LabelSchemaSerializer(schema).data, status=code)


class ProjectSchemaVersionListView(APIView):
    @extend_schema(responses=LabelSchemaSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.VIEW)
        return Response(LabelSchemaSerializer(label_schema_versions(project=project), many=True).data)


class ProjectSchemaVersionDetailView(APIView):
    @extend_schema(responses=LabelSchemaSerializer)
    def get(self, request: Request, project_id: int, version: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.VIEW)
        schema = label_schema_get(project=project, version=version)
        if schema is None:
            raise NotFound(f"This project has no label schema version {version}.")
        return Response(LabelSchemaSerializer(schema).data)
