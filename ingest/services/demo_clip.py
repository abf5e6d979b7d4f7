"""A sample clip with a real face and real speech, generated offline.

The face is scikit-image's ``astronaut`` photograph (shipped in its wheel)
gliding across a plain background; the speech is espeak-ng reading a few
sentences. Known positions make it usable as ground truth for face tracking.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .ffmpeg_runner import ffmpeg_binary

DEMO_SENTENCES = (
    "Hello, and welcome to AffectLab. I am so happy and delighted to see you today. "
    "This short clip has a real face and real speech, so every part of the platform has something to work on."
)


@dataclass(frozen=True)
class FacePlacement:
    """Where the photo sits in frame ``index``: top-left corner and size in pixels."""

    x: int
    y: int
    size: int


def face_path(frame_index: int, frames: int, *, width: int, height: int, size: int) -> FacePlacement:
    travel = max(1, frames - 1)
    x = int(round((width - size) * frame_index / travel))
    y = (height - size) // 2
    return FacePlacement(x=x, y=y, size=size)


def _face_image(size: int) -> np.ndarray:
    from skimage.data import astronaut
    from skimage.transform import resize

    photo = astronaut()
    return (resize(photo, (size, size), anti_aliasing=True) * 255).astype(np.uint8)


def render_frames(frames: int, *, width: int = 640, height: int = 360, size: int = 240, blank_tail: int = 0):
    """Yield RGB frames: the photo moving left to right, then ``blank_tail`` empty frames."""
    face = _face_image(size)
    for index in range(frames):
        frame = np.full((height, width, 3), 90, dtype=np.uint8)
        place = face_path(index, frames, width=width, height=height, size=size)
        frame[place.y : place.y + size, place.x : place.x + size] = face
        yield frame
    for _ in range(blank_tail):
        yield np.full((height, width, 3), 90, dtype=np.uint8)


def synthesize_speech(text: str, out_wav: Path) -> Path:
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    if espeak is None:
        raise RuntimeError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    subprocess.run([espeak, "-s", "150", "-w", str(out_wav), text], check=True, capture_output=True)  # noqa: S603
    return out_wav


def make_demo_clip(
    out: Path,
    *,
    text: str = DEMO_SENTENCES,
    fps: int = 25,
    width: int = 640,
    height: int = 360,
    size: int = 240,
) -> Path:
    """Write an H.264/AAC MP4 whose length follows the speech."""
    import wave

    with tempfile.TemporaryDirectory() as tmp:
        speech = synthesize_speech(text, Path(tmp) / "speech.wav")
        with wave.open(str(speech)) as wav:
            seconds = wav.getnframes() / wav.getframerate()
        frames = max(1, int(np.ceil(seconds * fps)))
        args = [
            ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "pipe:0",
            "-i", str(speech),
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", str(out),
        ]  # fmt: skip
        process = subprocess.Popen(args, stdin=subprocess.PIPE)  # noqa: S603
        assert process.stdin is not None  # noqa: S101 - Popen with stdin=PIPE always sets it
        for frame in render_frames(frames, width=width, height=height, size=size):
            process.stdin.write(frame.tobytes())
        process.stdin.close()
        if process.wait() != 0:
            raise RuntimeError("ffmpeg could not encode the demo clip")
    return out
