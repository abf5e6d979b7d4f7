"""Resumable uploads for long recordings: chunks append at the server's offset until the file is whole.

The protocol keeps the server's offset as the single source of truth. A chunk
is received into its own temporary file first, so a dropped connection never
leaves half a chunk in the upload and the row is locked only for the short
local append, not while the network trickles. Under that lock a chunk must
start exactly at the offset; a retry of bytes already stored is recognised
by comparing them and answered with the current offset, so retrying is always
safe. When the last byte arrives the file becomes an asset through the same
path as a one-shot upload (sha256 de-duplication included).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ingest.models import ChunkedUpload, UploadStatus
from ingest.upload_handlers import staging_file
from projects.models import Project
from projects.permissions import ROLE_CAPABILITIES, Capability

from .assets import asset_create_from_path, sha256_of_path
from .filenames import display_name

DEFAULT_MAX_CHUNK_BYTES = 64 * 1024 * 1024
IO_BLOCK = 1024 * 1024
_CONTENT_RANGE = re.compile(r"^bytes ([0-9]+)-([0-9]+)/([0-9]+)$")


class ChunkedUploadError(Exception):
    """A refused request; ``status_code`` and ``offset`` tell the client what to do next."""

    status_code = 400

    def __init__(self, message: str, *, offset: int | None = None, status_code: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset
        if status_code is not None:
            self.status_code = status_code

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": str(self)}
        if self.offset is not None:
            body["offset"] = self.offset
        return body


class UploadTooLargeError(ChunkedUploadError):
    status_code = 413


class OffsetConflict(ChunkedUploadError):
    """The chunk does not start at the server's offset; resume from ``offset``."""

    status_code = 409


@dataclass(frozen=True)
class ContentRange:
    start: int
    end: int  # inclusive, as in HTTP
    total: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def max_chunk_bytes() -> int:
    return int(getattr(settings, "AFFECTLAB_MAX_CHUNK_BYTES", DEFAULT_MAX_CHUNK_BYTES))


def content_range_parse(header: str | None) -> ContentRange:
    match = _CONTENT_RANGE.match((header or "").strip())
    if match is None:
        raise ChunkedUploadError("Send each chunk with a header 'Content-Range: bytes START-END/TOTAL'.")
    start, end, total = (int(group) for group in match.groups())
    if end < start or end >= total:
        raise ChunkedUploadError(f"Content-Range {start}-{end}/{total} is not a valid byte range.")
    return ContentRange(start, end, total)


def staging_path(upload: ChunkedUpload) -> Path:
    """Where the received bytes wait; named by the upload's uuid only, never by client input."""
    return Path(settings.AFFECTLAB_STAGING_DIR) / "chunked" / f"{upload.uid}.part"


