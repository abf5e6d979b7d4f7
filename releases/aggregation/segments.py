"""Segments: a label per frame by majority over annotators, then runs of frames merged into segments.

Frame f covers [f * frame_s, (f + 1) * frame_s) and takes, for each annotator, the class of the
segment containing its centre, or background when none does (where an annotator's own segments
overlap, the later one in their list wins). The frame's consensus is the label with the most votes
among the annotators who annotated the item; background counts as a label. On a tie the frame is
background when background is among the tied labels (a segment needs a majority to exist), otherwise
the alphabetically-first tied class; the segment is then marked ``"tie": true``. The grid ends at the
last segment end any annotator marked (or at ``duration_s`` when given).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from releases.aggregation.options import AggregationOptions

BACKGROUND = ""


def segment_rows(value: Any) -> list[tuple[float, float, str]]:
    """(start, end, class) of one annotator's segments; malformed ones dropped."""
    out = []
    for seg in value if isinstance(value, list) else []:
        if not isinstance(seg, Mapping):
            continue
        try:
            start, end = float(seg["start"]), float(seg["end"])
        except (KeyError, TypeError, ValueError):
            continue
        label = seg.get("class")
        if np.isfinite(start) and np.isfinite(end) and end >= start:
            out.append((start, end, str(label) if label is not None else "segment"))
    return out


def raster(segments: Sequence[tuple[float, float, str]], *, n_frames: int, frame_s: float) -> np.ndarray:
    """One label per frame (object array; BACKGROUND where no segment covers the frame centre)."""
    frames = np.full(n_frames, BACKGROUND, dtype=object)
    for start, end, label in segments:
        first = int(np.clip(np.ceil(start / frame_s - 0.5 - 1e-9), 0, n_frames))
        stop = int(np.clip(np.ceil(end / frame_s - 0.5 - 1e-9), 0, n_frames))
        frames[first:stop] = label
    return frames


def frame_count(values: Mapping[str, Any], frame_s: float, duration_s: float | None = None) -> int:
    ends = [end for v in values.values() for _, end, _ in segment_rows(v)]
    last = duration_s if duration_s is not None and np.isfinite(duration_s) else max(ends, default=0.0)
    return int(np.ceil(last / frame_s - 1e-9)) if last > 0 else 0


def frame_majority(
    columns: Sequence[np.ndarray], options: AggregationOptions
) -> tuple[np.ndarray, np.ndarray]:
    """(consensus label per frame, tie flag per frame)."""
    n_frames = len(columns[0]) if columns else 0
    labels = np.full(n_frames, BACKGROUND, dtype=object)
    ties = np.zeros(n_frames, dtype=bool)
    if not columns or n_frames == 0:
        return labels, ties
    stack = np.vstack(columns)
    domain = sorted(set(stack.ravel().tolist()))
    counts = np.vstack([(stack == label).sum(axis=0) for label in domain])
    top = counts.max(axis=0)
    is_top = counts == top
    n_top = is_top.sum(axis=0)
    ties = n_top > 1
    # domain is sorted and BACKGROUND ("") sorts first, so argmax picks background whenever it is tied.
    labels = np.array(domain, dtype=object)[is_top.argmax(axis=0)]
    if options.tie_break == "none":
        labels[ties] = BACKGROUND
    return labels, ties


def merge(labels: np.ndarray, ties: np.ndarray, frame_s: float) -> list[dict[str, Any]]:
    """Runs of one non-background label as [{"start", "end", "class", "tie"}] in seconds."""
    out: list[dict[str, Any]] = []
    start = 0
    for f in range(1, len(labels) + 1):
        if f < len(labels) and labels[f] == labels[start]:
            continue
        if labels[start] != BACKGROUND:
            out.append(
                {
                    "start": round(start * frame_s, 6),
                    "end": round(f * frame_s, 6),
                    "class": labels[start],
                    "tie": bool(ties[start:f].any()),
                }
            )
        start = f
    return out


def aggregate_segments(
    values: Mapping[str, Any], options: AggregationOptions, duration_s: float | None = None
) -> list[dict[str, Any]]:
    n_frames = frame_count(values, options.frame_s, duration_s)
    columns = [raster(segment_rows(v), n_frames=n_frames, frame_s=options.frame_s) for v in values.values()]
    labels, ties = frame_majority(columns, options)
    return merge(labels, ties, options.frame_s)


def segments_method(options: AggregationOptions) -> str:
    return (
        f"frame-level majority on a {options.frame_s:g} s grid (background counts as a vote; ties go to "
        "background, or to the alphabetically-first tied class), runs merged back into segments"
    )
