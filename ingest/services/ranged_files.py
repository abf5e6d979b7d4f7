"""Read a stored file piece by piece, so a seek costs the bytes read and not the whole object.

django-storages' ``S3File`` downloads the whole object on its first read: a 100-byte Range
request on an hour-long recording, or one window of an hour-long Parquet track, would fetch
every byte of it. ``open_ranged`` returns a read-only, seekable binary file that, on S3
storage, answers each read with one ranged GET (``Range: bytes=a-b``) through the storage's
own boto3 connection and bucket, so the endpoint, credentials and region are those the
settings gave the storage. Other storages (a local folder) are opened with ``storage.open``,
whose files already seek cheaply.

A small read-ahead buffer absorbs the many small reads a reader such as pyarrow makes around
one place (a Parquet footer, the pages of a column chunk); a caller that reads exactly what
it needs in large pieces, such as a Range response, asks for no read-ahead and is sent
exactly the bytes it asked for.
"""

from __future__ import annotations

import io
from typing import IO, Any

from botocore.exceptions import ClientError
from django.core.files.storage import Storage, default_storage

DEFAULT_READ_AHEAD = 64 * 1024

# Parameters of the storage's object parameters that a download must repeat (server-side
# encryption with a customer key, requester pays); the others only apply to uploads.
_DOWNLOAD_PARAMETERS = ("SSECustomerAlgorithm", "SSECustomerKey", "SSECustomerKeyMD5", "RequestPayer")


def open_ranged(
    key: str, *, storage: Storage | None = None, size: int | None = None, read_ahead: int = DEFAULT_READ_AHEAD
) -> IO[bytes]:
    """A read-only binary file over ``key`` that fetches only what is read.

    ``size``, when the caller already knows it (a Range response has asked the storage for
    it), saves the HEAD request that otherwise finds the size and checks that the object
    exists. A missing object raises ``FileNotFoundError``, as ``storage.open`` does.
    """
    storage = storage or default_storage
    if not _is_plain_s3(storage):
        return storage.open(key, "rb")
    return S3RangedFile(storage, key, size=size, read_ahead=read_ahead)


def _is_plain_s3(storage: Storage) -> bool:
    """S3 storage whose objects are stored as they are read (not gzipped on upload by the storage)."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # django-storages without boto3: no S3 storage can be configured
        return False
    return isinstance(storage, S3Storage) and not getattr(storage, "gzip", False)


class S3RangedFile(io.RawIOBase):
    """A seekable read-only view of one S3 object; every read past the buffer is one ranged GET.

    Reads are pinned to the object's ETag when the file found it itself (no ``size`` given):
    an object replaced while it is being read (a track rewritten by a re-run) fails the read
    with an ``OSError`` rather than mixing bytes of two versions.
    """

    mode = "rb"

    def __init__(
        self, storage: Any, key: str, *, size: int | None = None, read_ahead: int = DEFAULT_READ_AHEAD
    ):
        super().__init__()
        from storages.utils import clean_name

        self.name = key
        self._client = storage.connection.meta.client
        self._bucket = storage.bucket_name
        self._key = storage._normalize_name(clean_name(key))
        parameters = storage.get_object_parameters(key)
        self._extra = {name: parameters[name] for name in _DOWNLOAD_PARAMETERS if name in parameters}
        self._read_ahead = max(0, read_ahead)
        self._position = 0
        self._buffer = b""
        self._buffer_start = 0
        self._etag: str | None = None
        if size is None:
            head = self._call(self._client.head_object, Bucket=self._bucket, Key=self._key, **self._extra)
            size = int(head["ContentLength"])
            self._etag = head.get("ETag")
        self._size = size

    @property
    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        self._check_open()
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._check_open()
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._position + offset
        elif whence == io.SEEK_END:
            position = self._size + offset
        else:
            raise ValueError(f"invalid whence ({whence})")
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        self._position = position
        return position

    def read(self, size: int | None = -1) -> bytes:
        self._check_open()
        end = self._size if size is None or size < 0 else min(self._size, self._position + size)
        if end <= self._position:
            return b""
        offset = self._position - self._buffer_start
        if 0 <= offset < len(self._buffer):
            data = self._buffer[offset : offset + end - self._position]
        else:
            data = b""
        missing_from = self._position + len(data)
        if missing_from < end:
            fetch_end = min(self._size, max(end, missing_from + self._read_ahead))
            fetched = self._fetch(missing_from, fetch_end)
            self._buffer, self._buffer_start = fetched, missing_from
            data += fetched[: end - missing_from]
        self._position += len(data)
        return data

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._buffer = b""
        super().close()

    def _fetch(self, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` (exclusive) of the object, in one GET."""
        pinned = {"IfMatch": self._etag} if self._etag else {}
        response = self._call(
            self._client.get_object,
            Bucket=self._bucket,
            Key=self._key,
            Range=f"bytes={start}-{end - 1}",
            **pinned,
            **self._extra,
        )
        with response["Body"] as body:
            data = body.read()
        if len(data) != end - start:
            raise OSError(f"{self._key}: asked for {end - start} bytes at {start}, got {len(data)}")
        return data

    def _call(self, operation: Any, **parameters: Any) -> dict:
        """Report S3 errors as the OSErrors a file would raise, which callers already handle."""
        try:
            return operation(**parameters)
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            code = exc.response.get("Error", {}).get("Code")
            if status == 404 or code in ("NoSuchKey", "404"):
                raise FileNotFoundError(f"File does not exist: {self._key}") from exc
            if status == 412:
                raise OSError(f"{self._key} was replaced while it was being read") from exc
            raise OSError(f"{self._key}: {code or status}") from exc

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
