"""Time spans on a medium: bounds, the fixed-window grid, and overlaps."""

from __future__ import annotations

from typing import Any

from .common import TOLERANCE, is_number
from .errors import ErrorCollector, describe, join


def check_span(
    span: dict, path: str, errors: ErrorCollector, duration: float | None
) -> tuple[float, float] | None:
    """``0 <= start < end <= duration``; returns (start, end) when they hold."""
    start, end = span.get("start"), span.get("end")
    ok = True
    for key, value in (("start", start), ("end", end)):
        if key in span and not is_number(value):
            errors.add(join(path, key), f"must be a number of seconds, got {describe(value)}")
            ok = False
    if not ok or "start" not in span or "end" not in span:
        return None
    if start < 0:
        errors.add(join(path, "start"), f"must be at least 0, got {start}")
        return None
    if end <= start:
        errors.add(join(path, "end"), f"must be after start ({start}), got {end}")
        return None
    if duration is not None and end > duration + TOLERANCE:
        errors.add(join(path, "end"), f"{end} is past the end of the media ({duration} s)")
        return None
    return start, end


def check_grid(
    bounds: tuple[float, float],
    window_s: float,
    path: str,
    errors: ErrorCollector,
    duration: float | None = None,
) -> None:
    """Spans of a windowed field start and end on the window grid (0, w, 2w, ...).

    A span may also end at the end of the media: the last window of a recording whose length is
    not a whole number of windows is shorter, and it must still be labelable.
    """
    for key, value in zip(("start", "end"), bounds, strict=True):
        if key == "end" and duration is not None and abs(value - duration) <= TOLERANCE:
            continue
        steps = value / window_s
        if abs(steps - round(steps)) > TOLERANCE:
            errors.add(join(path, key), f"{value} is not on the {window_s} s window grid")


def check_no_overlap(bounds: list[tuple[int, float, float]], path: str, errors: ErrorCollector) -> None:
    """Report each span that starts before an earlier-starting one has ended."""
    ordered = sorted(bounds, key=lambda item: (item[1], item[2]))
    reach_index, reach_end = -1, float("-inf")
    for index, start, end in ordered:
        if start < reach_end - TOLERANCE:
            errors.add(join(path, index), f"overlaps item {reach_index} (which ends at {reach_end})")
        if end > reach_end:
            reach_index, reach_end = index, end


def as_list(value: Any, path: str, errors: ErrorCollector, what: str) -> list | None:
    if not isinstance(value, list):
        errors.add(path, f"must be a list of {what}, got {describe(value)}")
        return None
    return value
