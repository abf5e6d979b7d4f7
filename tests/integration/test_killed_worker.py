"""A worker killed in the middle of normalising loses nothing: the job finishes once, elsewhere.

Two ways to die: the pool process running the job is killed (the kernel's OOM killer
does that) and the worker's master sees it; or the whole worker goes, master included
(its host is lost). In the first case the master puts the message back at once
(``acks_late`` with ``reject_on_worker_lost``). In the second, Redis hands the
unacknowledged message to another worker once its ``visibility_timeout`` has passed;
the filesystem broker deleted the message when the worker took it, so there the
stale-asset sweep restarts the job.
"""

import re

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from ingest.models import AssetStatus, MediaAsset
from ingest.services.processing import PROBE_SHARE

from .assets import (
    assert_one_set_of_video_derived_files,
    decoded_video,
    upload,
    wait_for_asset,
    wait_until_finished,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Short leases, a short Redis visibility timeout scanned every second, and a fast sweep:
# recovery within seconds instead of the production minutes.
FAST_RECOVERY = {
    "AFFECTLAB_JOB_STALE_SECONDS": "4",
    "AFFECTLAB_STALE_SWEEP_SECONDS": "2",
    "CELERY_WORKER_LOST_WAIT": "1",
    "CELERY_VISIBILITY_TIMEOUT": "6",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}
LONG_CLIP_FRAMES = 40 * 25


def broker_redelivers() -> bool:
    return settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))


def wait_until_transcoding(asset_id: int, worker) -> MediaAsset:
    """Wait until ffmpeg is making the proxy: normalising, and past the probe's share of progress."""
    asset = wait_for_asset(
        asset_id,
        lambda a: (
            a.status == AssetStatus.NORMALISING
            and a.progress > PROBE_SHARE + 2
            or a.status in (AssetStatus.READY, AssetStatus.FAILED)
        ),
        timeout=60,
        workers=[worker],
    )
    assert asset.status == AssetStatus.NORMALISING, "normalising finished before the worker could be killed"
    return asset


def normalise_task_id(worker) -> str:
    return worker.wait_for_log(r"Task ingest\.normalise_asset\[([\w-]+)\] received").group(1)


def assert_ready_once_with_one_set_of_files(asset_id: int, logs: str) -> MediaAsset:
    asset = MediaAsset.objects.get(pk=asset_id)
    assert asset.status == AssetStatus.READY, asset.failure_reason
    assert MediaAsset.objects.count() == 1
    assert len(re.findall(rf"asset {asset_id} is ready\b", logs)) == 1
    assert_one_set_of_video_derived_files(asset)
    frames, last = decoded_video(default_storage.path(asset.derived["proxy"]))
    assert frames == LONG_CLIP_FRAMES
    assert last == pytest.approx(40, abs=0.1)
    return asset


def test_a_pool_process_killed_mid_job_is_replaced_and_the_job_finishes_once(
    workers, owner_client, project, long_clip
):
    worker = workers(env=FAST_RECOVERY)
    asset_id = upload(owner_client, project, long_clip)["id"]
    wait_until_transcoding(asset_id, worker)
    task_id = normalise_task_id(worker)

    worker.kill_job_process()

    worker.wait_for_log(r"WorkerLostError")
    wait_until_finished(asset_id, timeout=90, workers=[worker])
    assert_ready_once_with_one_set_of_files(asset_id, worker.log())
    assert worker.log().count(f"Task ingest.normalise_asset[{task_id}] received") >= 2
    assert worker.task_outcomes(task_id)[-1] == "succeeded"


def test_a_whole_worker_killed_mid_job_is_recovered_by_a_second_worker(
    workers, owner_client, project, long_clip
):
    first = workers("first", env=FAST_RECOVERY)
    asset_id = upload(owner_client, project, long_clip)["id"]
    wait_until_transcoding(asset_id, first)
    task_id = normalise_task_id(first)

    first.kill()

    assert first.job_process() is None
    killed_at = MediaAsset.objects.get(pk=asset_id)
    assert killed_at.status == AssetStatus.NORMALISING
    second = workers("second", env=FAST_RECOVERY, beat=not broker_redelivers())
    wait_until_finished(asset_id, timeout=90, workers=[first, second])
    assert_ready_once_with_one_set_of_files(asset_id, first.log() + second.log())
    assert "succeeded" not in first.task_outcomes(task_id)
    if broker_redelivers():
        assert "succeeded" in second.task_outcomes(task_id)  # the very message the first worker held
    else:
        assert "requeued 1 stale assets" in second.log()
        assert task_id not in second.log()
