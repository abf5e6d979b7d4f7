"""Reads of label schemas, assignments and annotations, always scoped to what the caller may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BigIntegerField, Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from annotation.models import (
    AnnotationRevision,
    AnnotationSettings,
    Assignment,
    AssignmentState,
    LabelSchema,
)
from projects.models import Membership, Project
from projects.permissions import Capability, role_allows
from projects.selectors import project_list_for_user, user_can

OPEN_STATES = (AssignmentState.ASSIGNED, AssignmentState.REJECTED)


def label_schema_versions(*, project: Project) -> QuerySet[LabelSchema]:
    """Every version, newest first."""
    return project.label_schemas.select_related("created_by").order_by("-version")


def label_schema_current(*, project: Project) -> LabelSchema | None:
    return label_schema_versions(project=project).first()


def label_schema_get(*, project: Project, version: int) -> LabelSchema | None:
    return label_schema_versions(project=project).filter(version=version).first()


def annotation_settings_get(*, project: Project) -> AnnotationSettings:
    """The project's settings, or unsaved defaults (K=1, round-robin) when none were set."""
    found = AnnotationSettings.objects.filter(project=project).first()
    return found or AnnotationSettings(project=project)


def assignment_queue(*, project: Project, user: AbstractBaseUser) -> QuerySet[Assignment]:
    """The user's own assignments in work order: rejected ones first, then by item.

    An assignment with a ``QueuePlacement`` comes right after the item it names instead of at
    its own item's place (gold items are spread through queues this way).
    """
    rejected_first = Case(When(state=AssignmentState.REJECTED, then=Value(0)), default=Value(1))
    slot = Coalesce(F("placement__after_item_id"), F("item_id"), output_field=BigIntegerField())
    placed_after = Case(When(placement__isnull=False, then=Value(1)), default=Value(0))
    return (
        Assignment.objects.filter(project=project, annotator=user)
        .select_related("item")
        .order_by(rejected_first, slot, placed_after, "item_id", "id")
    )


def assignment_next(*, project: Project, user: AbstractBaseUser) -> Assignment | None:
    return assignment_queue(project=project, user=user).filter(state__in=OPEN_STATES).first()


def assignment_progress(*, project: Project, user: AbstractBaseUser) -> dict[str, int]:
    mine = Assignment.objects.filter(project=project, annotator=user)
    return {"done": mine.exclude(state__in=OPEN_STATES).count(), "total": mine.count()}


def assignment_visible(*, user: AbstractBaseUser, assignment_id: int) -> Assignment | None:
    """An assignment the user may read: their own, or any in a project where they review.

    Anything else (another annotator's, another project's) is ``None``, which views turn into
    a 404 so a foreign id reveals nothing.
    """
    assignment = (
        Assignment.objects.filter(pk=assignment_id, project__in=project_list_for_user(user=user))
        .select_related("project", "item", "annotator")
        .first()
    )
    if assignment is None:
        return None
    if assignment.annotator_id == user.pk:
        return assignment
    if user_can(user=user, project=assignment.project, capability=Capability.REVIEW):
        return assignment
    return None


def assignment_is_annotatable_by(*, user: AbstractBaseUser, assignment_id: int) -> bool:
    """Whether ``user`` is this assignment's annotator and still holds the annotate capability.

    One query (the membership role comes along as a subquery): saves arrive every few seconds
    from every open labeling page.
    """
    if not user.is_authenticated:
        return False
    role = (
        Assignment.objects.filter(pk=assignment_id, annotator=user)
        .annotate(
            role=Subquery(
                Membership.objects.filter(project=OuterRef("project_id"), user=user).values("role")[:1]
            )
        )
        .values_list("role", flat=True)
        .first()
    )
    return role_allows(role, Capability.ANNOTATE)


def assignment_list_for_review(*, project: Project) -> QuerySet[Assignment]:
    return Assignment.objects.filter(project=project).select_related("item", "annotator", "reviewed_by")


def annotation_revisions(*, assignment: Assignment) -> QuerySet[AnnotationRevision]:
    """Every revision of the assignment's annotation, newest first (empty when never saved)."""
    return (
        AnnotationRevision.objects.filter(annotation__assignment=assignment)
        .select_related("author")
        .order_by("-number")
    )


def assignment_progress_by_annotator(*, project: Project) -> list[dict]:
    """Per annotator: how many assignments, how many done, and how many in each state (one query)."""
    per_state = {state: Count("id", filter=Q(state=state)) for state in AssignmentState.values}
    rows = (
        Assignment.objects.filter(project=project)
        .values("annotator__username")
        .annotate(total=Count("id"), done=Count("id", filter=~Q(state__in=OPEN_STATES)), **per_state)
        .order_by("annotator__username")
    )
    return [{"annotator": row.pop("annotator__username"), **row} for row in rows]
