"""The save path as it runs under load: threads saving at once in one process, what a save
queries, and the answer built without re-reading what was just stored."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.exceptions import ValidationError

from annotation.api.annotation_views import _save_request, revision_data
from annotation.api.work_serializers import AnnotationSaveSerializer, RevisionSerializer
from annotation.models import AnnotationRevision, Assignment
from annotation.selectors import assignment_save_target
from annotation.services.annotations import SaveRefused, StaleRevision, annotation_save
from tests.annotation.test_annotations import save
from tests.annotation.test_assignments import generate, make_annotators, make_items, setup_project
from tests.conftest import client_for
from tests.factories import ProjectFactory, UserFactory

THREADS = 50


def _in_threads(count: int, work: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    """Run ``work(i)`` in ``count`` threads released together; each closes its own connection."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.fixture
def crowd(transactional_db):
    """THREADS annotators with one assignment each: [(user, assignment id)]."""
    project = ProjectFactory(created_by=UserFactory(username="crowd-owner"))
    setup_project(project, overlap=1)
    make_items(project, THREADS)
    users = make_annotators(project, THREADS)
    generate(project)
    return [(user, Assignment.objects.get(annotator=user).pk) for user in users]


def test_fifty_threads_save_at_once_without_an_error_and_nothing_is_lost_or_doubled(crowd):
    saves_each = 4

    def annotator(i: int) -> list[str]:
        user, assignment_id = crowd[i]
        keys, base = [], None
        for n in range(saves_each):
            key = str(uuid.uuid4())
            result = annotation_save(
                assignment_id=assignment_id,
                author=user,
                base_revision=base,
                values={"emotion": {"class": "joy" if n % 2 else "anger"}, "why": f"{i}/{n}"},
                submit=False,
                idempotency_key=key,
            )
            assert result.created and result.revision.number == n + 1
            base = result.revision.number
            keys.append(key)
        return keys

    sent, errors = _in_threads(THREADS, annotator)
    assert errors == []
    stored = list(
        AnnotationRevision.objects.values_list("annotation__assignment_id", "number", "idempotency_key")
    )
    assert Counter(key for _, _, key in stored) == Counter(key for keys in sent for key in keys)
    numbers: dict[int, list[int]] = {}
    for assignment_id, number, _ in sorted(stored):
        numbers.setdefault(assignment_id, []).append(number)
    assert numbers == {assignment_id: list(range(1, saves_each + 1)) for _, assignment_id in crowd}


def test_threads_saving_on_one_base_leave_one_winner(crowd):
    user, assignment_id = crowd[0]

    def attempt(i: int) -> str:
        try:
            annotation_save(
                assignment_id=assignment_id,
                author=user,
                base_revision=None,
                values={"why": f"take {i}"},
                submit=False,
                idempotency_key=str(uuid.uuid4()),
            )
        except StaleRevision as exc:
            assert exc.latest is not None and exc.latest.number == 1
            return "stale"
        return "stored"

    outcomes, errors = _in_threads(16, attempt)
    assert errors == []
    assert Counter(outcomes) == {"stored": 1, "stale": 15}
    assert AnnotationRevision.objects.filter(annotation__assignment_id=assignment_id).count() == 1


def test_one_key_sent_from_many_threads_at_once_is_stored_once(crowd):
    """A client that retries before the first attempt answered: one revision, every answer the same."""
    user, assignment_id = crowd[0]
    key = str(uuid.uuid4())

    def attempt(_: int) -> tuple[bool, int]:
        result = annotation_save(
            assignment_id=assignment_id,
            author=user,
            base_revision=None,
            values={"why": "once"},
            submit=False,
            idempotency_key=key,
        )
        return result.created, result.revision.pk

    outcomes, errors = _in_threads(12, attempt)
    assert errors == []
    assert sorted(created for created, _ in outcomes) == [False] * 11 + [True]
    assert len({pk for _, pk in outcomes}) == 1
    assert list(AnnotationRevision.objects.values_list("idempotency_key", flat=True)) == [key]


# --------------------------------------------------------------------------- one save


@pytest.fixture
def mine(project):
    setup_project(project, overlap=1)
    make_items(project, 1)
    (annotator,) = make_annotators(project, 1)
    generate(project)
    return annotator, Assignment.objects.get(annotator=annotator)


