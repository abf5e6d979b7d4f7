"""Pre-label jobs on a real Celery worker process: the face → AU chain, model reuse, limits, retries."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.storage import default_storage

from models_zoo.models import JobState, PrelabelJob
from models_zoo.services.requests import job_enqueue, prelabel_request
from models_zoo.services.running import job_output_prefix
from tests.conftest import client_for
from tests.worker_process import broker_reset, start_worker

from .media import encode, moving_frames, ready_asset

pytestmark = [pytest.mark.worker]


@pytest.fixture
def worker(transactional_db, tmp_path):
    broker_reset()
    process = start_worker(tmp_path, "prelabel")
    yield process
    process.kill()
    broker_reset()


def wait_for_jobs(asset, worker, *, count: int, timeout: float = 180) -> list[PrelabelJob]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = list(PrelabelJob.objects.filter(asset=asset).order_by("id"))
        if len(jobs) == count and all(j.state in (JobState.SUCCEEDED, JobState.FAILED) for j in jobs):
            return jobs
        time.sleep(0.2)
    states = [(j.prelabeler, j.state, j.error) for j in PrelabelJob.objects.filter(asset=asset)]
    raise AssertionError(f"jobs did not finish: {states}\n{worker.log()}")


def test_action_units_run_after_faces_on_a_worker_and_the_model_loads_once(
    worker, project, owner, tmp_path, smile_then_frown_mp4
):
    asset = ready_asset(project, owner, smile_then_frown_mp4, tmp_path)
    client = client_for(owner)
    response = client.post(f"/api/media/{asset.pk}/prelabel/", {"name": "action_units"}, format="json")
    assert response.status_code == 202, response.content
    face, au = wait_for_jobs(asset, worker, count=2)
    assert (face.prelabeler, face.state, au.state) == ("face", "succeeded", "succeeded"), (
        face.error,
        au.error,
    )
    assert face.finished_at <= au.started_at  # the chain ran faces first
    assert au.tracks.get(kind="action_units").row_count == 10
    assert len(worker.received("models_zoo.run_prelabel_job")) == 2

    again = client.post(
        f"/api/media/{asset.pk}/prelabel/", {"name": "face", "params": {"sample_fps": 2.0}}, format="json"
    )
    assert again.status_code == 202
    jobs = wait_for_jobs(asset, worker, count=3)
    assert jobs[-1].state == "succeeded" and jobs[-1].tracks.get(kind="faces").row_count == 4
    assert worker.log().count("loaded the model of face") == 1  # reused by the second face job


def test_a_job_past_the_soft_time_limit_fails_with_a_reason(
    transactional_db, project, owner, tmp_path, settings
):
    """The limits travel in the message from the sender's settings: both sides get 2 s here."""
    settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT = 2, 60
    broker_reset()
    worker = start_worker(
        tmp_path, "limited", env={"CELERY_TASK_SOFT_TIME_LIMIT": "2", "CELERY_TASK_TIME_LIMIT": "60"}
    )
    try:
        clip = encode(tmp_path / "long_face.mp4", moving_frames(300, 0))
        asset = ready_asset(project, owner, clip, tmp_path)
        response = client_for(owner).post(
            f"/api/media/{asset.pk}/prelabel/",
            {"name": "face", "params": {"sample_fps": 25.0}},
            format="json",
        )
        assert response.status_code == 202, response.content
        (job,) = wait_for_jobs(asset, worker, count=1, timeout=120)
        assert job.state == "failed", worker.log()[-3000:]
        assert job.error == "The pre-labeler took longer than the time limit; the media may be too long."
        assert not job.tracks.exists()
    finally:
        worker.kill()
        broker_reset()


def test_a_worker_retries_a_job_after_a_storage_error(worker, project, owner, tmp_path, moving_face_mp4):
    asset = ready_asset(project, owner, moving_face_mp4, tmp_path)
    job = prelabel_request(asset=asset, name="face", enqueue=False)
    blocker = default_storage.path(f"{job_output_prefix(job)}/faces.parquet")
    os.makedirs(blocker)
    open(os.path.join(blocker, "x"), "w").close()
    job_enqueue(job_id=job.pk)
    worker.wait_for_log(r"run_prelabel_job\[[\w-]+\] retry", timeout=60)
    os.remove(os.path.join(blocker, "x"))
    os.rmdir(blocker)
    (done,) = wait_for_jobs(asset, worker, count=1, timeout=60)
    assert done.state == "succeeded" and done.attempts == 2
