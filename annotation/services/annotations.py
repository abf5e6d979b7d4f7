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
from ingest.models import MediaAsset

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
    assignment_state: str  # the assignment's state after the save


def request_fingerprint(*, base_revision: int | None, values: Any, submit: bool) -> str:
    canonical = json.dumps(
        {"base_revision": base_revision, "values": values, "submit": submit},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class _Checked:
    """Values checked against a schema before the write lock was taken."""

    schema_id: int | None
    schema_version: int | None
    errors: list[SchemaError]


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

    This is the hottest write path (autosave from every open labeling page), and on SQLite every
    writer waits for the one holding the lock. So the values are validated before the lock is taken
    (an annotation's schema version never changes once it exists; if the schema found under the
    lock differs from the one checked, they are checked again), and under the lock only the
    needed columns are read: the newest revision number comes from ``Annotation.latest_number``
    and the newest revision's values are loaded only for a 409.
    """
    checked = _check_before_locking(assignment_id, values, complete=submit)
    with transaction.atomic():
        return _save_locked(
            assignment_id=assignment_id,
            author=author,
            base_revision=base_revision,
            values=values,
            submit=submit,
            idempotency_key=idempotency_key,
            allowed_states=allowed_states,
            checked=checked,
        )


def _check_before_locking(assignment_id: int, values: Any, *, complete: bool) -> _Checked:
    row = (
        Assignment.objects.filter(pk=assignment_id)
        .values("project_id", "item__duration_seconds", "annotation__schema_id")
        .get()
    )
    schemas = LabelSchema.objects.only("id", "version", "definition")
    if row["annotation__schema_id"] is not None:
        schema = schemas.get(pk=row["annotation__schema_id"])
    else:
        schema = schemas.filter(project_id=row["project_id"]).order_by("-version").first()
    if schema is None:
        return _Checked(schema_id=None, schema_version=None, errors=[])
    errors = validate_values(
        schema.definition, values, duration=row["item__duration_seconds"], complete=complete
    )
    return _Checked(schema_id=schema.pk, schema_version=schema.version, errors=errors)


def _save_locked(
    *,
    assignment_id: int,
    author: AbstractBaseUser,
    base_revision: int | None,
    values: Any,
    submit: bool,
    idempotency_key: str,
    allowed_states: tuple[str, ...],
    checked: _Checked,
) -> SaveResult:
    assignment = (
        Assignment.objects.select_for_update()
        .only("id", "state", "project_id", "item_id", "submitted_at")
        .get(pk=assignment_id)
    )
    annotation = (
        Annotation.objects.filter(assignment_id=assignment.pk)
        .only("id", "latest_number", "schema_id")
        .first()
    )
    fingerprint = request_fingerprint(base_revision=base_revision, values=values, submit=submit)
    if annotation is not None:
        earlier = _revision_with_key(annotation, idempotency_key)
        if earlier is not None:
            if earlier.request_hash != fingerprint:
                raise IdempotencyMismatch(
                    "This Idempotency-Key was already used for a different save; use a new key per save."
                )
            return SaveResult(revision=earlier, created=False, assignment_state=assignment.state)
    if assignment.state not in allowed_states:
        raise NotEditable(f"This assignment is {assignment.state}; it can no longer be edited.")
    if annotation is not None:
        schema_id = annotation.schema_id
    else:
        schema_id = (
            LabelSchema.objects.filter(project_id=assignment.project_id)
            .order_by("-version")
            .values_list("id", flat=True)
            .first()
        )
    if schema_id is None:
        raise NoSchema("This project has no label schema yet, so nothing can be annotated.")
    if schema_id != checked.schema_id:
        schema = LabelSchema.objects.only("id", "version", "definition").get(pk=schema_id)
        _check_values(schema, values, assignment, complete=submit)
    elif checked.errors:
        raise ValuesRejected(
            f"The values do not fit schema version {checked.schema_version} "
            f"({len(checked.errors)} problem(s)).",
            checked.errors,
        )
    latest_number = annotation.latest_number or None if annotation else None
    if base_revision != latest_number:
        latest = annotation.revisions.order_by("-number").first() if annotation else None
        raise StaleRevision(
            f"This save was based on revision {base_revision}, but the latest is {latest_number}. "
            "Nothing was stored: merge with the latest values and save again.",
            latest,
        )
    if annotation is None:
        annotation = Annotation.objects.create(assignment=assignment, schema_id=schema_id)
    revision = _append(annotation, author, values, base_revision, submit, idempotency_key, fingerprint)
    if submit and assignment.state != AssignmentState.SUBMITTED:
        assignment.state = AssignmentState.SUBMITTED
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["state", "submitted_at"])
    return SaveResult(revision=revision, created=True, assignment_state=assignment.state)


def _revision_with_key(annotation: Annotation, key: str) -> AnnotationRevision | None:
    """The revision stored under ``key``; its values are loaded only when there is one."""
    hit = annotation.revisions.filter(idempotency_key=key).values_list("pk", flat=True).first()
    if hit is None:
        return None
    return AnnotationRevision.objects.select_related("author").get(pk=hit)


def _check_values(schema: LabelSchema, values: Any, assignment: Assignment, *, complete: bool) -> None:
    duration = (
        MediaAsset.objects.filter(pk=assignment.item_id).values_list("duration_seconds", flat=True).first()
    )
    errors = validate_values(schema.definition, values, duration=duration, complete=complete)
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
    Annotation.objects.filter(pk=annotation.pk).update(latest_number=number, updated_at=timezone.now())
    return revision
