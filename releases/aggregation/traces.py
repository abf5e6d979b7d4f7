"""Continuous traces: common-rate resampling, per-annotator lag compensation, mean and EWE.

Method, in order, per item and per dimension:

1. Resample. Each annotator's samples are linearly interpolated onto the multiples of 1 / rate_hz
   (``releases.agreement.traces``; the union of the annotators' spans, NaN outside a trace).
2. Lag compensation (optional). Annotators react late, each by their own delay. For each annotator,
   the lag L in {0, 1/rate, ..., max_lag_s} that maximises the Pearson correlation between their
   trace advanced by L (x(t + L)) and the unshifted mean of the other annotators is taken, and the
   trace is advanced by it (its last L seconds become missing). One pass, no iteration; at least half
   of the overlapping frames must remain for a lag to be considered. The lags are relative: if every
   annotator is late by the same amount, they stay 0, because nothing in the traces reveals it.
3. Consensus. The mean of the annotators present at each frame, and the evaluator-weighted estimator
   (EWE, Grimm & Kroschel 2005): each annotator's weight is the Pearson correlation of their
   (compensated) trace with the mean of the others, negative weights set to 0, weights normalised
   over the annotators present at each frame. When every weight is 0 (or an item has one
   annotator) the EWE falls back to the mean and the method string says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from releases.aggregation.options import AggregationOptions
from releases.agreement.traces import common_grid, resample_trace

MIN_OVERLAP_SHARE = 0.5


def consensus_statement(options: AggregationOptions) -> str:
    """The method in words, for the report's notes."""
    lag = (
        f"each annotator's trace advanced by the lag in [0, {options.max_lag_s:g}] s (steps of one frame) "
        "that maximises its Pearson correlation with the unshifted mean of the other annotators (one pass; "
        "relative lags only, so a delay shared by everyone stays); "
        if options.lag_compensation
        else "no lag compensation; "
    )
    return (
        "traces linearly interpolated to a common rate; "
        + lag
        + "then the per-frame mean and the evaluator-weighted estimator (weights: each annotator's Pearson "
        "correlation with the mean of the others, negatives set to 0, normalised; the mean when all are 0)"
    )


def dimension_names(field: Mapping[str, Any]) -> list[str]:
    dims = [d["name"] for d in field.get("dimensions", []) if isinstance(d, Mapping) and "name" in d]
    return dims or ["value"]


def trace_samples(value: Any, dimension: int) -> tuple[np.ndarray, np.ndarray]:
    """(times, values) of one dimension of a trace value [[t, v1, v2?], ...]; malformed samples dropped."""
    if not isinstance(value, list):
        return np.empty(0), np.empty(0)
    try:
        array = np.asarray(value, dtype=float)  # the usual case: a well-formed samples x columns table
    except (TypeError, ValueError):
        array = None
    if array is not None and array.ndim == 2 and array.shape[1] > dimension + 1:
        return array[:, 0], array[:, dimension + 1]
    rows = [s for s in value if isinstance(s, list | tuple) and len(s) > dimension + 1]
    times = np.array([_float(s[0]) for s in rows], dtype=float)
    values = np.array([_float(s[dimension + 1]) for s in rows], dtype=float)
    return times, values


