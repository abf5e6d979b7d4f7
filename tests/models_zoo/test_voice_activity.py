"""Voice activity on espeak-ng speech placed at known times in silence."""

from __future__ import annotations

import numpy as np
import pytest

from models_zoo.prelabelers.base import BadInput
from models_zoo.prelabelers.voice_activity import FRAME_SECONDS, speech_segments
from models_zoo.services.requests import prelabel_request
from models_zoo.services.track_files import track_table_read

from .conftest import run_request
from .speech_samples import espeak_16k, placed, wav_write

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def placed_speech(tmp_path_factory):
    """2 s of silence, a sentence, 3 s of silence, another sentence, 1 s of silence."""
    work = tmp_path_factory.mktemp("vad")
    first = espeak_16k("Good morning everyone and thank you for coming.", work)
    second = espeak_16k("We are going to the park this afternoon.", work)
    samples, spans = placed([2.0, first, 3.0, second, 1.0])
    return wav_write(work / "placed.wav", samples), spans, samples.size / 16_000


def test_speech_is_found_where_it_was_placed(make_ready, placed_speech):
    path, spans, duration = placed_speech
    job = run_request(make_ready(path), "voice_activity")
    assert job.state == "succeeded", job.error
    track = job.tracks.get(kind="speech_segments")
    rows = track_table_read(track=track).to_pylist()
    assert len(rows) == len(spans), rows
    for row, (start, end) in zip(rows, spans, strict=True):
        assert row["start"] == pytest.approx(start, abs=0.3) and row["time"] == row["start"]
        assert row["end"] == pytest.approx(end, abs=0.3)
        assert 0.5 <= row["probability"] <= 1.0
    assert track.duration_seconds == pytest.approx(duration, abs=0.05)
    assert track.metadata["speech_seconds"] == pytest.approx(sum(e - s for s, e in spans), abs=0.6)

    frames = track_table_read(track=job.tracks.get(kind="speech_probability")).to_pylist()
    assert len(frames) == pytest.approx(duration / FRAME_SECONDS, abs=1)
    silent = [f["probability"] for f in frames if f["time"] < spans[0][0] - 0.3]
    spoken = [f["probability"] for f in frames if spans[0][0] + 0.2 < f["time"] < spans[0][1] - 0.2]
    assert max(silent) < 0.2 and float(np.median(spoken)) > 0.8


def test_parameters_change_the_segments(make_ready, placed_speech):
    path, spans, _ = placed_speech
    asset = make_ready(path)
    longest = max(end - start for start, end in spans)
    job = run_request(asset, "voice_activity", {"min_speech_seconds": longest + 1.0})
    assert job.state == "succeeded" and job.tracks.get(kind="speech_segments").row_count == 0
    merged = run_request(asset, "voice_activity", {"min_silence_seconds": 4.0})
    rows = track_table_read(track=merged.tracks.get(kind="speech_segments")).to_pylist()
    assert len(rows) == 1  # the 3 s pause is shorter than the silence needed to end a segment
    assert rows[0]["start"] == pytest.approx(spans[0][0], abs=0.3)
    assert rows[0]["end"] == pytest.approx(spans[1][1], abs=0.3)
    with pytest.raises(BadInput, match="threshold"):
        prelabel_request(asset=asset, name="voice_activity", params={"threshold": 1.5})


def test_segmenting_probabilities_uses_hysteresis_minimums_and_padding():
    # 10 frames quiet, 20 speech with a 2-frame dip to 0.4 (above the 0.35 exit level), 10 quiet,
    # 3 speech (too short), 5 quiet.
    probs = np.array([0.0] * 10 + [0.9] * 8 + [0.4] * 2 + [0.9] * 10 + [0.1] * 10 + [0.9] * 3 + [0.0] * 5)
    found = speech_segments(
        probs,
        duration=probs.size * FRAME_SECONDS,
        threshold=0.5,
        min_speech_seconds=0.25,
        min_silence_seconds=0.1,
        speech_pad_seconds=0.03,
    )
    assert len(found) == 1
    assert found[0].start == pytest.approx(10 * FRAME_SECONDS - 0.03)
    assert found[0].end == pytest.approx(30 * FRAME_SECONDS + 0.03)
    assert found[0].probability == pytest.approx((18 * 0.9 + 2 * 0.4) / 20)
