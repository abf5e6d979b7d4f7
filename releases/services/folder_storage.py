"""Moving a built release folder into storage under the version's own prefix, and reading it back."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold: fixed, so zips are reproducible


def stored_keys(prefix: str) -> Iterator[str]:
    """Every key under ``prefix`` (recursively); nothing when the folder does not exist."""
    try:
        folders, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{prefix}/{name}"
    for folder in folders:
        yield from stored_keys(f"{prefix}/{folder}")


def folder_clear(prefix: str) -> None:
    """Remove what an interrupted earlier attempt of the same (never ready) build left behind."""
    for key in list(stored_keys(prefix)):
        default_storage.delete(key)


def folder_store(prefix: str, out_dir: Path, entries: list[dict]) -> None:
    for entry in entries:
        key = f"{prefix}/{entry['path']}"
        with open(out_dir / entry["path"], "rb") as handle:
            saved = default_storage.save(key, File(handle, name=key))
        if saved != key:
            raise OSError(f"storage saved {key} as {saved}; the release folder was not empty")


def release_file_key(prefix: str, files: list[dict], path: str) -> str | None:
    """The storage key of a listed file of the release, or None: only manifest paths can be read."""
    normal = posixpath.normpath(path)
    listed = {entry["path"] for entry in files}
    return f"{prefix}/{normal}" if normal in listed else None


def release_zip_write(*, prefix: str, root: str, files: list[dict], target: IO[bytes]) -> None:
    """A zip of the release folder: entries sorted by path under ``root/``, with fixed dates and modes."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in sorted(files, key=lambda e: e["path"]):
            info = zipfile.ZipInfo(f"{root}/{entry['path']}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            with (
                default_storage.open(f"{prefix}/{entry['path']}", "rb") as src,
                archive.open(info, "w", force_zip64=True) as dst,
            ):
                for block in iter(lambda: src.read(1024 * 1024), b""):
                    dst.write(block)
