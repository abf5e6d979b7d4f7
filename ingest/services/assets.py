"""Creating media assets from received files, with de-duplication by content."""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import IntegrityError, transaction

from ingest.models import AssetKind, AssetStatus, MediaAsset
from projects.models import Project

from .filenames import display_name
from .storage_keys import original_key

HASH_CHUNK = 1024 * 1024
log = logging.getLogger(__name__)


class EmptyFileError(ValueError):
    pass


@dataclass(frozen=True)
class AssetResult:
    asset: MediaAsset
    created: bool


def sha256_of_path(path: str | os.PathLike) -> tuple[str, int]:
    """Hash a file in 1 MiB chunks; returns (hex digest, size in bytes)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def asset_create_from_path(
    *,
    project: Project,
    path: str | os.PathLike,
    original_name: str,
    uploaded_by: AbstractBaseUser | None,
    metadata: dict | None = None,
    sha256: str | None = None,
    move: bool = True,
) -> AssetResult:
    """Store a received file as a new asset, or return the asset that already has these bytes.

    ``move`` lets the storage take over a staged temporary file instead of
    copying it; the staged file is removed in every outcome.
    """
    size = Path(path).stat().st_size
    if size == 0:
        _discard(path, move)
        raise EmptyFileError("The file is empty (0 bytes).")
    if sha256 is None:
        sha256, size = sha256_of_path(path)
    existing = MediaAsset.objects.filter(project=project, sha256=sha256).first()
    if existing is not None:
        _discard(path, move)
        return AssetResult(existing, created=False)
    try:
        with transaction.atomic():
            asset = MediaAsset.objects.create(
                project=project,
                sha256=sha256,
                size_bytes=size,
                original_name=display_name(original_name),
                metadata=metadata or {},
                uploaded_by=uploaded_by,
                status=AssetStatus.RECEIVED,
            )
            asset.original_file = _store_original(asset, path, move=move)
            asset.save(update_fields=["original_file", "updated_at"])
            transaction.on_commit(lambda: _enqueue_processing(asset.pk))
    except IntegrityError:
        # Another request stored the same bytes between our check and our insert.
        _discard(path, move)
        return AssetResult(MediaAsset.objects.get(project=project, sha256=sha256), created=False)
    _discard(path, move)
    return AssetResult(asset, created=True)


def _store_original(asset: MediaAsset, path: str | os.PathLike, *, move: bool) -> str:
    """Put the original into storage; a local staged file is renamed into place, not copied."""
    key = original_key(asset)
    if move and isinstance(default_storage, FileSystemStorage):
        target = Path(default_storage.path(key))
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(path, target)
            return key
        except OSError:
            pass  # another filesystem: fall back to a streamed copy
    with open(path, "rb") as handle:
        return default_storage.save(key, File(handle, name=key))


def _discard(path: str | os.PathLike, move: bool) -> None:
    if move:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _enqueue_processing(asset_id: int) -> None:
    """Queue processing; if the broker is down the asset stays ``received`` and the sweep retries.

    The upload itself is already committed, so a broker outage never loses it;
    it is logged as an error rather than hidden or run inline in the web process.
    """
    from ingest.tasks import start_processing

    try:
        start_processing(asset_id)
    except Exception:
        log.exception("could not queue processing for asset %s; the stale-asset sweep will retry", asset_id)


def asset_kind_for_text() -> str:
    return AssetKind.TEXT
