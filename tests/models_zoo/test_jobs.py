"""Jobs: one per (asset, pre-labeler, version, params), claimed once, failing with reasons."""

from __future__ import annotations

import os

import pytest
from django.core.files.storage import default_storage

from ingest.models import AssetStatus
from models_zoo.models import JobState, PrelabelJob
from models_zoo.prelabelers.base import BadInput
from models_zoo.registry import UnknownPrelabeler
from models_zoo.services.requests import AssetNotReady, prelabel_request
from models_zoo.services.running import TIME_LIMIT_REASON, job_output_prefix, prelabel_job_run
from models_zoo.services.track_files import TrackUnreadable, track_table_read, track_window_read
from tests.media_samples import make_tone_wav

from .conftest import run_request

pytestmark = pytest.mark.django_db


def test_a_repeat_request_reuses_the_finished_job_and_new_params_make_a_new_one(make_ready, pattern_mp4):
    asset = make_ready(pattern_mp4)
    first = run_request(asset, "face")
    again = prelabel_request(asset=asset, name="face", params={"sample_fps": 5})  # the default, spelled out
    assert again.pk == first.pk and again.state == JobState.SUCCEEDED
    other = prelabel_request(asset=asset, name="face", params={"sample_fps": 2.0})
    assert other.pk != first.pk and other.state == JobState.QUEUED
    assert first.tracks.count() == 2  # the old tracks stay readable


def test_action_units_reuse_the_face_job_and_follow_its_parameters(make_ready, pattern_mp4):
    asset = make_ready(pattern_mp4)
    face = run_request(asset, "face")
    au = prelabel_request(asset=asset, name="action_units")
    assert list(au.depends_on.all()) == [face]
    assert PrelabelJob.objects.filter(prelabeler="face").count() == 1


def test_a_job_runs_once_and_a_second_delivery_skips_it(make_ready, pattern_mp4):
    asset = make_ready(pattern_mp4)
    job = run_request(asset, "face")
    assert prelabel_job_run(job_id=job.pk) == "skipped"
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_job_that_outlived_its_soft_time_limit_fails_even_if_the_signal_was_swallowed(
    make_ready, pattern_mp4
):
    """Celery raises the soft limit inside whatever runs then; if that code swallows it, the run
    still must not pass as a success once it returns past the limit."""
    asset = make_ready(pattern_mp4)
    job = prelabel_request(asset=asset, name="face")
    assert prelabel_job_run(job_id=job.pk, soft_time_limit=1e-6) == JobState.FAILED
    job.refresh_from_db()
    assert job.error == TIME_LIMIT_REASON and not job.tracks.exists()


def test_an_asset_that_is_not_ready_is_refused_with_its_state(make_ready, pattern_mp4):
    asset = make_ready(pattern_mp4)
    asset.status, asset.failure_reason = AssetStatus.FAILED, "The file is not media."
    asset.save()
    with pytest.raises(AssetNotReady, match="is failed: The file is not media.*ready assets only"):
        prelabel_request(asset=asset, name="face")


def test_a_job_whose_asset_stopped_being_ready_fails_with_a_reason(make_ready, pattern_mp4):
    asset = make_ready(pattern_mp4)
    job = prelabel_request(asset=asset, name="face")
    asset.status = AssetStatus.NORMALISING
    asset.save()
    assert prelabel_job_run(job_id=job.pk) == JobState.FAILED
    job.refresh_from_db()
    assert "is normalising" in job.error and job.finished_at is not None


def test_an_audio_asset_is_bad_input_for_faces(project, owner, tmp_path, make_ready):
    asset = make_ready(make_tone_wav(tmp_path / "tone.wav"))
    with pytest.raises(BadInput, match="face needs video, and asset .* \\(audio\\) has none"):
        prelabel_request(asset=asset, name="face")


def test_unknown_names_and_parameters_are_refused(make_ready, pattern_mp4):
    asset = make_ready(pattern_mp4)
    with pytest.raises(UnknownPrelabeler, match="No pre-labeler named 'nope'"):
        prelabel_request(asset=asset, name="nope")
    with pytest.raises(BadInput, match="Unknown parameter.*fps"):
        prelabel_request(asset=asset, name="face", params={"fps": 3})
    with pytest.raises(BadInput, match="'sample_fps' of face must be a float"):
        prelabel_request(asset=asset, name="face", params={"sample_fps": "fast"})


