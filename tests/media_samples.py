"""Real media files for tests, made with the ffmpeg binary the app itself uses."""

from __future__ import annotations

import subprocess
from pathlib import Path

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
