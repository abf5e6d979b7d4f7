"""Serving stored media with HTTP Range, so a <video> element can seek in long recordings."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
STREAM_CHUNK = 512 * 1024

CONTENT_TYPES = {
    "proxy.mp4": "video/mp4",
    "proxy.m4a": "audio/mp4",
    "audio.wav": "audio/wav",
    "peaks.json": "application/json",
    "poster.jpg": "image/jpeg",
}


def _iter_range(handle, start: int, length: int):
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


def serve_stored_file(
    key: str, *, content_type: str, range_header: str | None, download_name: str | None = None
):
    size = default_storage.size(key)
    match = RANGE_RE.match(range_header.strip()) if range_header else None
    if match is None or (not match.group(1) and not match.group(2)):
        response = FileResponse(default_storage.open(key, "rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        response["Content-Length"] = str(size)
        _common_headers(response, download_name)
        return response
    first, last = match.group(1), match.group(2)
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    else:
        start = max(0, size - int(last))
        end = size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    length = end - start + 1
    response = StreamingHttpResponse(
        _iter_range(default_storage.open(key, "rb"), start, length), status=206, content_type=content_type
    )
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
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