def _float(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def on_grid(values: Mapping[str, Any], *, dimension: int, rate_hz: float) -> tuple[np.ndarray, dict]:
    """(grid, {annotator: resampled values}) for one dimension of one item's traces."""
    samples = {a: trace_samples(v, dimension) for a, v in sorted(values.items())}
    finite = [t[np.isfinite(t)] for t, _ in samples.values()]
    spans = [(t.min(), t.max()) for t in finite if t.size]
    grid = common_grid([s for s, _ in spans], [e for _, e in spans], rate_hz=rate_hz)
    return grid, {a: resample_trace(t, v, grid=grid) for a, (t, v) in samples.items()}


def pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson correlation over frames where both are present; None when undefined (constant, < 2 frames)."""
    both = np.isfinite(x) & np.isfinite(y)
    if both.sum() < 2:
        return None
    a, b = x[both] - x[both].mean(), y[both] - y[both].mean()
    denominator = np.sqrt((a * a).sum() * (b * b).sum())
    if denominator <= 1e-12 * max(1.0, float(np.abs(x[both]).max()), float(np.abs(y[both]).max())) ** 2:
        return None
    return float((a * b).sum() / denominator)


def mean_of_others(series: Mapping[str, np.ndarray], annotator: str) -> np.ndarray:
    others = [v for a, v in series.items() if a != annotator]
    if not others:
        return np.full(next(iter(series.values())).shape, np.nan)
    stack = np.vstack(others)
    present = np.isfinite(stack)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(present.any(axis=0), np.nansum(stack, axis=0) / present.sum(axis=0), np.nan)


def advance(x: np.ndarray, steps: int) -> np.ndarray:
    """x(t + steps): the trace moved earlier by ``steps`` frames, the freed tail missing."""
    if steps <= 0:
        return x.copy()
    out = np.full(x.shape, np.nan)
    out[:-steps] = x[steps:]
    return out


def best_lag(x: np.ndarray, reference: np.ndarray, max_steps: int) -> int:
    """The advance in frames (0..max_steps) whose correlation with ``reference`` is highest.

    Every candidate lag is evaluated at once (lags x frames); a lag counts only where at least half of
    the unshifted overlap remains. Ties (within 1e-12) go to the smallest lag.
    """
    n = x.size
    steps = np.arange(min(max_steps, max(n - 2, 0)) + 1)
    if steps.size == 0:
        return 0
    index = np.arange(n)[None, :] + steps[:, None]
    moved = np.where(index < n, x[np.minimum(index, n - 1)], np.nan)
    ref = np.broadcast_to(reference, moved.shape)
    both = np.isfinite(moved) & np.isfinite(ref)
    count = both.sum(axis=1)
    a, b = np.where(both, moved, 0.0), np.where(both, ref, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ma, mb = a.sum(axis=1) / count, b.sum(axis=1) / count
        da, db = np.where(both, a - ma[:, None], 0.0), np.where(both, b - mb[:, None], 0.0)
        denominator = np.sqrt((da * da).sum(axis=1) * (db * db).sum(axis=1))
        r = (da * db).sum(axis=1) / denominator
    usable = (count >= max(2, MIN_OVERLAP_SHARE * count[0])) & (denominator > 1e-12) & np.isfinite(r)
    if not usable.any():
        return 0
    best = np.max(r[usable])
    return int(steps[usable & (r >= best - 1e-12)][0])


def compensate_lags(
    series: Mapping[str, np.ndarray], *, rate_hz: float, max_lag_s: float
) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Each annotator advanced by their own best lag against the (unshifted) mean of the others."""
    if len(series) < 2:
        return dict(series), {a: 0.0 for a in series}
    max_steps = int(np.floor(max_lag_s * rate_hz + 1e-9))
    lags = {a: best_lag(x, mean_of_others(series, a), max_steps) for a, x in series.items()}
    return {a: advance(x, lags[a]) for a, x in series.items()}, {a: s / rate_hz for a, s in lags.items()}


def ewe_weights(series: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Correlation of each annotator with the mean of the others, negatives (and undefined) set to 0."""
    if len(series) < 2:
        return {a: 0.0 for a in series}
    out = {}
    for annotator, x in series.items():
        r = pearson(x, mean_of_others(series, annotator))
        out[annotator] = max(r, 0.0) if r is not None else 0.0
    return out


def weighted_mean(series: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """Per frame: sum w_a x_a / sum w_a over the annotators present there; NaN where no weight is present."""
    stack = np.vstack([series[a] for a in series])
    w = np.array([weights[a] for a in series])[:, None] * np.isfinite(stack)
    total = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (w * np.nan_to_num(stack)).sum(axis=0) / total, np.nan)


def plain_mean(series: Mapping[str, np.ndarray]) -> np.ndarray:
    return weighted_mean(series, {a: 1.0 for a in series})


def aggregate_trace(
    field: Mapping[str, Any], values: Mapping[str, Any], options: AggregationOptions
) -> tuple[dict[str, Any], str]:
    """The consensus of one item's traces and the method string that produced it."""
    rate = float(options.trace_rate_hz or field.get("rate_hz") or 10.0)
    dims = dimension_names(field)
    times: list[float] = []
    means: list[list[float | None]] = []
    ewes: list[list[float | None]] = []
    lags_out: dict[str, dict[str, float]] = {}
    weights_out: dict[str, dict[str, float]] = {}
    fell_back = False
    for index, dim in enumerate(dims):
        grid, series = on_grid(values, dimension=index, rate_hz=rate)
        if options.lag_compensation and grid.size:
            series, lags = compensate_lags(series, rate_hz=rate, max_lag_s=options.max_lag_s)
        else:
            lags = {a: 0.0 for a in series}
        weights = ewe_weights(series)
        total = sum(weights.values())
        mean = plain_mean(series) if series else np.empty(0)
        if total > 0:
            ewe = weighted_mean(series, {a: w / total for a, w in weights.items()})
        else:
            ewe, fell_back = mean, True
        times = np.round(grid, 9).tolist() if index == 0 else times
        means.append(_listed(mean))
        ewes.append(_listed(ewe))
        lags_out[dim] = lags
        weights_out[dim] = {a: (w / total if total > 0 else 0.0) for a, w in weights.items()}
    value: dict[str, Any] = {
        "times": times,
        "mean": means[0] if len(dims) == 1 else dict(zip(dims, means, strict=True)),
        "ewe": ewes[0] if len(dims) == 1 else dict(zip(dims, ewes, strict=True)),
        "dimensions": dims,
        "rate_hz": rate,
        "lags_s": lags_out[dims[0]] if len(dims) == 1 else lags_out,
        "ewe_weights": weights_out[dims[0]] if len(dims) == 1 else weights_out,
    }
    return value, trace_method(rate, options, fell_back=fell_back, n=len(values))


def _listed(values: np.ndarray) -> list[float | None]:
    """Plain floats for JSON, None where the value is missing or not finite."""
    return [
        v if v == v and abs(v) != float("inf") else None for v in np.asarray(values, dtype=float).tolist()
    ]


def trace_method(rate: float, options: AggregationOptions, *, fell_back: bool, n: int) -> str:
    parts = [f"resampled to {rate:g} Hz (linear interpolation)"]
    if options.lag_compensation:
        parts.append(
            f"per-annotator lag compensation: each trace advanced by the lag in [0, {options.max_lag_s:g}] s "
            "maximising its Pearson correlation with the mean of the other annotators"
        )
    parts.append(
        "mean and evaluator-weighted estimator (weights: correlation with the mean of the others, "
        "negatives clipped to 0, normalised)"
    )
    if fell_back:
        reason = "one annotator" if n < 2 else "every EWE weight is 0"
        parts.append(f"EWE fell back to the mean ({reason})")
    return "; ".join(parts)
