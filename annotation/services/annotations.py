"""Saving annotations as append-only revisions: stale saves are refused, retries are recognised."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from annotation.models import Annotation, AnnotationRevision, Assignment, AssignmentState, LabelSchema
from annotation.schema import SchemaError
from annotation.schema.values import validate_values
from annotation.selectors import label_schema_current

EDITABLE_STATES = (AssignmentState.ASSIGNED, AssignmentState.REJECTED, AssignmentState.SUBMITTED)


class SaveRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoSchema(SaveRefused):
    pass


class NotEditable(SaveRefused):
    pass


class IdempotencyMismatch(SaveRefused):
    """The key was already used for a different request body."""


class ValuesRejected(SaveRefused):
    def __init__(self, message: str, errors: list[SchemaError]) -> None:
        super().__init__(message)
        self.errors = errors


class StaleRevision(SaveRefused):
    """The save was based on an older revision; nothing was stored."""

    def __init__(self, message: str, latest: AnnotationRevision | None) -> None:
        super().__init__(message)
        self.latest = latest


@dataclass(frozen=True)
class SaveResult:
    revision: AnnotationRevision
    created: bool  # False when a retry found the revision it had already stored


def request_fingerprint(*, base_revision: int | None, values: Any, submit: bool) -> str:
    canonical = json.dumps(
        {"base_revision": base_revision, "values": values, "submit": submit},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def annotation_save(
    *,
    assignment_id: int,
    author: AbstractBaseUser,
    base_revision: int | None,
    values: Any,
    submit: bool,
    idempotency_key: str,
    allowed_states: tuple[str, ...] = EDITABLE_STATES,
) -> SaveResult:
    """Store a new revision of an assignment's annotation, in one transaction.

    The assignment row is locked first (on SQLite the IMMEDIATE transaction already serialises
    writers), so of two saves based on the same revision exactly one wins and the other gets
    ``StaleRevision`` with the winner's values. A repeated ``idempotency_key`` with the same body
    returns the stored revision and stores nothing.
    """
    assignment = Assignment.objects.select_for_update().select_related("item").get(pk=assignment_id)
    annotation = Annotation.objects.filter(assignment=assignment).select_related("schema").first()
    fingerprint = request_fingerprint(base_revision=base_revision, values=values, submit=submit)
    if annotation is not None:
        earlier = annotation.revisions.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.request_hash != fingerprint:
                raise IdempotencyMismatch(
                    "This Idempotency-Key was already used for a different save; use a new key per save."
                )
            return SaveResult(revision=earlier, created=False)
    if assignment.state not in allowed_states:
        raise NotEditable(f"This assignment is {assignment.state}; it can no longer be edited.")
    schema = annotation.schema if annotation else label_schema_current(project=assignment.project)
    if schema is None:
        raise NoSchema("This project has no label schema yet, so nothing can be annotated.")
    _check_values(schema, values, assignment, complete=submit)
    latest = annotation.revisions.order_by("-number").first() if annotation else None
    latest_number = latest.number if latest else None
    if base_revision != latest_number:
        raise StaleRevision(
            f"This save was based on revision {base_revision}, but the latest is {latest_number}. "
            "Nothing was stored: merge with the latest values and save again.",
            latest,
        )
    if annotation is None:
        annotation = Annotation.objects.create(assignment=assignment, schema=schema)
    revision = _append(annotation, author, values, base_revision, submit, idempotency_key, fingerprint)
    if submit and assignment.state != AssignmentState.SUBMITTED:
        assignment.state = AssignmentState.SUBMITTED
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["state", "submitted_at"])
    return SaveResult(revision=revision, created=True)


def _check_values(schema: LabelSchema, values: Any, assignment: Assignment, *, complete: bool) -> None:
    errors = validate_values(
        schema.definition, values, duration=assignment.item.duration_seconds, complete=complete
    )
    if errors:
        raise ValuesRejected(
            f"The values do not fit schema version {schema.version} ({len(errors)} problem(s)).", errors
        )


def _append(
    annotation: Annotation,
    author: AbstractBaseUser,
    values: Any,
    based_on: int | None,
    submitted: bool,
    key: str,
    fingerprint: str,
) -> AnnotationRevision:
    number = annotation.latest_number + 1
    revision = AnnotationRevision.objects.create(
        annotation=annotation,
        number=number,
        values=values,
        based_on=based_on,
        submitted=submitted,
        author=author,
        idempotency_key=key,
        request_hash=fingerprint,
    )
    annotation.latest_number = number
    annotation.save(update_fields=["latest_number", "updated_at"])
    return revision
