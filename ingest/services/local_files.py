"""Give ffmpeg and PyAV a local path whatever the storage backend is."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage


@contextmanager
def local_copy(key: str) -> Iterator[Path]:
    """Yield a local path for a storage key: the file itself on disk, or a streamed temp copy."""
    try:
        direct = Path(default_storage.path(key))
    except NotImplementedError:
        direct = None
    if direct is not None:
        yield direct
        return
    os.makedirs(settings.AFFECTLAB_STAGING_DIR, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=settings.AFFECTLAB_STAGING_DIR) as tmp:
        with default_storage.open(key, "rb") as src:
            shutil.copyfileobj(src, tmp, length=1024 * 1024)
        tmp.flush()
        yield Path(tmp.name)


@contextmanager
def work_dir() -> Iterator[Path]:
    os.makedirs(settings.AFFECTLAB_STAGING_DIR, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.AFFECTLAB_STAGING_DIR) as tmp:
        yield Path(tmp)


def store_file(key: str, path: Path) -> str:
    """Write a local file to storage under a fixed key, replacing any earlier version (idempotent re-runs)."""
    if default_storage.exists(key):
        default_storage.delete(key)
    with open(path, "rb") as handle:
        return default_storage.save(key, File(handle, name=key))
