"""Uploading through the API and watching assets that a worker process is handling."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from django.core.files.storage import default_storage

from ingest.models import AssetStatus, MediaAsset
from ingest.services.storage_keys import asset_prefix, derived_key

FINISHED = (AssetStatus.READY, AssetStatus.FAILED)
VIDEO_DERIVED = {"proxy": "proxy.mp4", "poster": "poster.jpg", "audio": "audio.wav", "peaks": "peaks.json"}


def upload(client, project, path: Path) -> dict:
    with open(path, "rb") as handle:
        response = client.post(f"/api/projects/{project.pk}/media/", {"file": handle}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def wait_for_asset(
    asset_id: int, done: Callable[[MediaAsset], bool], *, timeout: float, workers=()
) -> MediaAsset:
    """Poll the database until ``done(asset)``; fail with the asset's state and the workers' logs."""
    deadline = time.monotonic() + timeout
    while True:
        asset = MediaAsset.objects.get(pk=asset_id)
        if done(asset):
            return asset
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {w.name}\n{w.log()}" for w in workers)
            raise AssertionError(
                f"asset {asset_id} still {asset.status} at {asset.progress}% after {timeout} s "
                f"({asset.failure_reason})\n{logs}"
            )
        time.sleep(0.1)


def wait_until_finished(asset_id: int, *, timeout: float, workers=()) -> MediaAsset:
    return wait_for_asset(asset_id, lambda asset: asset.status in FINISHED, timeout=timeout, workers=workers)


def stored_derived_files(asset: MediaAsset) -> list[str]:
    """Every file under the asset's derived folder in storage (a second set would show here)."""
    folder = f"{asset_prefix(asset)}/derived"
    if not default_storage.exists(folder):
        return []
    return sorted(default_storage.listdir(folder)[1])


def assert_one_set_of_video_derived_files(asset: MediaAsset) -> None:
    assert asset.derived == {key: derived_key(asset, name) for key, name in VIDEO_DERIVED.items()}
    assert stored_derived_files(asset) == sorted(VIDEO_DERIVED.values())


def decoded_video(path: str) -> tuple[int, float]:
    """Decode every video frame: (frame count, time of the last frame in seconds)."""
    import av

    frames, last = 0, 0.0
    with av.open(path) as container:
        for frame in container.decode(container.streams.video[0]):
            frames += 1
            last = frame.time or last
    return frames, last
