"""Assignment endpoints: settings, generation, an annotator's queue, and the review list."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.models import Annotation
from annotation.selectors import (
    annotation_settings_get,
    assignment_list_for_review,
    assignment_next,
    assignment_progress,
    assignment_progress_by_annotator,
    assignment_queue,
    label_schema_current,
)
from annotation.services.assignments import annotation_settings_set, assignments_generate
from projects.api.access import project_for
from projects.permissions import Capability

from .work_serializers import (
    AnnotationSettingsSerializer,
    AnnotatorProgressSerializer,
    AssignmentSerializer,
    GenerateResultSerializer,
    QueueNextSerializer,
    RevisionSerializer,
)


class AnnotationSettingsView(APIView):
    """How many annotators each item gets (K) and how they are chosen."""

    @extend_schema(responses=AnnotationSettingsSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.VIEW)
        return Response(AnnotationSettingsSerializer(annotation_settings_get(project=project)).data)

    @extend_schema(request=AnnotationSettingsSerializer, responses=AnnotationSettingsSerializer)
    def put(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.MANAGE_MEMBERS)
        serializer = AnnotationSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = annotation_settings_set(project=project, **serializer.validated_data)
        return Response(AnnotationSettingsSerializer(saved).data)


class AssignmentGenerateView(APIView):
    @extend_schema(
        request=None,
        responses=GenerateResultSerializer,
        description="Assign every ready item below K to annotators; running it again adds nothing.",
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.MANAGE_MEMBERS)
        result = assignments_generate(project=project)
        return Response(GenerateResultSerializer(result).data, status=status.HTTP_200_OK)


class AssignmentListView(APIView):
    """Every assignment of the project with its state, for reviewers and managers."""

    @extend_schema(responses=AssignmentSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.REVIEW)
        assignments = assignment_list_for_review(project=project)
        if annotator := request.query_params.get("annotator"):
            assignments = assignments.filter(annotator__username=annotator)
        if state := request.query_params.get("state"):
            assignments = assignments.filter(state=state)
        return Response(AssignmentSerializer(assignments, many=True).data)


class AssignmentProgressView(APIView):
    """Progress per annotator, for managers and reviewers."""

    @extend_schema(responses=AnnotatorProgressSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.REVIEW)
        rows = assignment_progress_by_annotator(project=project)
        return Response(AnnotatorProgressSerializer(rows, many=True).data)


class QueueListView(APIView):
    """The caller's own assignments, in work order."""

    @extend_schema(responses=AssignmentSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.ANNOTATE)
        queue = assignment_queue(project=project, user=request.user).select_related("annotator")
        return Response(AssignmentSerializer(queue, many=True).data)


class QueueNextView(APIView):
    """The caller's next unfinished assignment (rejected ones first) with the item and progress."""

    @extend_schema(responses=QueueNextSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.ANNOTATE)
        progress = assignment_progress(project=project, user=request.user)
        nxt = assignment_next(project=project, user=request.user)
        body = {
            "assignment": None,
            "schema_version": None,
            "schema": None,
            "latest": None,
            "progress": progress,
        }
        if nxt is not None:
            annotation = Annotation.objects.filter(assignment=nxt).select_related("schema").first()
            schema = annotation.schema if annotation else label_schema_current(project=project)
            latest = annotation.revisions.order_by("-number").first() if annotation else None
            body.update(
                assignment=AssignmentSerializer(nxt).data,
                schema_version=schema.version if schema else None,
                schema=schema.definition if schema else None,
                latest=RevisionSerializer(latest).data if latest else None,
            )
        return Response(body)
