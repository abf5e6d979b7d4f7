"""Real media files for tests, made with the ffmpeg binary the app itself uses."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path
from urllib.parse import quote

from ingest.services.ffmpeg_runner import ffmpeg_binary


def ffmpeg(*args: str) -> None:
    subprocess.run(
        [ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args], check=True
    )


def make_clip(path: Path, *, seconds: float = 3, size: str = "320x240", rate: int = 25) -> Path:
    """An H.264/AAC MP4 with a test pattern and a 440 Hz tone."""
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"testsrc=size={size}:rate={rate}:duration={seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:sample_rate=44100:duration={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        str(path),
    )
    return path


def make_tone_wav(path: Path, *, seconds: float = 2, rate: int = 44100) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=220:sample_rate={rate}:duration={seconds}", str(path))
    return path


def make_faststart_clip(path: Path, *, seconds: float = 3, size: str = "320x240") -> Path:
    """The same H.264/AAC clip with its index (moov) at the front, as streaming encoders write it."""
    plain = make_clip(path.with_name(f"{path.stem}-plain.mp4"), seconds=seconds, size=size)
    ffmpeg("-i", str(plain), "-c", "copy", "-movflags", "+faststart", str(path))
    plain.unlink()
    return path


def make_ffv1_mkv(path: Path, *, seconds: float = 1) -> Path:
    """A Matroska file whose video is FFV1 (lossless archival codec), which we do not transcode."""
    ffmpeg("-f", "lavfi", "-i", f"testsrc=size=64x48:rate=10:duration={seconds}", "-c:v", "ffv1", str(path))
    return path


def make_still_image(path: Path) -> Path:
    """One test-pattern frame as a still image; the format follows the suffix (.jpg, .png, .gif)."""
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=1", "-frames:v", "1", "-update", "1", str(path))
    return path


def make_mp3(path: Path, *, seconds: float = 2, title: str = "", comment: str = "") -> Path:
    """An MP3 with an ID3v2 tag, which may carry any text (a title, a comment)."""
    tags = ["-metadata", f"title={title}", "-metadata", f"comment={comment}"]
    ffmpeg(
        "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}", *tags, "-c:a", "libmp3lame", str(path)
    )
    return path


def make_damaged_clip(path: Path, *, seconds: float = 40) -> Path:
    """A clip whose index is intact but whose compressed data is overwritten with noise.

    Decoding it makes ffmpeg log an error for nearly every frame: hundreds of kilobytes.
    """
    make_faststart_clip(path, seconds=seconds, size="64x48")
    data = bytearray(path.read_bytes())
    start = data.find(b"mdat") + 2000
    noise = random.Random(7)
    for offset in range(start, len(data), 50):
        data[offset] = noise.randrange(256)
    path.write_bytes(bytes(data))
    return path


def cut_file(source: Path, target: Path, *, keep_start: bool = True, fraction: float = 0.5) -> Path:
    """Keep the first (or last) ``fraction`` of a file: an upload or recording cut short."""
    data = source.read_bytes()
    cut = int(len(data) * fraction)
    target.write_bytes(data[:cut] if keep_start else data[len(data) - cut :])
    return target


BOUNDARY = "affectlab-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart_body(
    *,
    file_name: str | None,
    content: bytes,
    fields: dict[str, str] | None = None,
    other_files: dict[str, tuple[str, bytes]] | None = None,
) -> bytes:
    """A multipart/form-data body written byte by byte, so a test controls every file name.

    Django's test client keeps only the base name of a file; this keeps what the client sent,
    in RFC 2231 form (``filename*=UTF-8''...``) when it is not plain printable ASCII.
    """
    parts = []
    for name, value in (fields or {}).items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8", errors="surrogatepass")
            + b"\r\n"
        )
    files = dict(other_files or {})
    if file_name is not None:
        files["file"] = (file_name, content)
    for field, (name, data) in files.items():
        parts.append(_file_part(field, name, data))
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _file_part(field: str, file_name: str, content: bytes) -> bytes:
    if file_name.isascii() and file_name.isprintable() and '"' not in file_name:
        disposition = f'filename="{file_name}"'
    else:
        disposition = "filename*=UTF-8''" + quote(file_name.encode("utf-8", errors="surrogatepass"), safe="")
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; {disposition}\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
