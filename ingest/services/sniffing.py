"""Look at a file's first bytes before any demuxer does.

An HLS playlist, an ffconcat list or a DASH manifest named ``clip.mp4`` would make
ffmpeg open other files or URLs named inside it (SSRF, local file reads), so such
files are refused outright (``UnsafeInputError``). The same look also tells plain
text and still images apart from media, so that their uploader gets a message that
names what they sent instead of "corrupt".

The checks mirror how FFmpeg itself recognises these formats: its probes skip a
leading ID3v2 tag and compare C strings, which end at the first NUL byte. Legitimate
media is binary and has a NUL within its first few bytes (box sizes, chunk sizes,
EBML ids), so text-level checks on the part before the first NUL never reject it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

SNIFF_BYTES = 8192
MAX_ID3_TAGS = 8
_BOMS = (b"\xef\xbb\xbf",)
_WHITESPACE = b" \t\r\n\f\v"

# What a playlist or manifest starts with (after BOM and whitespace), and what it is called.
_LEADING_MARKERS: tuple[tuple[bytes, str], ...] = (
    (b"#extm3u", "an HLS/M3U playlist"),
    (b"#ext-x-", "an HLS playlist"),
    (b"#extinf", "an M3U playlist"),
    (b"ffconcat", "an ffmpeg concat list"),
    (b"<mpd", "a DASH manifest (MPD)"),
    (b"<?xml", "an XML document (such as a DASH manifest)"),
    (b"[playlist]", "a PLS playlist"),
    (b"<smil", "a SMIL playlist"),
    (b"<asx", "an ASX playlist"),
    (b"#!", "a script"),
)
# Markers FFmpeg's probes look for anywhere in the text before the first NUL byte.
_EMBEDDED_MARKERS: tuple[tuple[bytes, str], ...] = (
    (b"#extm3u", "an HLS/M3U playlist"),
    (b"<mpd", "a DASH manifest (MPD)"),
    (b"ffconcat version", "an ffmpeg concat list"),
)
_LIST_LINE_PREFIXES = (b"file '", b'file "', b"file ", b"http://", b"https://", b"file:", b"ftp://", b"rtmp")
_ISO_IMAGE_BRANDS = {b"avif", b"avis", b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"jxl "}


class UnsafeInputError(ValueError):
    """A file that points to other files or URLs; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes say: an image format's name, or that the file is plain text."""

    image: str | None = None
    text: bool = False


def refuse_indirect_media(path: Path) -> Sniffed:
    """Raise UnsafeInputError for playlists, manifests and file lists; else say what the bytes look like."""
    head = _head_after_id3(path)
    before_nul = head.split(b"\x00", 1)[0]
    lowered = _strip_bom_and_space(before_nul).lower()
    for marker, name in _LEADING_MARKERS:
        if lowered.startswith(marker):
            raise UnsafeInputError(_indirect_message(name))
    for marker, name in _EMBEDDED_MARKERS:
        if marker in lowered:
            raise UnsafeInputError(_indirect_message(name))
    text = _looks_like_text(head)
    if text and _lists_files_or_urls(lowered):
        raise UnsafeInputError(
            "This file is a text list of other files or URLs, not media; upload the media file itself."
        )
    return Sniffed(image=_image_format(head), text=text)


def _indirect_message(name: str) -> str:
    return (
        f"This file is {name} that can point to other files or URLs, not audio or video itself; "
        "upload the media file itself."
    )


def _head_after_id3(path: Path) -> bytes:
    """The first SNIFF_BYTES after any leading ID3v2 tags (FFmpeg's probing skips them too)."""
    with open(path, "rb") as handle:
        offset = 0
        for _ in range(MAX_ID3_TAGS):
            handle.seek(offset)
            header = handle.read(10)
            size = _id3v2_size(header)
            if size is None:
                break
            offset += size
        handle.seek(offset)
        return handle.read(SNIFF_BYTES)


def _id3v2_size(header: bytes) -> int | None:
    """Total length of the ID3v2 tag that starts with ``header``, or None when it is not one."""
    if len(header) < 10 or header[:3] != b"ID3" or 0xFF in header[3:5]:
        return None
    size_bytes = header[6:10]
    if any(byte & 0x80 for byte in size_bytes):
        return None
    size = (size_bytes[0] << 21) | (size_bytes[1] << 14) | (size_bytes[2] << 7) | size_bytes[3]
    footer = 10 if header[5] & 0x10 else 0
    return 10 + size + footer


def _strip_bom_and_space(data: bytes) -> bytes:
    data = data.lstrip(_WHITESPACE)
    for bom in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :].lstrip(_WHITESPACE)
    return data


def _looks_like_text(head: bytes) -> bool:
    """True when the bytes decode as UTF-8 or UTF-16 text without control characters.

    Compressed media decodes as neither, so this never mistakes media for text.
    """
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _is_clean_text(_decode(head[2:], "utf-16-le" if head[0] == 0xFF else "utf-16-be", 1))
    if b"\x00" in head:
        return False
    return _is_clean_text(_decode(head, "utf-8", 3))


def _decode(data: bytes, encoding: str, tail_slack: int) -> str | None:
    """Decode, forgiving only a character cut off by the end of the sniffed block."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - tail_slack and len(data) >= SNIFF_BYTES - 8:
            return data[: exc.start].decode(encoding, errors="ignore")
        return None


def _is_clean_text(text: str | None) -> bool:
    if not text:
        return False
    return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v\x1b" for ch in text)


def _lists_files_or_urls(lowered: bytes) -> bool:
    lines = (line.strip() for line in lowered.splitlines()[:50])
    return any(line.startswith(_LIST_LINE_PREFIXES) for line in lines)


def _image_format(head: bytes) -> str | None:
    """The name of a still-image (or animation) format by its signature, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if head.startswith(b"\xff\x0a") or head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n"):
        return "JPEG XL"
    if head[4:8] == b"ftyp" and head[8:12] in _ISO_IMAGE_BRANDS:
        return {b"avif": "AVIF", b"avis": "AVIF"}.get(head[8:12], "HEIF/HEIC")
    return None
