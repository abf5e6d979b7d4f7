"""Utterance items from a recording's voice activity: speech placed at known times in silence."""

from __future__ import annotations

import pytest

from ingest.models import MediaAsset
from ingest.services.utterances import (
    UtteranceError,
    utterance_params_clean,
    utterance_spans,
)
from tests.conftest import client_for
from tests.models_zoo.conftest import run_request
from tests.models_zoo.media import ready_asset
from tests.models_zoo.speech_samples import espeak_16k, placed, wav_write

pytestmark = pytest.mark.django_db

TOLERANCE = 0.3


@pytest.fixture(scope="module")
def placed_speech(tmp_path_factory):
    """2 s of silence, a sentence, 3 s of silence, another sentence, 1 s of silence."""
    work = tmp_path_factory.mktemp("utterances")
    first = espeak_16k("Good morning everyone and thank you for coming.", work)
    second = espeak_16k("We are going to the park this afternoon.", work)
    samples, spans = placed([2.0, first, 3.0, second, 1.0])
    return wav_write(work / "placed.wav", samples), spans, samples.size / 16_000


@pytest.fixture
def recording(project, owner, tmp_path, placed_speech):
    return ready_asset(project, owner, placed_speech[0], tmp_path)


def post(client, asset, body: dict | None = None):
    return client.post(f"/api/media/{asset.pk}/utterances/", body or {}, format="json")


def test_one_item_per_speech_segment_at_the_right_times_and_no_duplicates(
    owner_client, recording, placed_speech
):
    _, spans, duration = placed_speech
    assert post(owner_client, recording).status_code == 409  # no voice-activity track yet
    assert run_request(recording, "voice_activity").state == "succeeded"

    response = post(owner_client, recording, {"pad_s": 0.0})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] == len(spans) == len(body["items"])
    for item, (start, end) in zip(body["items"], spans, strict=True):
        assert item["start_seconds"] == pytest.approx(start, abs=TOLERANCE)
        assert item["end_seconds"] == pytest.approx(end, abs=TOLERANCE)
        assert item["duration_seconds"] == pytest.approx(
            item["end_seconds"] - item["start_seconds"], abs=1e-3
        )
        assert (
            item["kind"] == "audio" and item["status"] == "ready" and item["project"] == recording.project_id
        )
        assert item["metadata"]["utterance_of"] == recording.pk
        assert (
            item["metadata"]["media_fragment"] == f"#t={item['start_seconds']:.3f},{item['end_seconds']:.3f}"
        )
        assert set(item["files"]) == set(recording.derived)  # the parent's media, played over the range
    stored = MediaAsset.objects.filter(parent=recording).order_by("start_seconds")
    assert [a.pk for a in stored] == [i["id"] for i in body["items"]]
    assert [a.turn for a in stored] == list(range(len(spans)))

    again = post(owner_client, recording, {"pad_s": 0.0})
    assert again.status_code == 200 and again.json()["created"] == 0
    assert [i["id"] for i in again.json()["items"]] == [i["id"] for i in body["items"]]
    assert MediaAsset.objects.filter(parent=recording).count() == len(spans)

    # The utterance's audio is served from the parent's file.
    audio = owner_client.get(body["items"][0]["files"]["audio"])
    assert audio.status_code == 200
    assert b"".join(audio.streaming_content)[:4] == b"RIFF"

    padded = post(owner_client, recording, {"pad_s": 0.5}).json()
    assert padded["created"] == len(spans)
    for item, (start, end) in zip(padded["items"], spans, strict=True):
        assert item["start_seconds"] == pytest.approx(start - 0.5, abs=TOLERANCE)
        assert item["end_seconds"] == pytest.approx(min(duration, end + 0.5), abs=TOLERANCE)


