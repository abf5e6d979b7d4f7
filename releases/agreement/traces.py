"""Put continuous traces from different annotators on one time grid before comparing them.

Annotation tools sample traces at whatever rate the browser managed (FEELtrace/CARMA style), so two
annotators' samples rarely share time stamps. Traces are linearly interpolated onto the multiples of
1 / rate_hz (a grid anchored at media time 0, so every annotator and item shares grid points); grid
points outside an annotator's first..last sample, or inside a gap longer than ``max_gap_s``, are NaN
rather than invented.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

Span = Literal["union", "intersection"]


def resample_trace(
    times: Sequence[float] | np.ndarray,
    values: Sequence[float] | np.ndarray,
    /,
    *,
    grid: np.ndarray,
    max_gap_s: float | None = None,
) -> np.ndarray:
    """One trace's values at ``grid`` (seconds); NaN outside its samples or across long gaps."""
    t, v = _clean(times, values)
    out = np.full(grid.shape, np.nan)
    if t.size == 0:
        return out
    inside = (grid >= t[0]) & (grid <= t[-1])
    out[inside] = np.interp(grid[inside], t, v)
    if max_gap_s is not None and t.size > 1:
        right = np.clip(np.searchsorted(t, grid, side="left"), 1, t.size - 1)
        exact = t[np.clip(np.searchsorted(t, grid), 0, t.size - 1)] == grid
        too_far = (t[right] - t[right - 1] > max_gap_s) & ~exact
        out[inside & too_far] = np.nan
    return out


def common_grid(
    starts: Sequence[float], ends: Sequence[float], /, *, rate_hz: float, span: Span = "union"
) -> np.ndarray:
    """Multiples of 1 / rate_hz covering the union (or intersection) of the given spans."""
    if rate_hz <= 0:
        raise ValueError("rate_hz must be positive")
    if not starts:
        return np.empty(0)
    first = min(starts) if span == "union" else max(starts)
    last = max(ends) if span == "union" else min(ends)
    k_first = int(np.ceil(first * rate_hz - 1e-9))
    k_last = int(np.floor(last * rate_hz + 1e-9))
    if k_last < k_first:
        return np.empty(0)
    return np.arange(k_first, k_last + 1) / rate_hz


def traces_on_common_grid(
    traces: Mapping[Hashable, tuple[Sequence[float] | np.ndarray, Sequence[float] | np.ndarray]],
    /,
    *,
    rate_hz: float,
    span: Span = "union",
    max_gap_s: float | None = None,
) -> pd.DataFrame:
    """A frames x annotators frame (index: grid time in seconds) from {annotator: (times, values)}."""
    cleaned = {name: _clean(t, v) for name, (t, v) in traces.items()}
    spans = [(t[0], t[-1]) for t, _ in cleaned.values() if t.size]
    grid = common_grid([s for s, _ in spans], [e for _, e in spans], rate_hz=rate_hz, span=span)
    columns = {name: resample_trace(t, v, grid=grid, max_gap_s=max_gap_s) for name, (t, v) in cleaned.items()}
    return pd.DataFrame(columns, index=pd.Index(grid, name="time_s"), columns=list(traces))


def _clean(
    times: Sequence[float] | np.ndarray, values: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted, finite samples; samples sharing a time stamp are averaged."""
    t = np.asarray(times, dtype=float).ravel()
    v = np.asarray(values, dtype=float).ravel()
    if t.shape != v.shape:
        raise ValueError("a trace needs one value per time stamp")
    keep = np.isfinite(t) & np.isfinite(v)
    t, v = t[keep], v[keep]
    unique, inverse = np.unique(t, return_inverse=True)
    if unique.size == t.size:
        order = np.argsort(t, kind="stable")
        return t[order], v[order]
    return unique, np.bincount(inverse, weights=v) / np.bincount(inverse)