def test_parameters_out_of_range_are_refused_before_any_job_exists(make_ready, pattern_mp4):
    asset = make_ready(pattern_mp4)
    with pytest.raises(BadInput, match="'sample_fps' of face must be between 0.01 and 120.0"):
        prelabel_request(asset=asset, name="face", params={"sample_fps": 0.0})
    with pytest.raises(BadInput, match="'event_threshold' of action_units must be between 0.0 and 1.0"):
        prelabel_request(asset=asset, name="action_units", params={"event_threshold": 2})
    assert not PrelabelJob.objects.exists()


def test_action_units_fail_when_faces_failed(make_ready, pattern_mp4):
    asset = make_ready(pattern_mp4)
    au = prelabel_request(asset=asset, name="action_units")
    PrelabelJob.objects.filter(prelabeler="face").update(state=JobState.FAILED, error="boom")
    assert prelabel_job_run(job_id=au.pk) == "skipped"
    au.refresh_from_db()
    assert au.state == JobState.FAILED and au.error == "It needs face, which failed: boom"


def test_a_corrupt_track_file_is_a_clear_error_on_read(make_ready, moving_face_mp4):
    asset = make_ready(moving_face_mp4)
    track = run_request(asset, "face").tracks.get(kind="faces")
    path = default_storage.path(track.storage_key)
    with open(path, "rb") as handle:
        data = handle.read()
    with open(path, "wb") as handle:
        handle.write(data[: len(data) // 2])  # a write cut short: no footer
    with pytest.raises(TrackUnreadable, match="missing or damaged"):
        track_window_read(track=track, start=None, end=None, max_points=10)
    default_storage.delete(track.storage_key)
    with pytest.raises(TrackUnreadable, match="missing or damaged"):
        track_table_read(track=track)


def test_the_sweep_requeues_silent_running_jobs_and_leaves_live_ones(make_ready, pattern_mp4, settings):
    from datetime import timedelta

    from django.utils import timezone

    from models_zoo.services.running import job_requeue_stale, stale_jobs

    settings.AFFECTLAB_JOB_STALE_SECONDS = 60
    asset = make_ready(pattern_mp4)
    silent = prelabel_request(asset=asset, name="face")
    live = prelabel_request(asset=asset, name="face", params={"sample_fps": 1.0})
    long_ago = timezone.now() - timedelta(seconds=120)
    PrelabelJob.objects.filter(pk=silent.pk).update(state=JobState.RUNNING, heartbeat_at=long_ago, attempts=1)
    PrelabelJob.objects.filter(pk=live.pk).update(state=JobState.RUNNING, heartbeat_at=timezone.now())
    assert list(stale_jobs()) == [silent]
    assert job_requeue_stale(job_id=silent.pk) and not job_requeue_stale(job_id=live.pk)
    silent.refresh_from_db()
    assert silent.state == JobState.QUEUED
    assert prelabel_job_run(job_id=silent.pk) == JobState.SUCCEEDED
    assert prelabel_job_run(job_id=live.pk) == "skipped"  # its worker is alive: not taken over


def test_a_storage_error_puts_the_job_back_in_the_queue_for_a_retry(make_ready, moving_face_mp4):
    asset = make_ready(moving_face_mp4)
    job = prelabel_request(asset=asset, name="face")
    # A non-empty folder where the track file goes: storage cannot replace it (an OSError).
    blocker = default_storage.path(f"{job_output_prefix(job)}/faces.parquet")
    os.makedirs(blocker)
    open(os.path.join(blocker, "x"), "w").close()
    with pytest.raises(OSError):
        prelabel_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.heartbeat_at, job.error) == (JobState.QUEUED, None, "")
    os.remove(os.path.join(blocker, "x"))
    os.rmdir(blocker)
    assert prelabel_job_run(job_id=job.pk) == JobState.SUCCEEDED
    job.refresh_from_db()
    assert job.attempts == 2
