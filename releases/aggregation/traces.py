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
    """(times, values) of one dimension of a trace value [[t, v1, v2?], ...]; malformed samples dropped.

    The value is the decoded JSON list, or the float array (samples x columns) the release snapshot
    parses a canonical trace into.
    """
    if isinstance(value, np.ndarray):
        if value.ndim == 2 and value.shape[1] > dimension + 1:
            return value[:, 0].astype(float), value[:, dimension + 1].astype(float)
        return np.empty(0), np.empty(0)
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
    return grid, {a: _resampled(t, v, grid) for a, (t, v) in samples.items()}


def _resampled(times: np.ndarray, values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """``resample_trace`` without its sorting and de-duplication when there is nothing to sort.

    Times that are finite and strictly increasing, with finite values, are what ``resample_trace``
    would keep as they are; it is then the same interpolation. Times that are the grid itself (a
    trace recorded at the field's rate, the usual case) interpolate to their own values exactly,
    so those are copied. Anything else goes through ``resample_trace``.
    """
    if times.size == grid.size and np.array_equal(times, grid) and np.isfinite(values).all():
        return values.astype(float, copy=True)
    if (
        times.size < 2
        or not np.isfinite(values).all()
        or not np.isfinite(times).all()
        or not (times[1:] > times[:-1]).all()
    ):
        return resample_trace(times, values, grid=grid)
    out = np.full(grid.shape, np.nan)
    inside = (grid >= times[0]) & (grid <= times[-1])
    out[inside] = np.interp(grid[inside], times, values)
    return out


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
    steps = np.arange(min(max_steps, max(x.size - 2, 0)) + 1)
    if steps.size == 0:
        return 0
    unshifted_overlap = int((np.isfinite(x) & np.isfinite(reference)).sum())
    return _best_of(x, reference, steps, unshifted_overlap)


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
    results = []
    for index in range(len(dims)):
        grid, series = on_grid(values, dimension=index, rate_hz=rate)
        results.append((grid, _consensus(grid, series, rate, options)))
    return _trace_value(dims, rate, results), trace_method(
        rate, options, fell_back=any(r.fell_back for _, r in results), n=len(values)
    )


def aggregate_traces(
    field: Mapping[str, Any],
    per_item: Mapping[str, Mapping[str, Any]],
    options: AggregationOptions,
    *,
    arrays: bool = False,
) -> list[tuple[dict[str, Any], str]]:
    """``aggregate_trace`` of every item, in ``per_item`` order, with the same numbers.

    The consensus of items whose traces have the same number of annotators and grid frames, with
    every frame present, is computed for a batch of items at once (``_batch_consensus``), using the
    same array operations in the same order as the per-item path, so the results are identical
    (the lag search first narrows the lags with an estimate, then decides with the exact per-item
    arithmetic); any other item takes the per-item path. Per-item Python work is what made a
    release of thousands of traced items slow, not the arithmetic.

    With ``arrays`` the times, means and EWEs stay float arrays (NaN where missing) instead of
    lists of Python floats: a release holds the consensus of every item until its trace files are
    written, and a list costs four times the memory of the array.
    """
    rate = float(options.trace_rate_hz or field.get("rate_hz") or 10.0)
    dims = dimension_names(field)
    items = list(per_item)
    results: list[list] = [[None] * len(dims) for _ in items]
    grids: dict[tuple[int, float, float], np.ndarray] = {}  # one copy of each grid, not one per item
    for index in range(len(dims)):
        pending: dict[tuple[int, int], list[tuple[int, np.ndarray, dict[str, np.ndarray]]]] = {}
        for position, item in enumerate(items):
            grid, series = on_grid(per_item[item], dimension=index, rate_hz=rate)
            grid = grids.setdefault(_grid_key(grid), grid)
            stack = list(series.values())
            if len(stack) >= 2 and grid.size and all(np.isfinite(x).all() for x in stack):
                batch = pending.setdefault((len(stack), grid.size), [])
                batch.append((position, grid, series))
                if len(batch) == BATCH_ITEMS:
                    _run_batch(batch, results, index, rate, options)
                    batch.clear()
            else:
                results[position][index] = (grid, _consensus(grid, series, rate, options))
        for batch in pending.values():
            if batch:
                _run_batch(batch, results, index, rate, options)
    times: dict = {}
    return [
        (
            _trace_value(dims, rate, results[position], times, arrays=arrays),
            trace_method(
                rate,
                options,
                fell_back=any(r.fell_back for _, r in results[position]),
                n=len(per_item[item]),
            ),
        )
        for position, item in enumerate(items)
    ]


BATCH_ITEMS = 64


def _grid_key(grid: np.ndarray) -> tuple[int, float, float]:
    """Size, first and last time: equal keys mean equal grids, since a grid is evenly spaced."""
    return (grid.size, float(grid[0]), float(grid[-1])) if grid.size else (0, 0.0, 0.0)


def _run_batch(
    batch: list, results: list[list], index: int, rate: float, options: AggregationOptions
) -> None:
    stack = np.stack([np.vstack(list(series.values())) for _, _, series in batch], axis=1)
    for (position, grid, series), outcome in zip(batch, _batch_consensus(stack, rate, options), strict=True):
        results[position][index] = (grid, outcome.named(list(series)))


class _Consensus:
    """One dimension of one item: mean, EWE, lags (s) and normalised weights per annotator."""

    __slots__ = ("ewe", "fell_back", "lags", "mean", "weights")

    def __init__(self, mean, ewe, lags, weights, fell_back) -> None:
        self.mean, self.ewe, self.lags, self.weights, self.fell_back = mean, ewe, lags, weights, fell_back

    def named(self, names: list[str]) -> _Consensus:
        """Lags and weights keyed by annotator (the batch path keeps them in annotator order)."""
        return _Consensus(
            self.mean, self.ewe, dict(zip(names, self.lags, strict=True)),
            dict(zip(names, self.weights, strict=True)), self.fell_back,
        )  # fmt: skip


def _consensus(
    grid: np.ndarray, series: dict[str, np.ndarray], rate: float, options: AggregationOptions
) -> _Consensus:
    """The per-item path of one dimension (the reference the batch path must equal)."""
    if options.lag_compensation and grid.size:
        series, lags = compensate_lags(series, rate_hz=rate, max_lag_s=options.max_lag_s)
    else:
        lags = {a: 0.0 for a in series}
    weights = ewe_weights(series)
    total = sum(weights.values())
    mean = plain_mean(series) if series else np.empty(0)
    fell_back = False
    if total > 0:
        ewe = weighted_mean(series, {a: w / total for a, w in weights.items()})
    else:
        ewe, fell_back = mean, True
    normalised = {a: (w / total if total > 0 else 0.0) for a, w in weights.items()}
    return _Consensus(mean, ewe, lags, normalised, fell_back)


def _batch_consensus(stack: np.ndarray, rate: float, options: AggregationOptions) -> list[_Consensus]:
    """``_consensus`` of a batch: ``stack`` is annotators x items x frames, every frame present."""
    n_annotators, n_items, n = stack.shape
    if options.lag_compensation:
        max_steps = int(np.floor(options.max_lag_s * rate + 1e-9))
        steps = np.stack(
            [
                _batch_best_lag(stack[a], _batch_mean_of_others(stack, a), max_steps)
                for a in range(n_annotators)
            ]
        )
        moved = np.stack([_batch_advance(stack[a], steps[a]) for a in range(n_annotators)])
    else:
        steps = np.zeros((n_annotators, n_items), dtype=int)
        moved = stack
    r = np.stack([_batch_pearson(moved[a], _batch_mean_of_others(moved, a)) for a in range(n_annotators)])
    mean = _batch_weighted_mean(moved, np.ones((n_annotators, n_items)))
    out = []
    normalised_rows = np.zeros((n_annotators, n_items))
    weights_of, totals = [], []
    for i in range(n_items):
        weights = [max(float(r[a, i]), 0.0) if np.isfinite(r[a, i]) else 0.0 for a in range(n_annotators)]
        total = sum(weights)
        weights_of.append(weights)
        totals.append(total)
        if total > 0:
            normalised_rows[:, i] = [w / total for w in weights]
    ewe = _batch_weighted_mean(moved, normalised_rows)
    for i in range(n_items):
        total = totals[i]
        lags = [int(steps[a, i]) / rate for a in range(n_annotators)]
        weights = [(w / total if total > 0 else 0.0) for w in weights_of[i]]
        out.append(_Consensus(mean[i], ewe[i] if total > 0 else mean[i], lags, weights, not total > 0))
    return out


def _batch_mean_of_others(stack: np.ndarray, annotator: int) -> np.ndarray:
    """``mean_of_others`` for every item of the batch (items x frames)."""
    others = np.delete(stack, annotator, axis=0)
    present = np.isfinite(others)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(present.any(axis=0), np.nansum(others, axis=0) / present.sum(axis=0), np.nan)


CANDIDATE_MARGIN = 1e-6


def _batch_best_lag(x: np.ndarray, reference: np.ndarray, max_steps: int) -> np.ndarray:
    """``best_lag`` of every row of ``x`` (items x frames) against the same row of ``reference``.

    Every frame of both is present (the batch path's condition), so a lag keeps the first n - lag
    frames. Each lag's correlation is first estimated from running sums (one product per frame and
    lag); only the lags within ``CANDIDATE_MARGIN`` of a row's best estimate, far wider than the
    estimate's rounding error, are then computed exactly as ``best_lag`` computes them, and the
    choice is made on those. A row whose estimate is not trustworthy (a nearly constant trace) is
    computed exactly at every lag.
    """
    n_items, n = x.shape
    steps = np.arange(min(max_steps, max(n - 2, 0)) + 1)
    if steps.size == 0:
        return np.zeros(n_items, dtype=int)
    index = np.arange(n)[None, :] + steps[:, None]
    keep = index < n  # lags x frames
    count = keep.sum(axis=1)
    usable_count = count >= max(2, MIN_OVERLAP_SHARE * count[0])
    sxy = np.empty((n_items, steps.size))
    for j, lag in enumerate(steps.tolist()):  # sum over t of x(t + lag) * reference(t)
        sxy[:, j] = np.einsum("it,it->i", x[:, lag:], reference[:, : n - lag])
    tail = np.concatenate([np.zeros((n_items, 1)), np.cumsum(x[:, ::-1], axis=1)], axis=1)[:, ::-1]
    tail2 = np.concatenate([np.zeros((n_items, 1)), np.cumsum((x * x)[:, ::-1], axis=1)], axis=1)[:, ::-1]
    head = np.concatenate([np.zeros((n_items, 1)), np.cumsum(reference, axis=1)], axis=1)
    head2 = np.concatenate([np.zeros((n_items, 1)), np.cumsum(reference * reference, axis=1)], axis=1)
    sx, sxx = tail[:, steps], tail2[:, steps]
    sy, syy = head[:, count], head2[:, count]
    with np.errstate(invalid="ignore", divide="ignore"):
        vx, vy = sxx - sx * sx / count, syy - sy * sy / count
        estimate = (sxy - sx * sy / count) / np.sqrt(vx * vy)
    trusted = (vx > 1e-6 * np.maximum(sxx, 1.0)) & (vy > 1e-6 * np.maximum(syy, 1.0)) & np.isfinite(estimate)
    usable = usable_count[None, :] & trusted
    exact = ~(trusted | ~usable_count[None, :]).all(axis=1) | ~usable.any(axis=1)
    best = np.max(np.where(usable, estimate, -np.inf), axis=1, keepdims=True)
    candidates = usable & (estimate >= best - CANDIDATE_MARGIN)
    single = ~exact & (candidates.sum(axis=1) == 1)
    out = np.zeros(n_items, dtype=int)
    rows = np.flatnonzero(single)
    if rows.size:
        lag = steps[np.argmax(candidates[rows], axis=1)]
        confirmed = _usable_at(x[rows], reference[rows], lag, int(count[0]))
        out[rows] = lag
        exact[rows[~confirmed]] = True
    for row in np.flatnonzero(~single | exact):
        if exact[row]:
            out[row] = best_lag(x[row], reference[row], max_steps)
        else:
            out[row] = _best_of(x[row], reference[row], steps[candidates[row]], int(count[0]))
    return out


def _usable_at(x: np.ndarray, reference: np.ndarray, lag: np.ndarray, full_count: int) -> np.ndarray:
    """Whether ``best_lag``'s usability test passes at one lag per row (rows x frames, all present)."""
    n = x.shape[1]
    index = np.arange(n)[None, :] + lag[:, None]
    keep = index < n
    a = np.where(keep, np.take_along_axis(x, np.minimum(index, n - 1), axis=1), 0.0)
    b = np.where(keep, reference, 0.0)
    count = keep.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ma, mb = a.sum(axis=1) / count, b.sum(axis=1) / count
        da, db = np.where(keep, a - ma[:, None], 0.0), np.where(keep, b - mb[:, None], 0.0)
        denominator = np.sqrt((da * da).sum(axis=1) * (db * db).sum(axis=1))
        r = (da * db).sum(axis=1) / denominator
    return (count >= max(2, MIN_OVERLAP_SHARE * full_count)) & (denominator > 1e-12) & np.isfinite(r)


def _best_of(x: np.ndarray, reference: np.ndarray, steps: np.ndarray, full_count: int) -> int:
    """The best of the given lags (ties to the smallest); ``best_lag`` and the batched search end here."""
    n = x.size
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
    usable = (count >= max(2, MIN_OVERLAP_SHARE * full_count)) & (denominator > 1e-12) & np.isfinite(r)
    if not usable.any():
        return 0
    best = np.max(r[usable])
    return int(steps[usable & (r >= best - 1e-12)][0])


def _batch_advance(x: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """``advance`` of each row of ``x`` by its own number of frames."""
    n = x.shape[1]
    index = np.arange(n)[None, :] + steps[:, None]
    return np.where(index < n, np.take_along_axis(x, np.minimum(index, n - 1), axis=1), np.nan)


def _batch_pearson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``pearson`` of each row pair (NaN where it is None), on the frames where both are present.

    Rows are grouped by how many frames they share, so each sum runs over exactly the values the
    per-row function sums, in the same order; rows whose shared frames are not a leading run fall
    back to ``pearson`` itself.
    """
    both = np.isfinite(x) & np.isfinite(y)
    length = both.sum(axis=1)
    leading = (both == (np.arange(x.shape[1])[None, :] < length[:, None])).all(axis=1)
    out = np.full(x.shape[0], np.nan)
    for row in np.flatnonzero(~leading):
        r = pearson(x[row], y[row])
        out[row] = np.nan if r is None else r
    for m in np.unique(length[leading]):
        rows = np.flatnonzero(leading & (length == m))
        if m < 2:
            continue
        xs, ys = x[rows, :m], y[rows, :m]
        a, b = xs - xs.mean(axis=1)[:, None], ys - ys.mean(axis=1)[:, None]
        denominator = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
        scale = np.maximum(np.maximum(1.0, np.abs(xs).max(axis=1)), np.abs(ys).max(axis=1)) ** 2
        with np.errstate(invalid="ignore", divide="ignore"):
            r = (a * b).sum(axis=1) / denominator
        out[rows] = np.where(denominator <= 1e-12 * scale, np.nan, r)
    return out


def _batch_weighted_mean(stack: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``weighted_mean`` per item: ``weights`` is annotators x items."""
    w = weights[:, :, None] * np.isfinite(stack)
    total = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (w * np.nan_to_num(stack)).sum(axis=0) / total, np.nan)


def _trace_value(
    dims: list[str], rate: float, results: list, times: dict | None = None, *, arrays: bool = False
) -> dict[str, Any]:
    """The consensus value; ``times`` (grid start and size -> times) shares one copy between items."""
    grid = results[0][0]
    key = (grid.size, float(grid[0]) if grid.size else 0.0)
    if times is None or key not in times:
        rounded = np.round(grid, 9)
        if arrays:
            rounded.flags.writeable = False
        if times is None:
            times = {}
        times[key] = rounded if arrays else rounded.tolist()
    listed = _frozen if arrays else _listed
    means = [listed(r.mean) for _, r in results]
    ewes = [listed(r.ewe) for _, r in results]
    lags_out = {dim: r.lags for dim, (_, r) in zip(dims, results, strict=True)}
    weights_out = {dim: r.weights for dim, (_, r) in zip(dims, results, strict=True)}
    return {
        "times": times[key],
        "mean": means[0] if len(dims) == 1 else dict(zip(dims, means, strict=True)),
        "ewe": ewes[0] if len(dims) == 1 else dict(zip(dims, ewes, strict=True)),
        "dimensions": dims,
        "rate_hz": rate,
        "lags_s": lags_out[dims[0]] if len(dims) == 1 else lags_out,
        "ewe_weights": weights_out[dims[0]] if len(dims) == 1 else weights_out,
    }


def _frozen(values: np.ndarray) -> np.ndarray:
    """A read-only view of the float values (NaN where missing), not a copy.

    A batch's means are rows of one array: viewing them keeps that array, which every item of the
    batch needs anyway, where a copy per item would hold the consensus twice until the batch is freed.
    """
    array = np.asarray(values, dtype=float).view()
    array.flags.writeable = False
    return array


def _listed(values: np.ndarray) -> list[float | None]:
    """Plain floats for JSON, None where the value is missing or not finite."""
    array = np.asarray(values, dtype=float)
    finite = np.isfinite(array)
    if finite.all():
        return array.tolist()
    return [v if ok else None for v, ok in zip(array.tolist(), finite.tolist(), strict=True)]


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
