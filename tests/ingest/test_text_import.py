"""Dialogue utterances from JSONL: ready text assets, ordered by turn, de-duplicated, errors by line."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import MediaAsset
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def jsonl(*records) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode() + b"\n"


def post_texts(client, project, content: bytes, name: str = "dialogues.jsonl"):
    upload = SimpleUploadedFile(name, content, content_type="application/jsonl")
    return client.post(f"/api/projects/{project.pk}/texts/", {"file": upload}, format="multipart")


DIALOGUE = jsonl(
    {"text": "Fine, thanks.", "speaker": "B", "dialogue_id": "d1", "turn": 2, "start": 1.5, "end": 2.25},
    {"text": "How are you?", "speaker": "A", "dialogue_id": "d1", "turn": 1, "start": 0, "end": 1.2},
    {"text": "Yes.", "speaker": "A", "dialogue_id": "d1", "turn": 3, "emotion": "neutral", "age": 31},
    {"text": "Yes.", "speaker": "B", "dialogue_id": "d2", "turn": 1},
    {"text": "Yes.", "speaker": "B", "dialogue_id": "d2", "turn": 2},
)


def test_utterances_become_ready_text_assets_listed_in_turn_order(owner_client, project):
    response = post_texts(owner_client, project, DIALOGUE)
    assert response.status_code == 201, response.content
    assert len(response.json()["created"]) == 5 and response.json()["errors"] == []

    listed = owner_client.get(f"/api/projects/{project.pk}/media/?dialogue_id=d1").json()
    assert [item["turn"] for item in listed] == [1, 2, 3]
    assert [item["text"] for item in listed] == ["How are you?", "Fine, thanks.", "Yes."]
    first = listed[0]
    assert (first["kind"], first["status"], first["progress"]) == ("text", "ready", 100)
    assert (first["speaker"], first["dialogue_id"]) == ("A", "d1")
    assert (first["start_seconds"], first["end_seconds"]) == (0.0, 1.2)
    assert listed[2]["metadata"] == {"emotion": "neutral", "age": 31}
    assert listed[2]["start_seconds"] is None


def test_the_same_words_at_two_turns_are_two_assets(owner_client, project):
    post_texts(owner_client, project, DIALOGUE)
    same_words = MediaAsset.objects.filter(project=project, text="Yes.")
    assert same_words.count() == 3
    assert len({asset.sha256 for asset in same_words}) == 3


def test_reimporting_the_same_file_creates_no_duplicates(owner_client, project):
    first = post_texts(owner_client, project, DIALOGUE).json()
    second = post_texts(owner_client, project, DIALOGUE)
    assert second.status_code == 200
    assert second.json()["created"] == []
    assert sorted(second.json()["existing"]) == sorted(first["created"])
    assert MediaAsset.objects.filter(project=project).count() == 5


def test_one_and_one_point_zero_seconds_are_the_same_utterance(owner_client, project):
    post_texts(owner_client, project, jsonl({"text": "Hi", "dialogue_id": "d", "turn": 1, "start": 1}))
    again = post_texts(
        owner_client, project, jsonl({"text": "Hi", "dialogue_id": "d", "turn": 1, "start": 1.0})
    )
    assert again.json()["created"] == [] and len(again.json()["existing"]) == 1


def test_bad_lines_are_reported_by_number_and_good_lines_still_imported(owner_client, project):
    content = jsonl(
        {"text": "good one", "dialogue_id": "d1", "turn": 1},
        "{not json",
        {"speaker": "A", "dialogue_id": "d1", "turn": 2},
        {"text": "x", "dialogue_id": "d1", "turn": "3"},
        {"text": "x", "dialogue_id": "d1", "turn": 2.5},
        {"text": "x", "dialogue_id": "d1", "turn": 4, "start": 3, "end": 2},
        {"text": "again", "dialogue_id": "d1", "turn": 1},
        "",
        '["a list"]',
        {"text": "   "},
        {"text": "good two", "dialogue_id": "d1", "turn": 5, "start": 1, "end": 1},
    )
    response = post_texts(owner_client, project, content)
    assert response.status_code == 201
    report = response.json()
    errors = {error["line"]: error["error"] for error in report["errors"]}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 9, 10]
    assert "not valid JSON" in errors[2]
    assert "'text' is missing" in errors[3]
    assert "'turn' must be an integer" in errors[4] and "'turn' must be an integer" in errors[5]
    assert "before 'start'" in errors[6]
    assert "turn 1" in errors[7] and "line 1" in errors[7]
    assert "JSON object" in errors[9]
    assert "non-empty" in errors[10]
    texts = MediaAsset.objects.filter(project=project).order_by("turn").values_list("text", flat=True)
    assert list(texts) == ["good one", "good two"]


def test_a_different_utterance_at_a_stored_turn_is_refused(owner_client, project):
    post_texts(owner_client, project, jsonl({"text": "original", "dialogue_id": "d1", "turn": 1}))
    report = post_texts(
        owner_client, project, jsonl({"text": "edited", "dialogue_id": "d1", "turn": 1})
    ).json()
    assert report["created"] == []
    assert "already holds a different utterance" in report["errors"][0]["error"]
    assert list(MediaAsset.objects.values_list("text", flat=True)) == ["original"]


def test_an_overlong_line_is_an_error_and_the_next_line_still_imports(owner_client, project):
    content = jsonl({"text": "x" * 300_000}, {"text": "short"})
    report = post_texts(owner_client, project, content).json()
    assert report["errors"] == [{"line": 1, "error": "the line is longer than 256 KiB"}]
    assert MediaAsset.objects.get(pk=report["created"][0]).text == "short"


def test_text_assets_queue_no_processing(owner_client, project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        post_texts(owner_client, project, DIALOGUE)
    assert callbacks == []
    assert set(MediaAsset.objects.values_list("status", flat=True)) == {"ready"}


def test_too_many_lines_are_refused_whole(owner_client, project, settings):
    settings.AFFECTLAB_MAX_MANIFEST_ROWS = 4
    response = post_texts(owner_client, project, DIALOGUE)
    assert response.status_code == 400
    assert "more than 4 lines" in response.json()["file"]
    assert MediaAsset.objects.count() == 0


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_an_empty_file_is_400(owner_client, project, content):
    response = post_texts(owner_client, project, content)
    assert response.status_code == 400
    assert "no utterances" in response.json()["file"]


def test_only_members_who_may_upload_can_import_texts(project, annotator, outsider):
    assert post_texts(client_for(annotator), project, DIALOGUE).status_code == 403
    assert post_texts(client_for(outsider), project, DIALOGUE).status_code == 404
    assert MediaAsset.objects.count() == 0
