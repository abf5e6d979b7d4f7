"""The periodic stale-asset sweep restarts an asset whose job message the broker lost."""

import re

import pytest

from ingest.models import AssetStatus, MediaAsset
from tests.worker_process import broker_reset

from .assets import assert_one_set_of_video_derived_files, upload, wait_until_finished

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SWEEP_EVERY_SECOND = {"AFFECTLAB_JOB_STALE_SECONDS": "3", "AFFECTLAB_STALE_SWEEP_SECONDS": "1"}


def test_the_sweep_restarts_an_asset_whose_job_message_was_lost(workers, owner_client, project, clip_mp4):
    asset_id = upload(owner_client, project, clip_mp4)["id"]
    broker_reset()  # the queued job is lost, as when a broker restarts without persistence

    worker = workers(env=SWEEP_EVERY_SECOND, beat=True)

    asset = wait_until_finished(asset_id, timeout=60, workers=[worker])
    assert asset.status == AssetStatus.READY, asset.failure_reason
    assert_one_set_of_video_derived_files(asset)
    assert "requeued 1 stale assets" in worker.log()
    assert len(re.findall(r"Task ingest\.probe_asset\[[\w-]+\] received", worker.log())) == 1
    assert MediaAsset.objects.count() == 1


def test_the_sweep_leaves_an_asset_alone_while_its_worker_is_alive(workers, owner_client, project, long_clip):
    """A long job keeps its heartbeat fresh, so a sweep far shorter than the job never restarts it."""
    worker = workers(env=SWEEP_EVERY_SECOND, beat=True)
    asset_id = upload(owner_client, project, long_clip)["id"]

    asset = wait_until_finished(asset_id, timeout=90, workers=[worker])

    assert asset.status == AssetStatus.READY, asset.failure_reason
    assert "requeued" not in worker.log()
    assert len(re.findall(r"Task ingest\.normalise_asset\[[\w-]+\] received", worker.log())) == 1
    assert asset.attempts == 2
