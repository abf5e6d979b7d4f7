"""Saving annotations as append-only revisions: stale saves are refused, retries are recognised."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from annotation.models import Annotation, AnnotationRevision, Assignment, AssignmentState, LabelSchema
from annotation.schema import SchemaError
from annotation.schema.values import validate_values
from annotation.selectors import SaveTarget, assignment_save_target
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


@dataclass(frozen=True)
class _Locked:
    """The assignment and its annotation as read under the write lock."""

    state: str
    project_id: int
    item_id: int
    annotation_id: int | None
    latest_number: int
    schema_id: int | None
    earlier_id: int | None  # the revision already stored under this request's key
    earlier_hash: str | None


def annotation_save(
    *,
    assignment_id: int,
    author: AbstractBaseUser,
    base_revision: int | None,
    values: Any,
    submit: bool,
    idempotency_key: str,
    allowed_states: tuple[str, ...] = EDITABLE_STATES,
    target: SaveTarget | None = None,
) -> SaveResult:
    """Store a new revision of an assignment's annotation, in one transaction.

    The assignment row is locked first (on SQLite the IMMEDIATE transaction, queued per process,
    already serialises writers), so of two saves based on the same revision exactly one wins and
    the other gets ``StaleRevision`` with the winner's values. A repeated ``idempotency_key`` with
    the same body returns the stored revision and stores nothing.

    This is the hottest write path (autosave from every open labeling page), and on SQLite every
    writer waits for the one holding the lock, so as little as possible happens while it is held.
    The values are validated before (an annotation's schema version never changes once it exists;
    if the schema found under the lock differs from the one checked, they are checked again).
    Under the lock, one read gets the assignment's state, the annotation's newest revision number
    and any revision already stored under the key, then the revision is inserted and the number
    moved on. Those statements (and the read before the lock) are written in SQL, built once per
    process from the models' table names, instead of being built by the ORM on every save:
    building a query cost about 30 times as much CPU as running it, in the one web process all
    annotators share. What happens once per assignment (the first save, a submit) or on a
    refusal (409, retry) uses the ORM as usual.

    ``target`` is what :func:`~annotation.selectors.assignment_save_target` read for this
    assignment (the view has it from its permission check); it is read here when not given.
    """
    if target is None:
        target = assignment_save_target(assignment_id=assignment_id)
        if target is None:
            raise Assignment.DoesNotExist(f"Assignment {assignment_id} does not exist.")
    checked = _check_before_locking(target, values, complete=submit)
    fingerprint = request_fingerprint(base_revision=base_revision, values=values, submit=submit)
    with transaction.atomic():
        return _save_locked(
            assignment_id=assignment_id,
            author=author,
            base_revision=base_revision,
            values=values,
            submit=submit,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            allowed_states=allowed_states,
            checked=checked,
        )


def _check_before_locking(target: SaveTarget, values: Any, *, complete: bool) -> _Checked:
    if target.schema_id is None:
        return _Checked(schema_id=None, schema_version=None, errors=[])
    errors = validate_values(
        target.schema_definition, values, duration=target.duration_seconds, complete=complete
    )
    return _Checked(schema_id=target.schema_id, schema_version=target.schema_version, errors=errors)


def _save_locked(
    *,
    assignment_id: int,
    author: AbstractBaseUser,
    base_revision: int | None,
    values: Any,
    submit: bool,
    idempotency_key: str,
    fingerprint: str,
    allowed_states: tuple[str, ...],
    checked: _Checked,
) -> SaveResult:
    locked = _read_locked(assignment_id, idempotency_key)
    if locked.earlier_id is not None:
        if locked.earlier_hash != fingerprint:
            raise IdempotencyMismatch(
                "This Idempotency-Key was already used for a different save; use a new key per save."
            )
        earlier = AnnotationRevision.objects.select_related("author").get(pk=locked.earlier_id)
        return SaveResult(revision=earlier, created=False, assignment_state=locked.state)
    if locked.state not in allowed_states:
        raise NotEditable(f"This assignment is {locked.state}; it can no longer be edited.")
    schema_id = locked.schema_id
    if locked.annotation_id is None:
        schema_id = (
            LabelSchema.objects.filter(project_id=locked.project_id)
            .order_by("-version")
            .values_list("id", flat=True)
            .first()
        )
    if schema_id is None:
        raise NoSchema("This project has no label schema yet, so nothing can be annotated.")
    if schema_id != checked.schema_id:
        schema = LabelSchema.objects.only("id", "version", "definition").get(pk=schema_id)
        _check_values(schema, values, locked.item_id, complete=submit)
    elif checked.errors:
        raise ValuesRejected(
            f"The values do not fit schema version {checked.schema_version} "
            f"({len(checked.errors)} problem(s)).",
            checked.errors,
        )
    latest_number = locked.latest_number or None
    if base_revision != latest_number:
        latest = (
            AnnotationRevision.objects.filter(annotation_id=locked.annotation_id)
            .select_related("author")
            .order_by("-number")
            .first()
            if locked.annotation_id is not None
            else None
        )
        raise StaleRevision(
            f"This save was based on revision {base_revision}, but the latest is {latest_number}. "
            "Nothing was stored: merge with the latest values and save again.",
            latest,
        )
    annotation_id = locked.annotation_id
    if annotation_id is None:
        annotation_id = Annotation.objects.create(assignment_id=assignment_id, schema_id=schema_id).pk
    revision = _append(
        annotation_id,
        locked.latest_number + 1,
        author,
        values,
        base_revision,
        submit,
        idempotency_key,
        fingerprint,
    )
    state = locked.state
    if submit and state != AssignmentState.SUBMITTED:
        state = AssignmentState.SUBMITTED
        Assignment.objects.filter(pk=assignment_id).update(state=state, submitted_at=timezone.now())
    return SaveResult(revision=revision, created=True, assignment_state=state)


def _table(model: type[Model]) -> str:
    """A model's table name, quoted: the only thing formatted into these statements."""
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _locked_read_sql() -> tuple[str | None, str]:
    """The row lock (where the database has one) and the read that follows it.

    On PostgreSQL the lock is a statement of its own: a ``FOR UPDATE`` that waited for another
    save would still join the annotation row as it was before that save committed.
    """
    assignments = _table(Assignment)
    lock = (
        f"SELECT id FROM {assignments} WHERE id = %s FOR UPDATE"  # noqa: S608
        if connection.features.has_select_for_update
        else None
    )
    read = (
        "SELECT a.state, a.project_id, a.item_id, n.id, n.latest_number, n.schema_id, r.id, r.request_hash "  # noqa: S608
        f"FROM {assignments} a "
        f"LEFT JOIN {_table(Annotation)} n ON n.assignment_id = a.id "
        f"LEFT JOIN {_table(AnnotationRevision)} r ON r.annotation_id = n.id AND r.idempotency_key = %s "
        "WHERE a.id = %s"
    )
    return lock, read