def test_merging_windows_and_splitting(owner_client, recording, placed_speech):
    _, spans, duration = placed_speech
    run_request(recording, "voice_activity")
    merged = post(owner_client, recording, {"min_gap_s": 4.0, "pad_s": 0.0}).json()["items"]
    assert len(merged) == 1  # the 3 s pause is shorter than the gap that keeps segments apart
    assert merged[0]["start_seconds"] == pytest.approx(spans[0][0], abs=TOLERANCE)
    assert merged[0]["end_seconds"] == pytest.approx(spans[1][1], abs=TOLERANCE)

    pieces = post(owner_client, recording, {"min_gap_s": 4.0, "pad_s": 0.0, "max_duration_s": 2.0})
    items = pieces.json()["items"]
    total = spans[1][1] - spans[0][0]
    assert len(items) == pytest.approx(total / 2.0 + 0.5, abs=1)
    assert all(i["end_seconds"] - i["start_seconds"] <= 2.0 + 1e-6 for i in items)
    assert items[0]["start_seconds"] == merged[0]["start_seconds"]
    assert items[-1]["end_seconds"] == merged[0]["end_seconds"]

    windows = post(owner_client, recording, {"mode": "windows", "window_s": 1.0}).json()["items"]
    expected = [
        k
        for k in range(int(duration) + 1)
        if any(s < k + 1 - TOLERANCE and e > k + TOLERANCE for s, e in spans)
    ]
    starts = [int(round(w["start_seconds"])) for w in windows]
    assert set(expected) <= set(starts)  # every window with clear speech in it
    assert 0 not in starts  # the first second is silent: no window there
    assert all(w["end_seconds"] - w["start_seconds"] <= 1.0 + 1e-6 for w in windows)

    too_long = post(owner_client, recording, {"min_duration_s": 10.0, "max_duration_s": 0})
    assert too_long.status_code == 200 and too_long.json()["items"] == []


def test_bad_requests_and_permissions(owner_client, recording, project, annotator, outsider, manager):
    run_request(recording, "voice_activity")
    for body, message in (
        ({"pad_s": -1}, "'pad_s' must not be negative"),
        ({"pad_s": "lots"}, "'pad_s' must be a number"),
        ({"mode": "turns"}, "'mode' must be one of speech, windows"),
        ({"gap": 1}, "Unknown parameter(s): gap"),
        ({"min_duration_s": 5, "max_duration_s": 1}, "'max_duration_s' must be 0"),
    ):
        response = post(owner_client, recording, body)
        assert response.status_code == 400 and message in response.json()["detail"], response.json()
    assert owner_client.post(f"/api/media/{recording.pk}/utterances/", [1], format="json").status_code == 400

    text = MediaAsset.objects.create(project=project, kind="text", status="ready", sha256="t" * 64, text="hi")
    response = post(owner_client, text)
    assert response.status_code == 400 and "a text asset" in response.json()["detail"]
    item = post(owner_client, recording).json()["items"][0]
    nested = owner_client.post(f"/api/media/{item['id']}/utterances/", {}, format="json")
    assert nested.status_code == 400 and "an utterance item" in nested.json()["detail"]

    assert post(client_for(annotator), recording).status_code == 403
    assert post(client_for(outsider), recording).status_code == 404
    assert post(client_for(manager), recording).status_code == 200


def test_spans_from_segments():
    params = utterance_params_clean({"min_gap_s": 0.5, "pad_s": 0.2, "min_duration_s": 0.4})
    segments = [(1.0, 2.0), (2.3, 3.0), (5.0, 5.2), (5.9, 9.0), (9.1, 9.95)]
    spans = utterance_spans(segments, duration=10.0, params={**params, "max_duration_s": 0.0})
    # (1,2)+(2.3,3) merge; (5,5.2) is too short alone; (5.9,9)+(9.1,9.95) merge and pad stops at the end.
    assert [(s.start, s.end) for s in spans] == [(0.8, 3.2), (5.7, 10.0)]
    close = utterance_spans([(1.0, 2.0), (2.6, 3.6)], duration=4.0, params={**params, "pad_s": 1.0})
    assert [(s.start, s.end) for s in close] == [(0.0, 2.3), (2.3, 4.0)]  # paddings meet half way
    split = utterance_spans(
        [(0.0, 5.0)], duration=5.0, params={**params, "pad_s": 0.0, "max_duration_s": 2.0}
    )
    assert [(s.start, s.end) for s in split] == [(0.0, 1.667), (1.667, 3.333), (3.333, 5.0)]
    with pytest.raises(UtteranceError, match="window_s"):
        utterance_params_clean({"window_s": 0})
