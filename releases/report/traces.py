"""Agreement for continuous traces, on traces resampled to the field's rate (no lag compensation).

Per dimension: the mean over annotator pairs of Lin's CCC (frames of all items concatenated) and the
six ICC forms over frames rated by every annotator. Frames of one trace are not independent, so the
ICC's bootstrap interval resamples whole items (traces), as the CCC's does: the ICC's ANOVA sums are
additive over frames, so each item is reduced to its sums once and a replicate reweights items.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from releases.aggregation.traces import dimension_names, on_grid
from releases.agreement import ICC_FORMS, mean_pairwise_ccc
from releases.agreement.bootstrap import bootstrap_ci, point_weights
from releases.agreement.icc import forms_from_sums_of_squares, icc_results, undefined_reason, undefined_table
from releases.agreement.stacked import RunningMoments, stacked_chunks
from releases.report.common import FieldStats, Settings, as_dict, guarded, mean_over, per_item_list

MAX_OVERLAY_POINTS = 2000
ICC_CI_METHOD = "percentile bootstrap, items (whole traces) resampled with replacement"


def trace_stats(
    field: Mapping[str, Any],
    per_item: Mapping[str, Mapping[str, Any]],
    annotators: list[str],
    s: Settings,
    aggregated: pd.DataFrame | None = None,
) -> FieldStats:
    rate = float(field.get("rate_hz") or 10.0)
    stats = FieldStats(level="interval")
    stats.notes.append(
        f"traces resampled to {rate:g} Hz on a common grid before comparison, without lag compensation"
    )
    ambiguity: dict[str, list[float | None]] = {}
    items = list(per_item)
    for index, dim in enumerate(dimension_names(field)):
        arrays = [_frame_matrix(per_item[item], index, rate, annotators)[1] for item in items]
        pairs: dict[str, list] = {}
        stats.measures += guarded(
            f"mean_pairwise_ccc {dim}", lambda a=arrays, d=dim, p=pairs: _measures(a, annotators, d, s, p)
        )
        stats.per_annotator += _per_annotator(arrays, annotators, dim, s, pairs.get("pairs"))
        for item, value in zip(items, _ambiguity(arrays), strict=True):
            ambiguity.setdefault(item, []).append(value)
        del arrays
    counts = {item: len(values) for item, values in per_item.items()}
    stats.per_item = per_item_list({item: mean_over(v) for item, v in ambiguity.items()}, counts)
    stats.trace_overlay = overlay(field, per_item, rate, aggregated)
    return stats


def _frame_matrix(
    values: Mapping[str, Any], dimension: int, rate: float, annotators: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(grid, frames x annotators) of one item, NaN for the annotators who did not trace it.

    The same numbers as ``pd.DataFrame(series, index=grid).reindex(columns=annotators)`` without a
    data frame per item, which is what a release of thousands of traced items spent its time on.
    """
    grid, series = on_grid(values, dimension=dimension, rate_hz=rate)
    matrix = np.full((grid.size, len(annotators)), np.nan)
    for column, annotator in enumerate(annotators):
        if annotator in series:
            matrix[:, column] = series[annotator]
    return grid, matrix


def _measures(
    arrays: list[np.ndarray], annotators: list[str], dim: str, s: Settings, pairs: dict[str, list]
) -> list[dict[str, Any]]:
    """CCC and ICC; the CCC's per-pair values are kept in ``pairs`` for the per-annotator table."""
    ccc = mean_pairwise_ccc(arrays, n_resamples=s.n_resamples, seed=s.seed, annotators=annotators)
    pairs["pairs"] = list(ccc.details.get("pairs", []))
    return [as_dict(ccc, f"mean_pairwise_ccc {dim}"), *icc_on_traces(arrays, dim, s)]


def icc_on_traces(tables: list[np.ndarray], dim: str, s: Settings) -> list[dict[str, Any]]:
    """The six ICC forms over all complete frames (one frames x annotators array per item), with
    an interval that resamples items.

    Annotators who traced nothing in this dimension are left out; a frame counts when every other
    annotator rated it. The ANOVA is computed from per-item sums gathered a chunk of items at a
    time (``_stacked_item_sums``), the same numbers as ``icc_table`` on the stacked frames.
    """
    width = tables[0].shape[1] if tables else 0
    rated = np.zeros(width, dtype=bool)
    for table in tables:
        rated |= ~np.isnan(table).all(axis=0)
    k = int(rated.sum())
    sums, frames = _stacked_item_sums(tables, rated)
    n = frames.complete
    context = {"items_dropped_incomplete": frames.present - n}
    reason = undefined_reason(any_value=k > 0, raters=k, complete_rows=n, constant=frames.constant)
    if reason:
        table = undefined_table(reason, n=n, k=k, context=context)
    else:
        units = sums["n"] > 0  # items with at least one complete frame are the bootstrap's units
        sums = {key: value[units] for key, value in sums.items()}
        point, mean_squares = anova_from_sums(point_weights(int(units.sum())), sums, k)
        intervals, reasons = _cluster_intervals(sums, k, s)
        table = icc_results(
            point[0], mean_squares, n=n, k=k, context=context, intervals=intervals, reasons=reasons
        )
    return [as_dict(table[form], f"{form.lower()} {dim}") for form in ICC_FORMS]