def _read_locked(assignment_id: int, idempotency_key: str) -> _Locked:
    lock, read = _locked_read_sql()
    with connection.cursor() as cursor:
        if lock is not None:
            cursor.execute(lock, [assignment_id])
        cursor.execute(read, [idempotency_key, assignment_id])
        row = cursor.fetchone()
    if row is None:
        raise Assignment.DoesNotExist(f"Assignment {assignment_id} does not exist.")
    state, project_id, item_id, annotation_id, latest, schema_id, earlier_id, earlier_hash = row
    return _Locked(
        state=state,
        project_id=project_id,
        item_id=item_id,
        annotation_id=annotation_id,
        latest_number=latest or 0,
        schema_id=schema_id,
        earlier_id=earlier_id,
        earlier_hash=earlier_hash,
    )


def _check_values(schema: LabelSchema, values: Any, item_id: int, *, complete: bool) -> None:
    duration = MediaAsset.objects.filter(pk=item_id).values_list("duration_seconds", flat=True).first()
    errors = validate_values(schema.definition, values, duration=duration, complete=complete)
    if errors:
        raise ValuesRejected(
            f"The values do not fit schema version {schema.version} ({len(errors)} problem(s)).", errors
        )


REVISION_COLUMNS = (
    "annotation_id",
    "number",
    "values",
    "based_on",
    "submitted",
    "author_id",
    "idempotency_key",
    "request_hash",
    "created_at",
)


def _insert_returns_id() -> bool:
    """SQLite hands the new row's id over as ``lastrowid`` for free (fetching a RETURNING row is
    one more step while the write lock is held); elsewhere ``lastrowid`` is not the id."""
    return connection.vendor != "sqlite" and connection.features.can_return_columns_from_insert


@cache
def _append_sql() -> tuple[str, str]:
    quote = connection.ops.quote_name
    insert = (
        f"INSERT INTO {_table(AnnotationRevision)} ({', '.join(quote(c) for c in REVISION_COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(REVISION_COLUMNS))})"
    )
    if _insert_returns_id():
        insert += " RETURNING id"
    update = f"UPDATE {_table(Annotation)} SET latest_number = %s, updated_at = %s WHERE id = %s"  # noqa: S608
    return insert, update


def _append(
    annotation_id: int,
    number: int,
    author: AbstractBaseUser,
    values: Any,
    based_on: int | None,
    submitted: bool,
    key: str,
    fingerprint: str,
) -> AnnotationRevision:
    """Insert revision ``number`` and make it the annotation's newest: two statements.

    Parameters go through the fields' own conversions (JSON, datetimes), as the ORM would.
    """
    now = timezone.now()
    stored_now = connection.ops.adapt_datetimefield_value(now)
    stored_values = AnnotationRevision._meta.get_field("values").get_db_prep_value(values, connection)
    insert, update = _append_sql()
    params = [annotation_id, number, stored_values, based_on, submitted, author.pk, key, fingerprint]
    with connection.cursor() as cursor:
        cursor.execute(insert, [*params, stored_now])
        pk = cursor.fetchone()[0] if _insert_returns_id() else cursor.lastrowid
        cursor.execute(update, [number, stored_now, annotation_id])
    return AnnotationRevision(
        pk=pk,
        annotation_id=annotation_id,
        number=number,
        values=values,
        based_on=based_on,
        submitted=submitted,
        author=author,
        idempotency_key=key,
        request_hash=fingerprint,
        created_at=now,
    )
