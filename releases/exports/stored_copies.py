"""``tracks/`` and ``media/``: byte-for-byte copies of stored pre-label tracks and media files."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from django.core.files.storage import default_storage

from ..models import IncludeMedia
from .bundle import ReleaseBundle
from .common import safe_name


def _copy(key: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(key, "rb") as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out, length=1024 * 1024)


def write_tracks(bundle: ReleaseBundle, out_dir: Path) -> None:
    """``tracks/<item_id>/<prelabeler>__<kind>.parquet``; the version is in ``tracks.json``."""
    tracks = bundle.snapshot.tracks
    for item_id, prelabeler, kind, key in zip(
        tracks["item_id"], tracks["prelabeler"], tracks["kind"], tracks["storage_key"], strict=True
    ):
        _copy(key, out_dir / "tracks" / item_id / f"{safe_name(prelabeler)}__{safe_name(kind)}.parquet")


def write_media(bundle: ReleaseBundle, out_dir: Path) -> None:
    """``media/<item_id>/original<.ext>`` or ``media/<item_id>/proxy<.ext>``; text items have none."""
    if bundle.include_media == IncludeMedia.NONE:
        return
    items = bundle.snapshot.items
    column = "original_file" if bundle.include_media == IncludeMedia.ORIGINAL else "proxy_file"
    for item_id, key, name in zip(items["item_id"], items[column], items["original_name"], strict=True):
        if not key:
            continue
        source = name if bundle.include_media == IncludeMedia.ORIGINAL and name else key
        suffix = safe_name(PurePosixPath(source).suffix.lower().lstrip("."))[:10]
        stem = "original" if bundle.include_media == IncludeMedia.ORIGINAL else "proxy"
        _copy(key, out_dir / "media" / item_id / (f"{stem}.{suffix}" if suffix != "unnamed" else stem))
