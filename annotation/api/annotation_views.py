"""An assignment's annotation: read its latest revision and history, save a revision, review."""

from __future__ import annotations

from functools import cache
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.fields import Field
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.models import Annotation, AnnotationRevision, Assignment
from annotation.selectors import annotation_revisions, assignment_save_target, assignment_visible
from annotation.services.annotations import (
    IdempotencyMismatch,
    NoSchema,
    NotEditable,
    SaveRefused,
    StaleRevision,
    ValuesRejected,
    annotation_save,
)
from annotation.services.reviews import assignment_review
from projects.permissions import Capability
from projects.selectors import user_can

from .work_serializers import (
    AnnotationSaveSerializer,
    AnnotationStateSerializer,
    AssignmentSerializer,
    ConflictSerializer,
    DetailSerializer,
    ReviewSerializer,
    RevisionSerializer,
    RevisionSummarySerializer,
    SaveResultSerializer,
    ValuesRejectedSerializer,
)

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="one new key per save; a retry of the same save reuses it and stores nothing new",
)


def _visible_assignment(request: Request, assignment_id: int) -> Assignment:
    assignment = assignment_visible(user=request.user, assignment_id=assignment_id)
    if assignment is None:
        raise NotFound("No such assignment.")
    return assignment


def _idempotency_key(request: Request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        raise ValidationError({"detail": "Send an Idempotency-Key header (a new random value per save)."})
    if len(key) > 200 or not key.isascii() or not key.isprintable():
        raise ValidationError({"detail": "Idempotency-Key must be at most 200 printable ASCII characters."})
    return key


def _state_body(assignment: Assignment) -> dict:
    annotation = Annotation.objects.filter(assignment=assignment).select_related("schema").first()
    revisions = list(annotation_revisions(assignment=assignment))
    return {
        "assignment": AssignmentSerializer(assignment).data,
        "schema_version": annotation.schema.version if annotation else None,
        "latest": RevisionSerializer(revisions[0]).data if revisions else None,
        "history": RevisionSummarySerializer(revisions, many=True).data,
    }


class AnnotationView(APIView):
    """Only the assignee saves; the assignee and the project's reviewers read."""

    @extend_schema(responses=AnnotationStateSerializer)
    def get(self, request: Request, assignment_id: int) -> Response:
        return Response(_state_body(_visible_assignment(request, assignment_id)))

    @extend_schema(
        request=AnnotationSaveSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: SaveResultSerializer,
            200: SaveResultSerializer,
            400: ValuesRejectedSerializer,
            409: ConflictSerializer,
            422: DetailSerializer,
        },
        description=(
            "Store a new revision based on `base_revision` (null for the first). A stale base gets 409 "
            "with the latest and the rejected values, storing nothing. A retry with the same "
            "Idempotency-Key and body returns the stored revision (200)."
        ),
    )
    def put(self, request: Request, assignment_id: int) -> Response:
        # One query answers both "may this user save here?" and what the save checks before
        # locking (autosave sends this every few seconds from every open labeling page).
        target = assignment_save_target(assignment_id=assignment_id)
        if target is None or not target.annotatable_by(request.user):
            # Tell "not yours to see" (404) from "visible but not yours to save" (403).
            _visible_assignment(request, assignment_id)
            raise PermissionDenied("Only the annotator this item is assigned to can save its annotation.")
        key = _idempotency_key(request)
        data = _save_request(request.data)
        try:
            result = annotation_save(
                assignment_id=assignment_id, author=request.user, idempotency_key=key, target=target, **data
            )
        except SaveRefused as exc:
            return _refusal(exc, data)
        body = {"revision": revision_data(result.revision), "assignment_state": result.assignment_state}
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


def _save_request(data: Any) -> dict:
    """A save's body as ``AnnotationSaveSerializer`` validates it.

    A body as the labeling page sends it (``base_revision`` null or a positive integer,
    ``values`` present, ``submit`` a boolean or left out) is taken as it is, which is what the
    serializer would return for it; anything else goes through the serializer, for its
    coercions and its error messages. Building the serializer's fields costs more CPU than the
    rest of the check on every autosave.
    """
    if type(data) is dict:
        base = data.get("base_revision", False)
        submit = data.get("submit", False)
        values = data.get("values")
        if (
            (base is None or (type(base) is int and base >= 1))
            and values is not None
            and type(submit) is bool
        ):
            return {"base_revision": base, "values": values, "submit": submit}
    serializer = AnnotationSaveSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@cache
def _revision_fields() -> list[Field]:
    return list(RevisionSerializer().fields.values())


def revision_data(revision: AnnotationRevision) -> dict:
    """``RevisionSerializer(revision).data``, with the serializer's fields built once per process.

    A ModelSerializer builds its fields from the model on every instantiation, which cost more
    CPU than the rest of the answer to a save; the fields themselves keep no state per object.
    """
    body = {}
    for field in _revision_fields():
        value = field.get_attribute(revision)
        body[field.field_name] = None if value is None else field.to_representation(value)
    return body


def _refusal(exc: SaveRefused, data: dict) -> Response:
    if isinstance(exc, StaleRevision):
        body = {
            "detail": exc.message,
            "latest": RevisionSerializer(exc.latest).data if exc.latest else None,
            "rejected": {
                "base_revision": data["base_revision"],
                "values": data["values"],
                "submit": data["submit"],
            },
        }
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ValuesRejected):
        body = {"detail": exc.message, "errors": [e.as_dict() for e in exc.errors]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IdempotencyMismatch):
        return Response({"detail": exc.message}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, NoSchema | NotEditable):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)


class AssignmentReviewView(APIView):
    @extend_schema(
        request=ReviewSerializer,
        responses={200: AssignmentSerializer, 400: ValuesRejectedSerializer, 409: DetailSerializer},
        description="accept, reject (needs a comment; the item returns to the annotator) or adjudicate.",
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = _visible_assignment(request, assignment_id)
        if not user_can(user=request.user, project=assignment.project, capability=Capability.REVIEW):
            raise PermissionDenied("Your role in this project does not allow 'review'.")
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            reviewed = assignment_review(
                assignment_id=assignment.pk, reviewer=request.user, **serializer.validated_data
            )
        except ValuesRejected as exc:
            body = {"detail": exc.message, "errors": [e.as_dict() for e in exc.errors]}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        except SaveRefused as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        reviewed = Assignment.objects.select_related("item", "annotator").get(pk=reviewed.pk)
        return Response(AssignmentSerializer(reviewed).data)
