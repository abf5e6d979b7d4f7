"""Server-side paths named in a manifest: only regular files inside the import root.

A manifest is client input, so a path in it is treated like any other
untrusted string: no URLs, no absolute paths, no ``..``, and after every
symlink is resolved the file must still lie inside the root. The file is
then opened without following a last-moment symlink and without blocking on
a FIFO, and copied into staging while it is hashed.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from typing import Any

from django.conf import settings

from ingest.upload_handlers import staging_file

COPY_BLOCK = 1024 * 1024
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class ImportPathError(ValueError):
    """A manifest path that may not or cannot be read; the message is shown to the client."""


def import_path_resolve(*, root: str | os.PathLike, raw: Any) -> Path:
    """The real path of a regular file inside ``root`` named by ``raw``, or ImportPathError."""
    if not isinstance(raw, str) or not raw.strip():
        raise ImportPathError("'file' must be a non-empty path relative to the import folder")
    if "\x00" in raw:
        raise ImportPathError("'file' contains a NUL character")
    if raw.startswith(("/", "\\")) or _DRIVE.match(raw) or os.path.isabs(raw):
        raise ImportPathError("absolute paths are not accepted; give a path relative to the import folder")
    if _URL.match(raw):
        raise ImportPathError("URLs are not accepted; give a path relative to the import folder")
    if ".." in re.split(r"[\\/]+", raw):
        raise ImportPathError("'..' is not allowed in import paths")
    real_root = os.path.realpath(root)
    target = os.path.realpath(os.path.join(real_root, raw))
    if target == real_root or os.path.commonpath([real_root, target]) != real_root:
        raise ImportPathError("the path leads outside the import folder")
    try:
        info = os.stat(target)
    except FileNotFoundError as exc:
        raise ImportPathError(f"no such file in the import folder: {raw}") from exc
    except OSError as exc:
        raise ImportPathError(f"cannot read {raw}: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise ImportPathError(f"{raw} is not a regular file")
    return Path(target)


def import_path_stage(source: Path) -> tuple[Path, str]:
    """Copy a resolved file into staging in blocks, hashing as it goes; returns (copy, sha256)."""
    limit = int(settings.AFFECTLAB_MAX_UPLOAD_BYTES)
    try:
        fd = os.open(source, _OPEN_FLAGS)
    except OSError as exc:
        raise ImportPathError(f"cannot open {source.name}: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as src:
        info = os.fstat(src.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ImportPathError(f"{source.name} is not a regular file")
        if info.st_size > limit:
            raise ImportPathError(f"{source.name} is larger than the upload limit of {limit:,} bytes")
        return _copy_hashed(src, limit)


def _copy_hashed(src: Any, limit: int) -> tuple[Path, str]:
    digest = hashlib.sha256()
    size = 0
    staged = staging_file()
    try:
        with staged:
            while block := src.read(COPY_BLOCK):
                size += len(block)
                if size > limit:
                    raise ImportPathError(f"the file grew past the upload limit of {limit:,} bytes")
                digest.update(block)
                staged.write(block)
    except OSError as exc:
        os.unlink(staged.name)
        raise ImportPathError(f"copying the file failed: {exc.strerror}") from exc
    except BaseException:
        os.unlink(staged.name)
        raise
    return Path(staged.name), digest.hexdigest()
