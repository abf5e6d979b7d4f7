"""The tasks are safe to run twice, and a job for an asset that is gone ends quietly."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.forms.models import model_to_dict

from ingest.models import AssetStatus, MediaAsset
from ingest.tasks import normalise_asset, probe_asset, requeue_stale_assets, start_processing

from .assets import upload, wait_until_finished

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def snapshot(asset_id: int) -> dict:
    """The asset row and every stored file of it, with content hash and modification time."""
    asset = MediaAsset.objects.get(pk=asset_id)
    files = {}
    for key in [asset.original_file, *asset.derived.values()]:
        path = Path(default_storage.path(key))
        files[key] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return {"row": model_to_dict(asset), "updated_at": asset.updated_at, "files": files}


def drain(worker) -> None:
    """Return once the worker has taken every message queued so far (the queue is first in, first out)."""
    assert worker.wait_for_outcome(requeue_stale_assets.delay().id) == "succeeded"


def test_running_probe_and_normalise_again_on_a_ready_asset_changes_nothing(
    workers, owner_client, project, clip_mp4
):
    worker = workers()
    asset_id = upload(owner_client, project, clip_mp4)["id"]
    assert wait_until_finished(asset_id, timeout=60, workers=[worker]).status == AssetStatus.READY
    before = snapshot(asset_id)

    probe_id = probe_asset.delay(asset_id).id
    normalise_id = normalise_asset.delay(asset_id).id
    start_processing(asset_id)  # the whole chain again
    drain(worker)

    assert worker.task_outcomes(probe_id) == ["ignored"]  # already done: the chain goes no further
    assert worker.task_outcomes(normalise_id) == ["succeeded"]
    *_, chain_probe_id = worker.received("ingest.probe_asset")
    assert worker.task_outcomes(chain_probe_id) == ["ignored"]
    assert len(worker.received("ingest.normalise_asset")) == 2  # the first run's, and the one sent directly
    assert worker.log().count(f"asset {asset_id} is ready") == 1
    assert snapshot(asset_id) == before


def test_a_job_for_an_asset_deleted_while_queued_ends_quietly(workers, owner_client, project, clip_mp4):
    asset_id = upload(owner_client, project, clip_mp4)["id"]
    MediaAsset.objects.filter(pk=asset_id).delete()

    worker = workers()
    normalise_id = normalise_asset.delay(asset_id).id
    drain(worker)

    [probe_id] = worker.received("ingest.probe_asset")
    assert worker.task_outcomes(probe_id) == ["ignored"]
    assert worker.received("ingest.normalise_asset") == [normalise_id]  # the chain stopped at the probe
    assert worker.task_outcomes(normalise_id) == ["succeeded"]
    log = worker.log()
    assert "Traceback" not in log
    assert "ERROR" not in log
    assert not MediaAsset.objects.exists()
