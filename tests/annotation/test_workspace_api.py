"""The labeling page's workspace: own assignment only, dialogue context, queue position, no leaks."""

import hashlib
import json
import uuid

import pytest

from annotation.models import Assignment
from ingest.models import MediaAsset
from models_zoo.models import JobState, PrelabelJob, Track
from tests.annotation.test_assignments import generate, make_annotators, make_items, setup_project
from tests.conftest import client_for
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def url(assignment_id: int) -> str:
    return f"/api/assignments/{assignment_id}/workspace/"


def save(user, assignment, values, base=None):
    response = client_for(user).put(
        f"/api/assignments/{assignment.pk}/annotation/",
        {"base_revision": base, "values": values, "submit": False},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.content
    return response.json()["revision"]


@pytest.fixture
def pair(project):
    """Two items, each given to two annotators."""
    setup_project(project, overlap=2)
    make_items(project, 2)
    first, second = make_annotators(project, 2)
    generate(project)
    return first, second


def mine(user) -> list[Assignment]:
    return list(Assignment.objects.filter(annotator=user).order_by("item_id"))


def test_the_annotator_gets_their_whole_workspace_in_one_call(pair, project):
    first, _ = pair
    one, two = mine(first)
    save(first, one, {"emotion": {"class": "joy"}})
    response = client_for(first).get(url(one.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assignment"] == {
        "id": one.pk,
        "project": project.pk,
        "annotator": first.username,
        "state": "assigned",
        "review_comment": "",
    }
    assert body["editable"] is True
    assert body["item"]["id"] == one.item_id and body["item"]["kind"] == "text"
    assert body["item"]["files"] == {} and body["item"]["fps"] is None
    assert body["schema"]["version"] == 1
    assert [f["name"] for f in body["schema"]["definition"]["fields"]] == ["emotion", "why"]
    assert body["latest"] == {"number": 1, "values": {"emotion": {"class": "joy"}}, "submitted": False}
    assert body["progress"] == {"done": 0, "total": 2}
    assert body["previous"] is None and body["next"] == two.pk
    assert body["tracks"] == []

    second_page = client_for(first).get(url(two.pk)).json()
    assert second_page["previous"] == one.pk and second_page["next"] is None
    assert second_page["latest"] is None


def test_another_annotator_of_the_same_item_gets_404_and_sees_none_of_the_labels(pair):
    first, second = pair
    one = mine(first)[0]
    save(first, one, {"emotion": {"class": "anger"}, "why": "clenched fists SECRET-WORDS"})
    assert client_for(second).get(url(one.pk)).status_code == 404

    theirs = Assignment.objects.get(annotator=second, item=one.item)
    response = client_for(second).get(url(theirs.pk))
    assert response.status_code == 200
    assert response.json()["latest"] is None
    assert "SECRET-WORDS" not in response.content.decode()
    assert "anger" not in json.dumps(response.json()["latest"])


def test_outsiders_and_unknown_ids_get_404(pair, outsider):
    first, _ = pair
    one = mine(first)[0]
    assert client_for(outsider).get(url(one.pk)).status_code == 404
    assert client_for(first).get(url(999_999)).status_code == 404
    other = ProjectFactory(created_by=outsider)
    setup_project(other, overlap=1)
    make_items(other, 1)
    (stranger,) = make_annotators(other, 1, prefix="stranger")
    generate(other)
    foreign = Assignment.objects.get(annotator=stranger)
    assert client_for(first).get(url(foreign.pk)).status_code == 404


def test_anonymous_requests_are_refused(pair):
    from rest_framework.test import APIClient

    one = mine(pair[0])[0]
    assert APIClient().get(url(one.pk)).status_code in (401, 403)


def test_a_reviewer_and_a_manager_read_the_workspace_but_cannot_edit(pair, reviewer, manager):
    first, _ = pair
    one = mine(first)[0]
    save(first, one, {"emotion": {"class": "joy"}})
    for user in (reviewer, manager):
        body = client_for(user).get(url(one.pk)).json()
        assert body["editable"] is False
        assert body["latest"]["values"] == {"emotion": {"class": "joy"}}
        assert body["progress"] == {"done": 0, "total": 2}


def test_a_text_item_comes_with_the_other_turns_of_its_dialogue_in_order(project):
    setup_project(project, overlap=1)
    turns = []
    for turn, (speaker, text) in enumerate(
        [("Ann", "Where were you?"), ("Bob", "<b>Out.</b>"), ("Ann", "All night?"), ("Bob", "Yes.")]
    ):
        utterance = f"dialogue-7 {turn} {text}"
        turns.append(
            MediaAsset.objects.create(
                project=project,
                kind="text",
                status="ready",
                text=text,
                speaker=speaker,
                dialogue_id="d7",
                turn=turn,
                sha256=hashlib.sha256(utterance.encode()).hexdigest(),
            )
        )
    # created out of order on purpose: the context must follow turn numbers, not ids
    lone = MediaAsset.objects.create(
        project=project, kind="text", status="ready", text="elsewhere", dialogue_id="d8", turn=0,
        sha256=hashlib.sha256(b"lone").hexdigest(),
    )  # fmt: skip
    (annotator,) = make_annotators(project, 1)
    generate(project)
    third = Assignment.objects.get(annotator=annotator, item=turns[2])
    body = client_for(annotator).get(url(third.pk)).json()
    assert body["item"]["text"] == "All night?" and body["item"]["speaker"] == "Ann"
    assert [(t["turn"], t["speaker"], t["text"]) for t in body["context"]] == [
        (0, "Ann", "Where were you?"),
        (1, "Bob", "<b>Out.</b>"),
        (3, "Bob", "Yes."),
    ]
    lone_assignment = Assignment.objects.get(annotator=annotator, item=lone)
    assert client_for(annotator).get(url(lone_assignment.pk)).json()["context"] == []


def test_a_media_item_lists_its_files_fps_and_track_summaries(project):
    setup_project(project, overlap=1)
    asset = MediaAsset.objects.create(
        project=project,
        kind="video",
        status="ready",
        original_name="clip.mp4",
        sha256="a" * 64,
        duration_seconds=2.0,
        derived={"proxy": "derived/1/proxy.mp4", "peaks": "derived/1/peaks.json", "poster": ""},
        probe={"video": {"fps": 25.0}},
    )
    job = PrelabelJob.objects.create(
        asset=asset, prelabeler="action_units", version="1", params_hash="b" * 64, state=JobState.SUCCEEDED
    )
    track = Track.objects.create(
        asset=asset, job=job, kind="action_units", prelabeler="action_units", version="1", sample_rate=25.0,
        duration_seconds=2.0, columns=[{"name": "time", "type": "double"}], row_count=50,
        storage_key="tracks/x.parquet",
    )  # fmt: skip
    (annotator,) = make_annotators(project, 1)
    generate(project)
    assignment = Assignment.objects.get(annotator=annotator)
    body = client_for(annotator).get(url(assignment.pk)).json()
    assert body["item"]["files"] == {
        "proxy": f"/api/media/{asset.pk}/files/proxy/",
        "peaks": f"/api/media/{asset.pk}/files/peaks/",
    }
    assert body["item"]["fps"] == 25.0 and body["item"]["duration_seconds"] == 2.0
    assert body["tracks"] == [
        {
            "id": track.pk,
            "kind": "action_units",
            "prelabeler": "action_units",
            "version": "1",
            "sample_rate": 25.0,
            "duration_seconds": 2.0,
            "columns": [{"name": "time", "type": "double"}],
            "row_count": 50,
        }
    ]
    assert "storage_key" not in json.dumps(body)


def test_a_project_without_a_schema_yet_gives_a_null_schema(project):
    make_items(project, 1)
    (annotator,) = make_annotators(project, 1)
    generate(project)
    assignment = Assignment.objects.get(annotator=annotator)
    body = client_for(annotator).get(url(assignment.pk)).json()
    assert body["schema"] is None and body["latest"] is None
