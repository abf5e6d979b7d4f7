"""An upload through the API goes from ``received`` to ``ready`` on a real worker process."""

import wave

import pytest
from django.core.files.storage import default_storage

from ingest.models import AssetStatus, MediaAsset

from .assets import assert_one_set_of_video_derived_files, decoded_video, upload, wait_until_finished

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_uploaded_clip_becomes_ready_on_a_worker_process(workers, owner_client, project, clip_mp4):
    worker = workers()
    body = upload(owner_client, project, clip_mp4)
    assert body["status"] == AssetStatus.RECEIVED

    asset = wait_until_finished(body["id"], timeout=60, workers=[worker])

    assert asset.status == AssetStatus.READY, asset.failure_reason
    assert (asset.kind, asset.progress, asset.attempts) == ("video", 100, 2)
    assert asset.duration_seconds == pytest.approx(3, abs=0.1)
    assert_one_set_of_video_derived_files(asset)
    assert decoded_video(default_storage.path(asset.derived["proxy"]))[0] == 75
    with wave.open(default_storage.path(asset.derived["audio"])) as wav:
        assert (wav.getframerate(), wav.getnchannels()) == (16000, 1)
    assert f"asset {asset.pk} is ready" in worker.log()
    assert MediaAsset.objects.count() == 1
