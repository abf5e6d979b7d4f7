"""Fifty annotators saving at once over HTTP: no 5xx, no "database is locked", no save stored twice."""

import json
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from rest_framework.authtoken.models import Token

from annotation.models import AnnotationRevision, Assignment
from tests.annotation.test_assignments import generate, make_annotators, make_items, setup_project
from tests.factories import ProjectFactory, UserFactory

ANNOTATORS = 50
SAVES_EACH = 3


def _put(base_url: str, token: str, assignment_id: int, body: dict, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - http to the local live server
        f"{base_url}/api/assignments/{assignment_id}/annotation/",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
        method="PUT",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - local live server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _work(base_url: str, token: str, assignment_id: int) -> list[tuple[str, int]]:
    """One annotator's session: each save is sent, then retried with the same key (a dropped reply)."""
    outcomes = []
    base = None
    for n in range(SAVES_EACH):
        key = str(uuid.uuid4())
        body = {
            "base_revision": base,
            "values": {"emotion": {"class": "joy" if n % 2 else "anger"}},
            "submit": False,
        }
        first, stored = _put(base_url, token, assignment_id, body, key)
        retry, again = _put(base_url, token, assignment_id, body, key)
        outcomes += [(key, first), (key, retry)]
        if first == 201 and retry == 200 and again["revision"] == stored["revision"]:
            base = stored["revision"]["number"]
    return outcomes


@pytest.fixture
def crowd(transactional_db):
    project = ProjectFactory(created_by=UserFactory(username="crowd-owner"))
    setup_project(project, overlap=1)
    make_items(project, ANNOTATORS)
    users = make_annotators(project, ANNOTATORS)
    generate(project)
    return [
        (Token.objects.create(user=user).key, Assignment.objects.get(annotator=user).pk) for user in users
    ]


def test_fifty_annotators_save_with_retries_and_each_key_is_stored_once(live_server, crowd):
    with ThreadPoolExecutor(max_workers=ANNOTATORS) as pool:
        sessions = list(pool.map(lambda pair: _work(live_server.url, *pair), crowd))
    statuses = Counter(status for session in sessions for _, status in session)
    assert statuses == {201: ANNOTATORS * SAVES_EACH, 200: ANNOTATORS * SAVES_EACH}
    keys = [key for session in sessions for key, _ in session[::2]]
    stored = Counter(AnnotationRevision.objects.values_list("idempotency_key", flat=True))
    assert stored == dict.fromkeys(keys, 1)
    per_annotation = Counter(AnnotationRevision.objects.values_list("annotation_id", flat=True))
    assert sorted(per_annotation.values()) == [SAVES_EACH] * ANNOTATORS


def test_simultaneous_saves_on_one_base_leave_exactly_one_winner(live_server, crowd):
    token, assignment_id = crowd[0]
    bodies = [{"base_revision": None, "values": {"why": f"take {i}"}, "submit": False} for i in range(12)]
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        results = list(
            pool.map(lambda b: _put(live_server.url, token, assignment_id, b, str(uuid.uuid4())), bodies)
        )
    assert sorted(status for status, _ in results) == [201] + [409] * (len(bodies) - 1)
    winner = next(body for status, body in results if status == 201)["revision"]
    for status, body in results:
        if status == 409:
            assert body["latest"]["values"] == winner["values"]
            assert body["rejected"]["values"]["why"].startswith("take ")
    assert AnnotationRevision.objects.count() == 1
