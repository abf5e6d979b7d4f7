"""A deployment's own pre-labeler, registered through settings, with a model file at a path."""

from __future__ import annotations

import wave

import numpy as np
import pytest
from django.test import override_settings

from models_zoo.services.track_files import track_table_read
from tests.conftest import client_for

from .conftest import run_request

pytestmark = pytest.mark.django_db

EXAMPLE = "models_zoo.examples.linear_audio.LinearAudioScore"


@pytest.fixture
def loud_then_quiet(tmp_path):
    """1 s of a sine at 0.8 of full scale, then 1 s at 0.05."""
    t = np.arange(2 * 16000) / 16000
    samples = np.where(t < 1, 0.8, 0.05) * np.sin(2 * np.pi * 440 * t)
    path = tmp_path / "loud_quiet.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


@override_settings(AFFECTLAB_PRELABELERS=[EXAMPLE])
def test_the_registered_example_runs_with_its_model_file(make_ready, loud_then_quiet, tmp_path, owner):
    model = tmp_path / "model.npz"
    np.savez(model, weights=np.array([10.0, 0.0]), bias=np.array(0.0))
    listed = {p["name"] for p in client_for(owner).get("/api/prelabelers/").json()}
    assert "example_linear_audio" in listed
    job = run_request(make_ready(loud_then_quiet), "example_linear_audio", {"model_path": str(model)})
    assert job.state == "succeeded", job.error
    rows = track_table_read(track=job.tracks.get(kind="example_score")).to_pylist()
    assert len(rows) == 4
    loud, quiet = rows[:2], rows[2:]
    # A sine's RMS is amplitude / sqrt(2): 0.8 -> -4.9 dBFS, 0.05 -> -29.0 dBFS.
    assert all(r["rms_db"] == pytest.approx(-4.9, abs=0.5) for r in loud)
    assert all(r["rms_db"] == pytest.approx(-29.0, abs=0.5) for r in quiet)
    assert min(r["score"] for r in loud) > max(r["score"] for r in quiet)
    assert loud[0]["score"] == pytest.approx(1 / (1 + np.exp(0.49)), abs=0.02)


@override_settings(AFFECTLAB_PRELABELERS=[EXAMPLE])
def test_a_missing_model_file_fails_the_job_and_a_new_request_retries_it(
    make_ready, loud_then_quiet, tmp_path
):
    missing = tmp_path / "nowhere" / "model.npz"
    job = run_request(make_ready(loud_then_quiet), "example_linear_audio", {"model_path": str(missing)})
    assert job.state == "failed"
    assert job.error == f"The model file {missing} does not exist."
    missing.parent.mkdir()
    np.savez(missing, weights=np.array([1.0, 0.0]), bias=np.array(0.0))
    again = run_request(job.asset, "example_linear_audio", {"model_path": str(missing)})
    assert again.pk == job.pk  # the failed job is queued again, not duplicated
    assert again.state == "succeeded" and again.error == "" and again.attempts == 2


def test_an_unregistered_example_is_unknown(owner):
    listed = {p["name"] for p in client_for(owner).get("/api/prelabelers/").json()}
    assert "example_linear_audio" not in listed