@dataclasses.dataclass
class _FrameCounts:
    present: int = 0  # frames someone rated
    complete: int = 0  # frames every rating annotator rated
    low: float = np.inf
    high: float = -np.inf

    @property
    def constant(self) -> bool:
        return self.complete > 0 and self.low == self.high


def _stacked_item_sums(
    tables: list[np.ndarray], rated: np.ndarray
) -> tuple[dict[str, np.ndarray], _FrameCounts]:
    """``_item_sums`` of the complete frames of every item about their common mean, chunk by chunk.

    Each chunk is centred on its own mean and then moved to the common one exactly (``_moved``).
    """
    k = int(rated.sum())
    out = {
        "n": np.zeros(len(tables)), "r1": np.zeros(len(tables)), "r2": np.zeros(len(tables)),
        "q": np.zeros(len(tables)), "c": np.zeros((len(tables), k)),
    }  # fmt: skip
    counts, spans, total = _FrameCounts(), [], 0.0
    for chunk in stacked_chunks(tables, len(rated)):
        values = chunk.frames[:, rated]
        missing = np.isnan(values)
        counts.present += int((~missing).any(axis=1).sum())
        complete = ~missing.any(axis=1)
        values, items = values[complete], chunk.items[complete]
        if not values.size:
            continue
        counts.complete += int(values.shape[0])
        counts.low, counts.high = min(counts.low, values.min()), max(counts.high, values.max())
        centre = float(values.mean())
        span = slice(chunk.first, chunk.first + chunk.n_items)
        for key, value in _item_sums(values - centre, items, chunk.n_items).items():
            out[key][span] = value
        spans.append((span, centre))
        total += centre * values.size
    common = total / (counts.complete * k) if counts.complete else 0.0
    for span, centre in spans:
        _moved({key: value[span] for key, value in out.items()}, centre - common, k)
    return out, counts


def _moved(sums: dict[str, np.ndarray], shift: float, k: int) -> None:
    """Turn item sums about a centre c into sums about c - shift, in place (each value gains shift)."""
    if shift == 0:
        return
    n, r1 = sums["n"], sums["r1"].copy()
    sums["r2"] += 2 * k * shift * r1 + n * (k * shift) ** 2
    sums["q"] += 2 * shift * r1 + n * k * shift**2
    sums["r1"] += n * k * shift
    sums["c"] += (n * shift)[:, None]


def _cluster_intervals(sums: dict[str, np.ndarray], k: int, s: Settings):
    if s.n_resamples == 0:
        return [None] * len(ICC_FORMS), [None] * len(ICC_FORMS)
    intervals, reasons = bootstrap_ci(
        lambda w: icc_from_sums(w, sums, k),
        n_units=len(sums["n"]),
        n_resamples=s.n_resamples,
        seed=s.seed,
        width=len(ICC_FORMS),
    )
    intervals = [dataclasses.replace(ci, method=ICC_CI_METHOD) if ci else None for ci in intervals]
    return intervals, reasons


def _item_sums(x: np.ndarray, clusters: np.ndarray, n_items: int | None = None) -> dict[str, np.ndarray]:
    """Per item: frames, sum of frame sums, sum of squared frame sums, sum of squares, column sums."""
    n_items = int(clusters.max()) + 1 if n_items is None else n_items
    row = x.sum(axis=1)
    column_sums = np.vstack(
        [np.bincount(clusters, weights=x[:, j], minlength=n_items) for j in range(x.shape[1])]
    )
    return {
        "n": np.bincount(clusters, minlength=n_items).astype(float),
        "r1": np.bincount(clusters, weights=row, minlength=n_items),
        "r2": np.bincount(clusters, weights=row**2, minlength=n_items),
        "q": np.bincount(clusters, weights=(x**2).sum(axis=1), minlength=n_items),
        "c": column_sums.T,
    }