def test_a_save_reads_once_before_the_lock_and_once_under_it(mine):
    user, assignment = mine
    assert save(user, assignment, {"emotion": {"class": "joy"}}).status_code == 201
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.put(
            f"/api/assignments/{assignment.pk}/annotation/",
            {"base_revision": 1, "values": {"emotion": {"class": "anger"}}, "submit": False},
            format="json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
    assert response.status_code == 201
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    work = [s for s in statements if s in ("SELECT", "INSERT", "UPDATE", "DELETE")]
    # the token, what the save checks before locking, the state under the lock, the revision, the number;
    # PostgreSQL first takes the row lock with SELECT ... FOR UPDATE as a statement of its own
    locking = ["SELECT"] if connection.vendor == "postgresql" else []
    assert work == ["SELECT", "SELECT", *locking, "SELECT", "INSERT", "UPDATE"]
    if locking:
        assert "FOR UPDATE" in queries.captured_queries[statements.index("SELECT", 2)]["sql"].upper()


def test_the_answer_is_what_the_revision_serializer_gives_for_the_stored_row(mine):
    user, assignment = mine
    first = save(user, assignment, {"emotion": {"class": "joy"}})
    second = save(user, assignment, {"emotion": {"class": "anger"}, "why": "frowns"}, base=1, submit=True)
    assert second.status_code == 201, second.content
    stored = AnnotationRevision.objects.select_related("author").order_by("number")
    assert [first.json()["revision"], second.json()["revision"]] == [
        RevisionSerializer(revision).data for revision in stored
    ]
    assert revision_data(stored[0]) == RevisionSerializer(stored[0]).data  # based_on is null there
    assert second.json()["assignment_state"] == "submitted"


def test_the_service_returns_the_stored_revision(mine):
    user, assignment = mine
    result = annotation_save(
        assignment_id=assignment.pk,
        author=user,
        base_revision=None,
        values={"emotion": {"class": "joy"}},
        submit=False,
        idempotency_key="k-1",
    )
    stored = AnnotationRevision.objects.get(pk=result.revision.pk)
    assert (stored.number, stored.values, stored.created_at) == (
        1,
        {"emotion": {"class": "joy"}},
        result.revision.created_at,
    )
    assert stored.annotation.latest_number == 1


def test_the_pre_lock_read_finds_the_schema_and_the_assignee_role(mine, project):
    user, assignment = mine
    target = assignment_save_target(assignment_id=assignment.pk)
    assert target.annotatable_by(user)
    assert target.schema_version == 1 and target.schema_definition["fields"]
    assert assignment_save_target(assignment_id=assignment.pk + 1000) is None
    project.memberships.filter(user=user).delete()
    assert not assignment_save_target(assignment_id=assignment.pk).annotatable_by(user)


@pytest.mark.parametrize(
    "body",
    [
        {"base_revision": None, "values": {"a": 1}},
        {"base_revision": 3, "values": {"a": [1, 2]}, "submit": True},
        {"base_revision": 1, "values": {}, "submit": False, "extra": "ignored"},
    ],
)
def test_a_body_as_the_page_sends_it_is_read_as_the_serializer_reads_it(body):
    serializer = AnnotationSaveSerializer(data=body)
    assert serializer.is_valid()
    assert _save_request(body) == dict(serializer.validated_data)


@pytest.mark.parametrize(
    "body",
    [
        {"base_revision": "2", "values": {"a": 1}, "submit": "true"},
        {"base_revision": 2.0, "values": {"a": 1}},
        {"base_revision": 1, "values": {"a": 1}, "submit": 1},
    ],
)
def test_other_bodies_get_the_serializers_coercions(body):
    serializer = AnnotationSaveSerializer(data=body)
    assert serializer.is_valid(), serializer.errors
    assert _save_request(body) == dict(serializer.validated_data)


@pytest.mark.parametrize(
    "body",
    [
        {"base_revision": 0, "values": {}},
        {"values": {}},
        {"base_revision": None, "values": None},
        {"base_revision": None},
        {"base_revision": True, "values": {}},
        ["not", "an", "object"],
    ],
)
def test_invalid_bodies_get_the_serializers_errors(body):
    serializer = AnnotationSaveSerializer(data=body)
    assert not serializer.is_valid()
    with pytest.raises(ValidationError) as caught:
        _save_request(body)
    assert caught.value.detail == serializer.errors


def test_refusals_are_still_refusals(mine):
    user, assignment = mine
    with pytest.raises(SaveRefused):
        annotation_save(
            assignment_id=assignment.pk,
            author=user,
            base_revision=None,
            values={"emotion": {"class": "no such class"}},
            submit=False,
            idempotency_key="bad",
        )
    assert not AnnotationRevision.objects.exists()
