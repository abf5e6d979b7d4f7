"""Refuse playlists and other indirections before any demuxer can follow them.

An HLS playlist, an ffconcat list or a DASH manifest named ``clip.mp4`` would
make ffmpeg open other files or URLs named inside it (SSRF, local file reads).
We look at the bytes first and refuse such files outright.
"""

from __future__ import annotations

from pathlib import Path

SNIFF_BYTES = 8192

_PLAYLIST_MARKERS = (
    b"#EXTM3U",
    b"#EXT-X-",
    b"#EXTINF",
    b"ffconcat",
    b"<MPD",
    b"[playlist]",
    b"<smil",
    b"<?xml",
    b"<asx",
    b"#!",
)


class UnsafeInputError(ValueError):
    pass


def refuse_indirect_media(path: Path) -> None:
    """Raise UnsafeInputError when the file is a playlist/manifest/concat list rather than media."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for marker in _PLAYLIST_MARKERS:
        if stripped.startswith(marker.lower()):
            raise UnsafeInputError(
                "This file is a playlist or manifest that points to other files, not media; "
                "upload the media file itself."
            )
    lines = [line.strip() for line in stripped.splitlines()[:20]]
    if any(line.startswith((b"file '", b'file "', b"file ", b"http://", b"https://")) for line in lines):
        if b"\x00" not in head:
            raise UnsafeInputError(
                "This file is a text list of other files or URLs, not media; upload the media file itself."
            )
