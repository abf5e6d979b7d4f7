"""Action-unit estimates on a smiling face and on the same face with its mouth turned upside down.

Both halves of the clip show the same photo; only the mouth region differs, so what the test
proves is that the mouth AUs follow the mouth: AU12 (lip corner puller) is high on the smile and
low on the frown, AU15 (lip corner depressor) the other way round. The eyes are untouched, so the
AU6 difference comes from its smile-gated eye-squint term, not from a cheek change in the pixels.
"""

from __future__ import annotations

import numpy as np
import pytest

from models_zoo.prelabelers.action_units import METHOD
from models_zoo.services.track_files import track_table_read

from .conftest import run_request

pytestmark = pytest.mark.django_db


def au_rows(job):
    return track_table_read(track=job.tracks.get(kind="action_units")).to_pylist()


def test_a_smile_gives_high_au12_and_au6_and_the_turned_mouth_does_not(make_ready, smile_then_frown_mp4):
    asset = make_ready(smile_then_frown_mp4)
    job = run_request(asset, "action_units")
    assert job.state == "succeeded", job.error
    (face_job,) = job.depends_on.all()
    assert face_job.prelabeler == "face" and face_job.state == "succeeded"
    rows = au_rows(job)
    smile = [r for r in rows if r["time"] < 0.95]
    frown = [r for r in rows if r["time"] >= 1.0]
    assert len(smile) == 5 and len(frown) == 5

    def mean(rows, au):
        return float(np.mean([r[au] for r in rows]))

    assert mean(smile, "AU12") > 0.6 and mean(frown, "AU12") < 0.2
    assert mean(smile, "AU06") > mean(frown, "AU06") + 0.1
    assert mean(frown, "AU15") > 0.4 and mean(smile, "AU15") < 0.1
    expected = {"AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU09", "AU10", "AU12", "AU14", "AU15",
                "AU17", "AU20", "AU23_24", "AU25_26", "AU45"}  # fmt: skip
    assert expected <= set(rows[0])


def test_the_track_says_it_is_an_estimate_and_events_mark_the_smile(make_ready, smile_then_frown_mp4):
    asset = make_ready(smile_then_frown_mp4)
    job = run_request(asset, "action_units", {"event_threshold": 0.5})
    track = job.tracks.get(kind="action_units")
    assert track.metadata["method"] == METHOD == "estimated from MediaPipe blendshapes"
    assert track.sample_rate == pytest.approx(5.0)
    events = track_table_read(track=job.tracks.get(kind="au_events")).to_pylist()
    au12 = [e for e in events if e["au"] == "AU12"]
    au15 = [e for e in events if e["au"] == "AU15"]
    assert len(au12) == 1 and au12[0]["time"] == pytest.approx(0.0) and 0.75 <= au12[0]["end"] < 1.0
    assert len(au15) == 1 and 1.0 <= au15[0]["time"] < 1.25 and au15[0]["end"] >= 1.75


def test_no_face_means_no_action_units_rather_than_an_error(make_ready, blank_mp4):
    job = run_request(make_ready(blank_mp4), "action_units")
    assert job.state == "succeeded", job.error
    assert job.tracks.get(kind="action_units").row_count == 0
    assert job.tracks.get(kind="au_events").row_count == 0
