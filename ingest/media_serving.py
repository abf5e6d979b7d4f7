"""Serving stored media with HTTP Range, so a <video> element can seek in long recordings.

One range per request (``bytes=first-last``, ``bytes=first-``, ``bytes=-suffix``).
A multi-range request is answered with the whole file (200), which RFC 9110 allows
and every player handles; a syntactically invalid Range header is ignored the same
way. A range that starts past the end is a 416 with ``Content-Range: bytes */size``.

Files are read through ``open_ranged``: on S3 a range response fetches only the bytes it
sends, and a whole-file response streams the object piece by piece instead of downloading
all of it before the first byte goes out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse

from ingest.services.ranged_files import open_ranged

RANGE_RE = re.compile(r"^bytes\s*=\s*(\d*)\s*-\s*(\d*)$", re.IGNORECASE)
STREAM_CHUNK = 512 * 1024

CONTENT_TYPES = {
    "proxy.mp4": "video/mp4",
    "proxy.m4a": "audio/mp4",
    "audio.wav": "audio/wav",
    "peaks.json": "application/json",
    "poster.jpg": "image/jpeg",
}


def _iter_range(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    handle.seek(start)
    remaining = length
    try:
        while remaining > 0:
            chunk = handle.read(min(STREAM_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


class RangeNotSatisfiable(ValueError):
    """The one range asked for starts past the end of the file."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(start, end)``, both inclusive, for one satisfiable range; None to serve the whole file."""
    match = RANGE_RE.match(header.strip()) if header else None
    if match is None:
        return None  # absent, multi-range or not understood: the whole file
    first, last = match.group(1), match.group(2)
    if not first and not last:
        return None
    if first:
        start = int(first)
        if last and int(last) < start:
            return None  # invalid (last before first): ignored, as RFC 9110 says
        end = min(int(last), size - 1) if last else size - 1
    else:
        suffix = int(last)
        if suffix == 0:
            raise RangeNotSatisfiable("an empty suffix range")
        start, end = max(0, size - suffix), size - 1
    if start >= size:
        raise RangeNotSatisfiable("the range starts past the end")
    return start, end


def serve_stored_file(
    key: str, *, content_type: str, range_header: str | None, download_name: str | None = None
) -> HttpResponse:
    try:
        size = default_storage.size(key)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise Http404("The file is missing from storage.") from exc
    try:
        wanted = parse_range(range_header, size)
    except RangeNotSatisfiable:
        response = JsonResponse(
            {"detail": f"The requested range is outside the file, which is {size} bytes long."}, status=416
        )
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        # FileResponse reads in small blocks: a read-ahead of one stream chunk makes each GET a large one.
        handle = open_ranged(key, size=size, read_ahead=STREAM_CHUNK)
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = wanted
        # Reads are at most STREAM_CHUNK and never past ``end``: no read-ahead, only the range is fetched.
        response = StreamingHttpResponse(
            _iter_range(open_ranged(key, size=size, read_ahead=0), start, end - start + 1),
            status=206,
            content_type=content_type,
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    _common_headers(response, download_name)
    return response


def _common_headers(response: HttpResponse, download_name: str | None) -> None:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    if download_name:
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(download_name)}"


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