def chunked_upload_for(*, user: AbstractBaseUser, uid: uuid.UUID) -> ChunkedUpload | None:
    """The upload if ``user`` created it and may still upload to its project; else None (a 404)."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.UPLOAD_MEDIA in caps]
    return (
        ChunkedUpload.objects.filter(
            uid=uid,
            created_by=user,
            project__memberships__user=user,
            project__memberships__role__in=roles,
        )
        .select_related("asset")
        .first()
    )


def chunked_upload_create(
    *, project: Project, user: AbstractBaseUser, filename: str, size: int, metadata: dict[str, Any]
) -> ChunkedUpload:
    """Announce a file; the size is checked now so an over-limit upload is refused before any byte."""
    limit = int(settings.AFFECTLAB_MAX_UPLOAD_BYTES)
    if size > limit:
        raise UploadTooLargeError(f"The file is larger than this server's upload limit of {limit:,} bytes.")
    if size < 1:
        raise ChunkedUploadError("size must be at least 1 byte.")
    with transaction.atomic():
        upload = ChunkedUpload.objects.create(
            project=project,
            created_by=user,
            original_name=display_name(filename),
            size_bytes=size,
            metadata=metadata,
        )
        path = staging_path(upload)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    return upload


def chunked_upload_receive(
    *, upload: ChunkedUpload, content_range: ContentRange, stream: IO[bytes] | None, length: int | None
) -> ChunkedUpload:
    """Take one chunk from the request body; completes the upload when it was the last one."""
    _check_range(upload, content_range)
    chunk = _receive_body(stream, length, content_range)
    try:
        upload = _append(upload, content_range, chunk)
    finally:
        os.unlink(chunk)
    if upload.status == UploadStatus.OPEN and upload.received_bytes == upload.size_bytes:
        upload = chunked_upload_complete(upload=upload)
    return upload


def _check_range(upload: ChunkedUpload, content_range: ContentRange) -> None:
    """Refuse what can be refused before reading the body; the locked pass repeats it authoritatively."""
    if upload.status == UploadStatus.ABORTED:
        raise ChunkedUploadError("This upload was aborted; start a new one.", status_code=409)
    if content_range.total != upload.size_bytes:
        raise ChunkedUploadError(
            f"Content-Range total {content_range.total} differs from the declared size {upload.size_bytes}."
        )
    offset = upload.received_bytes
    if content_range.end < offset:
        return  # a retry of stored bytes: judged by content under the lock
    if upload.status == UploadStatus.COMPLETE:
        raise OffsetConflict("This upload is already complete.", offset=offset)
    if content_range.start != offset:
        raise OffsetConflict(
            f"The server has {offset} bytes; send the chunk that starts at byte {offset}.", offset=offset
        )


def _receive_body(stream: IO[bytes] | None, length: int | None, content_range: ContentRange) -> Path:
    """Stream the body into a temporary file in blocks; a short body stores nothing."""
    if length is None:
        raise ChunkedUploadError("Send a Content-Length header with each chunk.", status_code=411)
    if length > max_chunk_bytes():
        raise UploadTooLargeError(
            f"A chunk may hold at most {max_chunk_bytes():,} bytes; split the file into smaller chunks."
        )
    if length != content_range.length:
        raise ChunkedUploadError(
            f"The body has {length} bytes but Content-Range covers {content_range.length} bytes."
        )
    received = 0
    target = staging_file()
    try:
        with target:
            while stream is not None and received < length:
                block = stream.read(min(IO_BLOCK, length - received))
                if not block:
                    break
                target.write(block)
                received += len(block)
        if received != length:
            raise ChunkedUploadError(
                f"The connection ended after {received} of {length} bytes; nothing of this chunk was kept."
            )
    except BaseException:
        os.unlink(target.name)
        raise
    return Path(target.name)


def _lock(upload: ChunkedUpload) -> ChunkedUpload:
    """Re-read the row under a lock: FOR UPDATE on PostgreSQL, the IMMEDIATE write lock on SQLite."""
    return ChunkedUpload.objects.select_for_update(of=("self",)).select_related("asset").get(pk=upload.pk)


def _append(upload: ChunkedUpload, content_range: ContentRange, chunk: Path) -> ChunkedUpload:
    with transaction.atomic():
        locked = _lock(upload)
        _check_range(locked, content_range)
        if content_range.end < locked.received_bytes:
            if _matches_stored(locked, content_range.start, chunk):
                return locked
            raise OffsetConflict(
                f"Bytes {content_range.start}-{content_range.end} were already received with different "
                "content; this upload cannot take them again.",
                offset=locked.received_bytes,
            )
        _write_at(_staged(locked), content_range.start, chunk)
        locked.received_bytes = content_range.end + 1
        locked.save(update_fields=["received_bytes", "updated_at"])
    return locked


def _staged(upload: ChunkedUpload) -> Path:
    """The staging file, provided it still holds every byte the row says was received."""
    path = staging_path(upload)
    if not path.exists() and upload.received_bytes == 0:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    if not path.exists() or path.stat().st_size < upload.received_bytes:
        raise ChunkedUploadError(
            "The bytes received so far are no longer on the server; start a new upload.", status_code=409
        )
    return path


def _write_at(path: Path, start: int, chunk: Path) -> None:
    """Write at the recorded offset (not at the file's end) so a torn earlier write is overwritten."""
    with open(path, "r+b") as out, open(chunk, "rb") as src:
        out.seek(start)
        shutil.copyfileobj(src, out, IO_BLOCK)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


def _matches_stored(upload: ChunkedUpload, start: int, chunk: Path) -> bool:
    """Whether a re-sent chunk equals what is stored: in staging, or in the finished asset."""
    if upload.status == UploadStatus.OPEN:
        stored: IO[bytes] = open(_staged(upload), "rb")
    elif upload.asset is not None and upload.asset.original_file:
        stored = default_storage.open(upload.asset.original_file, "rb")
    else:
        return False
    with stored, open(chunk, "rb") as sent:
        stored.seek(start)
        while block := sent.read(IO_BLOCK):
            if stored.read(len(block)) != block:
                return False
    return True


def chunked_upload_complete(*, upload: ChunkedUpload) -> ChunkedUpload:
    """Turn the whole staged file into an asset, once; a second call returns the same asset.

    The file is hashed outside the lock (it can no longer change: every byte is
    in), then the row is locked again so that only one caller creates the asset.
    """
    with transaction.atomic():
        locked = _lock(upload)
        if locked.status == UploadStatus.COMPLETE:
            return locked
        _require_complete_bytes(locked)
        path = _staged(locked)
        with open(path, "r+b") as handle:
            handle.truncate(locked.size_bytes)
    try:
        sha256, _ = sha256_of_path(path)
    except FileNotFoundError:
        return _finished_elsewhere(upload)
    with transaction.atomic():
        locked = _lock(upload)
        if locked.status == UploadStatus.COMPLETE:
            return locked
        _require_complete_bytes(locked)
        result = asset_create_from_path(
            project=locked.project,
            path=path,
            original_name=locked.original_name,
            uploaded_by=locked.created_by,
            metadata=locked.metadata,
            sha256=sha256,
            move=True,
        )
        locked.asset = result.asset
        locked.status = UploadStatus.COMPLETE
        locked.save(update_fields=["asset", "status", "updated_at"])
    return locked


def _require_complete_bytes(upload: ChunkedUpload) -> None:
    if upload.status == UploadStatus.ABORTED:
        raise ChunkedUploadError("This upload was aborted; start a new one.", status_code=409)
    if upload.received_bytes < upload.size_bytes:
        raise OffsetConflict(
            f"Only {upload.received_bytes} of {upload.size_bytes} bytes have arrived; send the rest first.",
            offset=upload.received_bytes,
        )


def _finished_elsewhere(upload: ChunkedUpload) -> ChunkedUpload:
    """The staged file vanished while hashing: another request completed (or aborted) the upload."""
    upload = ChunkedUpload.objects.select_related("asset").get(pk=upload.pk)
    if upload.status == UploadStatus.COMPLETE:
        return upload
    raise ChunkedUploadError(
        "The received bytes are no longer on the server; start a new upload.", status_code=409
    )


def chunked_upload_abort(*, upload: ChunkedUpload) -> ChunkedUpload:
    """Stop an upload and free its disk space; aborting twice is harmless."""
    with transaction.atomic():
        locked = _lock(upload)
        if locked.status == UploadStatus.COMPLETE:
            raise ChunkedUploadError(
                "This upload is complete; delete the asset instead.",
                offset=locked.received_bytes,
                status_code=409,
            )
        locked.status = UploadStatus.ABORTED
        locked.save(update_fields=["status", "updated_at"])
    staging_path(locked).unlink(missing_ok=True)
    return locked


def chunked_uploads_expire(*, idle_seconds: int) -> int:
    """Abort open uploads nobody has touched for ``idle_seconds`` and free their staging files.

    A client that vanished mid-upload would otherwise hold its partial file on the web
    host's disk for good. Returns how many uploads were expired.
    """
    cutoff = timezone.now() - timedelta(seconds=idle_seconds)
    expired = 0
    for upload in ChunkedUpload.objects.filter(status=UploadStatus.OPEN, updated_at__lt=cutoff):
        with transaction.atomic():
            locked = _lock(upload)
            if locked.status != UploadStatus.OPEN or locked.updated_at >= cutoff:
                continue
            locked.status = UploadStatus.ABORTED
            locked.save(update_fields=["status", "updated_at"])
        staging_path(locked).unlink(missing_ok=True)
        expired += 1
    return expired