def anova_from_sums(
    w: np.ndarray, sums: dict[str, np.ndarray], k: int
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The six ICC forms (FORMS order) per weight row and the mean squares, from per-item sums
    (Shrout & Fleiss 1979)."""
    n = w @ sums["n"]
    correction = (w @ sums["r1"]) ** 2 / (n * k)
    ss_total = w @ sums["q"] - correction
    ss_rows = w @ sums["r2"] / k - correction
    ss_cols = ((w @ sums["c"]) ** 2).sum(axis=1) / n - correction
    return forms_from_sums_of_squares(ss_total, ss_rows, ss_cols, n, k)


def icc_from_sums(w: np.ndarray, sums: dict[str, np.ndarray], k: int) -> np.ndarray:
    """The six ICC forms (FORMS order) per weight row, from per-item sums."""
    return anova_from_sums(w, sums, k)[0]


def _per_annotator(
    arrays: list[np.ndarray], annotators: list[str], dim: str, s: Settings, pairs: list | None = None
) -> list[dict[str, Any]]:
    """Each annotator's mean CCC with every other annotator (frames of all items concatenated).

    ``arrays`` holds one frames x annotators array per item, columns in ``annotators`` order.
    """
    measure = f"mean ccc with each other annotator {dim}"
    if not arrays:
        return [_row(a, 0, None, "no annotations were given for this field", measure) for a in annotators]
    if pairs is None:
        result = mean_pairwise_ccc(arrays, n_resamples=0, seed=s.seed, annotators=annotators)
        pairs = result.details.get("pairs", [])
    traced = sum((~np.isnan(a)).any(axis=0).astype(int) for a in arrays)
    rows = []
    for column, annotator in enumerate(annotators):
        n_items = int(traced[column])
        found = [p["value"] for p in pairs if annotator in (p["annotator_a"], p["annotator_b"])]
        value = mean_over(found)
        reason = None
        if value is None:
            reason = (
                "this annotator traced no item"
                if n_items == 0
                else "no other annotator traced the same frames"
            )
        rows.append(_row(annotator, n_items, value, reason, measure))
    return rows


def _row(annotator: str, n: int, value: float | None, reason: str | None, measure: str) -> dict[str, Any]:
    return {
        "annotator": annotator,
        "n_items": n,
        "value": value,
        "undefined_reason": reason,
        "measure": measure,
    }


def _ambiguity(pooled: list[np.ndarray]) -> list[float | None]:
    """Per item (frames x annotators array): mean over frames of the annotators' mean pairwise squared
    difference, divided by the same quantity for two values drawn at random from the whole field
    (2 x variance): 0 = identical traces, 1 = as far apart as chance.

    The mean pairwise squared difference of a frame is twice its sample variance (ddof 1). Frames
    are taken a chunk of items at a time and summed per item with ``bincount``; the field's
    variance is combined from the chunks' moments.
    """
    if not pooled:
        return []
    field = RunningMoments()
    totals, frames = np.zeros(len(pooled)), np.zeros(len(pooled), dtype=np.int64)
    for chunk in stacked_chunks(pooled, pooled[0].shape[1]):
        finite = np.isfinite(chunk.frames)
        field.add(chunk.frames[finite])
        m = finite.sum(axis=1)
        usable = m >= 2
        if not usable.any():
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            spread = 2 * np.nanvar(chunk.frames[usable], axis=1) * m[usable] / (m[usable] - 1)
        span = slice(chunk.first, chunk.first + chunk.n_items)
        frames[span] += np.bincount(chunk.items[usable], minlength=chunk.n_items)
        totals[span] += np.bincount(chunk.items[usable], weights=spread, minlength=chunk.n_items)
    expected = 2 * field.variance(ddof=1) if field.n > 1 else 0.0
    if not expected > 0 or not frames.any():
        return [None] * len(pooled)
    return [float(t / n / expected) if n else None for t, n in zip(totals, frames, strict=True)]


def overlay(
    field: Mapping[str, Any],
    per_item: Mapping[str, Mapping[str, Any]],
    rate: float,
    aggregated: pd.DataFrame | None,
) -> dict[str, Any] | None:
    """The most-annotated item's traces (first dimension) and the consensus mean, thinned for plotting."""
    if not per_item:
        return None
    item = min(per_item, key=lambda i: (-len(per_item[i]), i))
    grid, series = on_grid(per_item[item], dimension=0, rate_hz=rate)
    consensus = np.nanmean(np.vstack(list(series.values())), axis=0) if series and grid.size else np.empty(0)
    consensus = _aggregated_mean(aggregated, item, grid, consensus)
    step = max(1, int(np.ceil(grid.size / MAX_OVERLAY_POINTS)))
    return {
        "item_id": item,
        "dimension": dimension_names(field)[0],
        "times": [round(float(t), 6) for t in grid[::step]],
        "series": {a: _listed(v[::step]) for a, v in series.items()},
        "consensus": _listed(consensus[::step]),
    }


def _aggregated_mean(
    aggregated: pd.DataFrame | None, item: str, grid: np.ndarray, fallback: np.ndarray
) -> np.ndarray:
    if aggregated is None or aggregated.empty:
        return fallback
    match = aggregated[aggregated["item_id"].astype(str) == item]
    if match.empty or not isinstance(match.iloc[0]["value"], Mapping):
        return fallback
    value = match.iloc[0]["value"]
    mean = value.get("mean")
    if isinstance(mean, Mapping):
        mean = next(iter(mean.values()), None)
    if not isinstance(mean, list | np.ndarray) or len(mean) != grid.size:
        return fallback
    return np.array(
        [np.nan if v is None else v for v in mean] if isinstance(mean, list) else mean, dtype=float
    )


def _listed(values: np.ndarray) -> list[float | None]:
    return [float(v) if np.isfinite(v) else None for v in values]
