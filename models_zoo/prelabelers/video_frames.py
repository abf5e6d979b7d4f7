"""Decode a video with PyAV and keep frames at a fixed sampling rate."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .base import BadInput


@dataclass
class SampledFrame:
    index: int  # position in the decoded stream
    time: float  # seconds
    rgb: np.ndarray


def sampled_frames(path: Path, sample_fps: float) -> Iterator[SampledFrame]:
    """Frames at about ``sample_fps`` per second (each the first decoded frame at or after its slot)."""
    import av

    if sample_fps <= 0:
        raise BadInput("sample_fps must be above 0.")
    step = 1.0 / sample_fps
    try:
        container = av.open(str(path))
    except av.FFmpegError as exc:
        raise BadInput(f"The video proxy cannot be opened: {exc}") from exc
    with container:
        if not container.streams.video:
            raise BadInput("The asset's proxy has no video stream.")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        next_slot = 0.0
        try:
            for index, frame in enumerate(container.decode(stream)):
                time = float(frame.time) if frame.time is not None else index * step
                if time + 1e-6 < next_slot:
                    continue
                while next_slot <= time + 1e-6:
                    next_slot += step
                yield SampledFrame(index=index, time=time, rgb=frame.to_ndarray(format="rgb24"))
        except av.FFmpegError as exc:
            raise BadInput(f"The video could not be decoded: {exc}") from exc
