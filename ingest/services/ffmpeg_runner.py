"""Running ffmpeg safely: local files only, a forced demuxer, progress reported as it goes."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import ffmpeg
from django.conf import settings

from .probing import ALLOWED_DEMUXERS

STDERR_TAIL = 2000


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
    """An ffmpeg input that can only read this one local file, with the demuxer the probe found.

    Forcing the demuxer means ffmpeg never guesses the format again (a playlist demuxer
    cannot be chosen); the protocol whitelist keeps every read on the local disk, and
    the format whitelist holds for any demuxer opened from inside this one.
    """
    if demuxer not in ALLOWED_DEMUXERS:
        raise TranscodeError(
            "The media could not be converted: its type was not recognised. Upload the file again.",
            f"refused demuxer {demuxer!r}",
        )
    return ffmpeg.input(
        f"file:{Path(path).resolve()}",
        f=demuxer,
        protocol_whitelist="file",
        format_whitelist=demuxer,
        **kwargs,
    )


def ffmpeg_args(stream: ffmpeg.nodes.OutputStream) -> list[str]:
    """The full command line for an output graph (also what tests inspect)."""
    return (
        stream.global_args(
            "-nostdin", "-hide_banner", "-loglevel", "error", "-progress", "pipe:1", "-nostats"
        )
        .overwrite_output()
        .compile(cmd=ffmpeg_binary())
    )


def run_ffmpeg(
    stream: ffmpeg.nodes.OutputStream,
    *,
    duration_seconds: float | None,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    """Run an ffmpeg graph, calling ``on_progress(fraction)`` from ffmpeg's -progress output.

    ffmpeg's log goes to a temporary file, not a pipe: a damaged input can log
    megabytes of errors, and a full stderr pipe that nobody reads would block
    ffmpeg (and this worker) for good while we wait on its progress output.
    """
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603
            ffmpeg_args(stream), stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True
        )
        try:
            for line in process.stdout or ():
                if on_progress and duration_seconds and line.startswith("out_time_us="):
                    value = line.split("=", 1)[1].strip()
                    if value.isdigit():
                        on_progress(min(1.0, int(value) / 1e6 / duration_seconds))
            returncode = process.wait()
        except BaseException:
            # Interrupted (a time limit, a failed progress write): ffmpeg must not run on unwatched.
            process.kill()
            process.wait()
            raise
        finally:
            if process.stdout:
                process.stdout.close()
        if returncode != 0:
            raise TranscodeError(
                "The media could not be converted: ffmpeg reported an error; the file is probably damaged.",
                _tail(log),
            )


def _tail(log: IO[bytes]) -> str:
    size = log.seek(0, 2)
    log.seek(max(0, size - STDERR_TAIL))
    return log.read().decode("utf-8", errors="replace")
