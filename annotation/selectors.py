"""Reads of label schemas, assignments and annotations, always scoped to what the caller may see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import BigIntegerField, Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from annotation.models import (
    Annotation,
    AnnotationRevision,
    AnnotationSettings,
    Assignment,
    AssignmentState,
    LabelSchema,
)
from ingest.models import MediaAsset
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


@dataclass(frozen=True)
class SaveTarget:
    """What saving to an assignment needs before the write lock: who may save, and against what.

    ``role`` is the assignee's role in the project (None when no longer a member). The schema is
    the one the annotation already has, else the project's newest (None when there is none yet).
    """

    assignment_id: int
    annotator_id: int
    role: str | None
    duration_seconds: float | None
    schema_id: int | None
    schema_version: int | None
    schema_definition: Any

    def annotatable_by(self, user: AbstractBaseUser) -> bool:
        """Only the assignee saves, and only while their role still allows annotating."""
        return (
            user.is_authenticated
            and self.annotator_id == user.pk
            and role_allows(self.role, Capability.ANNOTATE)
        )


@cache
def _save_target_sql() -> str:
    """Only table names (from the models) are formatted in; every value is a parameter."""
    tables = {
        model.__name__: connection.ops.quote_name(model._meta.db_table)
        for model in (Assignment, Annotation, LabelSchema, Membership, MediaAsset)
    }
    return (
        "SELECT a.annotator_id, m.role, i.duration_seconds, s.id, s.version, s.definition "  # noqa: S608
        f"FROM {tables['Assignment']} a "
        f"LEFT JOIN {tables['MediaAsset']} i ON i.id = a.item_id "
        f"LEFT JOIN {tables['Membership']} m ON m.project_id = a.project_id AND m.user_id = a.annotator_id "
        f"LEFT JOIN {tables['Annotation']} n ON n.assignment_id = a.id "
        f"LEFT JOIN {tables['LabelSchema']} s ON s.id = COALESCE(n.schema_id, ("
        f"SELECT s2.id FROM {tables['LabelSchema']} s2 WHERE s2.project_id = a.project_id "
        "ORDER BY s2.version DESC LIMIT 1)) "
        "WHERE a.id = %s"
    )


def assignment_save_target(*, assignment_id: int) -> SaveTarget | None:
    """One query for everything a save checks before locking (None when there is no such assignment).

    Written in SQL rather than built by the ORM: saves arrive every few seconds from every open
    labeling page, and building this query with the ORM cost about 30 times as much CPU as
    running it, in the one web process that all annotators share.
    """
    with connection.cursor() as cursor:
        cursor.execute(_save_target_sql(), [assignment_id])
        row = cursor.fetchone()
    if row is None:
        return None
    annotator_id, role, duration, schema_id, version, definition = row
    return SaveTarget(
        assignment_id=assignment_id,
        annotator_id=annotator_id,
        role=role,
        duration_seconds=duration,
        schema_id=schema_id,
        schema_version=version,
        schema_definition=json.loads(definition) if isinstance(definition, str | bytes) else definition,
    )


def assignment_is_annotatable_by(*, user: AbstractBaseUser, assignment_id: int) -> bool:
    """Whether ``user`` is this assignment's annotator and still holds the annotate capability.

    One query (the pre-lock read of a save, which carries the assignee's role).
    """
    target = assignment_save_target(assignment_id=assignment_id)
    return target is not None and target.annotatable_by(user)


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
