"""An upload handler that streams the file to disk, hashing and counting as it goes.

The file never sits whole in memory, its sha256 is known the moment the
upload ends (so duplicates are found without reading it again), and an upload
that grows past the configured limit is stopped mid-stream with a 413.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class HashedUploadedFile(TemporaryUploadedFile):
    sha256: str = ""


class UploadTooLarge(RequestDataTooBig):
    pass


def max_upload_bytes() -> int:
    return int(settings.AFFECTLAB_MAX_UPLOAD_BYTES)


def too_large_message(limit: int) -> str:
    return f"The file is larger than this server's upload limit of {limit:,} bytes."


class HashingUploadHandler(FileUploadHandler):
    # 1 MiB reads: gunicorn hands the body over in blocks of this size, and smaller reads made it
    # re-copy its buffer after each one (measured in bench/ingest.py: half the web CPU time).
    chunk_size = 1024 * 1024

    def handle_raw_input(
        self, input_data: Any, META: dict, content_length: int, boundary: Any, encoding=None
    ):
        limit = max_upload_bytes()
        if content_length and content_length > limit + 64 * 1024:
            raise UploadTooLarge(too_large_message(limit))
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
        self.file = HashedUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )
        self._hash = hashlib.sha256()
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > max_upload_bytes():
            self._drop_file()
            raise UploadTooLarge(too_large_message(max_upload_bytes()))
        self._hash.update(raw_data)
        self.file.write(raw_data)

    def upload_interrupted(self) -> None:
        """The body ended before the file did (a cut connection, a short Content-Length): drop the part."""
        self._drop_file()

    def _drop_file(self) -> None:
        """Close (and so delete) the temporary file of a part that will never be used."""
        file = getattr(self, "file", None)
        if file is not None and not file.closed:
            file.close()

    def file_complete(self, file_size: int) -> HashedUploadedFile:
        self.file.seek(0)
        self.file.size = file_size
        self.file.sha256 = self._hash.hexdigest()
        return self.file


def staging_file() -> tempfile._TemporaryFileWrapper:
    """A named temporary file in the staging folder (same filesystem as uploads)."""
    os.makedirs(settings.AFFECTLAB_STAGING_DIR, exist_ok=True)
    return tempfile.NamedTemporaryFile(dir=settings.AFFECTLAB_STAGING_DIR, delete=False)
