"""Running ffmpeg safely: local files only, a forced demuxer, progress reported as it goes."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import ffmpeg
from django.conf import settings


class TranscodeError(RuntimeError):
    """ffmpeg could not produce an output; ``detail`` holds the end of its log."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def ffmpeg_binary() -> str:
    """The configured ffmpeg, else the static build shipped in the imageio-ffmpeg wheel."""
    if settings.AFFECTLAB_FFMPEG_BINARY:
        return settings.AFFECTLAB_FFMPEG_BINARY
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def safe_input(path: Path, demuxer: str, **kwargs) -> ffmpeg.nodes.FilterableStream:
    """An ffmpeg input that can only read this one local file, with the demuxer the probe found."""
    return ffmpeg.input(str(path), f=demuxer, protocol_whitelist="file", **kwargs)


def run_ffmpeg(
    stream: ffmpeg.nodes.OutputStream,
    *,
    duration_seconds: float | None,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    """Run an ffmpeg graph, calling ``on_progress(fraction)`` from ffmpeg's -progress output."""
    args = (
        stream.global_args(
            "-nostdin", "-hide_banner", "-loglevel", "error", "-progress", "pipe:1", "-nostats"
        )
        .overwrite_output()
        .compile(cmd=ffmpeg_binary())
    )
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    for line in process.stdout or ():
        if on_progress and duration_seconds and line.startswith("out_time_us="):
            value = line.split("=", 1)[1].strip()
            if value.isdigit():
                on_progress(min(1.0, int(value) / 1e6 / duration_seconds))
    stderr = process.stderr.read() if process.stderr else ""
    if process.wait() != 0:
        raise TranscodeError("The media could not be converted: ffmpeg reported an error.", stderr[-2000:])
