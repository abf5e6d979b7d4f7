"""A job that runs past its soft time limit fails with a reason instead of running on or being lost."""

import time

import pytest

from ingest.models import AssetStatus
from ingest.tasks import TIME_LIMIT_REASON

from .assets import upload, wait_until_finished

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_normalising_past_the_soft_time_limit_fails_the_asset_with_a_reason(
    workers, owner_client, project, long_clip
):
    worker = workers(env={"CELERY_TASK_SOFT_TIME_LIMIT": "2", "CELERY_TASK_TIME_LIMIT": "60"})
    asset_id = upload(owner_client, project, long_clip)["id"]

    asset = wait_until_finished(asset_id, timeout=60, workers=[worker])

    assert asset.status == AssetStatus.FAILED
    assert asset.failure_reason == TIME_LIMIT_REASON
    assert asset.derived == {}
    deadline = time.monotonic() + 5
    while worker.job_process() is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert worker.job_process() is None, "ffmpeg kept running after the time limit"
