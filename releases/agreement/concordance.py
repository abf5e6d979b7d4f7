"""Lin's (1989) concordance correlation coefficient, for pairs and averaged over annotator pairs.

rho_c = 2 s_xy / (s_x^2 + s_y^2 + (mean_x - mean_y)^2) with 1/n moments (Lin 1989): 1 only when the
two series are identical, -1 when one is the other mirrored about their common mean. For traces the
series are the frames of every item concatenated (``pooling="concatenate"``, the AVEC convention) or
the mean of per-item CCCs (``pooling="per_item"``); either way a bootstrap resamples whole items.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd

from releases.agreement.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_one, point_weights
from releases.agreement.matrix import RatingMatrix, RatingsLike, as_rating_matrix
from releases.agreement.results import AgreementResult, undefined
from releases.agreement.stacked import stacked_chunks

Pooling = Literal["concatenate", "per_item"]
_CONSTANT_REASON = "both series are the same constant, so CCC is 0/0"


def lin_ccc(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    /,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """CCC of two aligned series (positions where either is NaN are dropped); positions are resampled."""
    a, b = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError("the two series must have the same length")
    frames, pairs = np.column_stack([a, b]), [(0, 1)]
    finite = np.isfinite(frames)
    centre = float(frames[finite].mean()) if finite.any() else 0.0
    result = _ccc_from_sums(
        _pair_sums(frames, np.arange(a.size), a.size, pairs, centre=centre),
        ("x", "y"),
        lambda: _no_overlap_reason([frames], 2),
        pooling="concatenate",
        measure="lin_ccc",
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )
    fields = {"n_items": result.n_items, "n_annotators": result.n_annotators}
    if result.value is None:
        return undefined("lin_ccc", result.undefined_reason, **fields)
    return AgreementResult(
        measure="lin_ccc",
        value=result.value,
        ci=result.ci,
        ci_undefined_reason=result.ci_undefined_reason,
        **fields,
    )


def mean_pairwise_ccc(
    traces: Sequence[RatingsLike],
    /,
    *,
    pooling: Pooling = "concatenate",
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
    annotators: Sequence[str] | None = None,
) -> AgreementResult:
    """Mean CCC over annotator pairs; ``traces`` holds one frames x annotators table per item.

    Frames are compared where both annotators have a value (resample traces to a common rate first,
    see ``traces_on_common_grid``). Data frames are aligned on their column names; float arrays
    whose columns are already ``annotators`` (in that order) are taken as they are, which is what a
    release with thousands of traced items passes.
    """
    if pooling not in ("concatenate", "per_item"):
        raise ValueError("pooling must be 'concatenate' or 'per_item'")
    measure = "mean_pairwise_ccc" if pooling == "concatenate" else "mean_pairwise_ccc_per_item"
    if annotators is not None:
        items, annotators = [np.asarray(t, dtype=float) for t in traces], tuple(annotators)
        if any(t.ndim != 2 or t.shape[1] != len(annotators) for t in items):
            raise ValueError("every item's array needs one column per annotator")
    else:
        items, annotators = _aligned(traces)
    stats = _stacked_pair_sums(items, len(annotators), _pairs(len(annotators)))
    return _ccc_from_sums(
        stats,
        annotators,
        lambda: _no_overlap_reason(items, len(annotators)),
        pooling=pooling,
        measure=measure,
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )


def _pairs(n_annotators: int) -> list[tuple[int, int]]:
    return list(combinations(range(n_annotators), 2))


def _ccc_from_sums(
    stats: np.ndarray,
    annotators: tuple,
    why_empty: Callable[[], str],
    *,
    pooling: Pooling,
    measure: str,
    n_resamples: int,
    seed: int | None,
    confidence: float,
) -> AgreementResult:
    """The result from per-item pair sums (items x pairs x moments, see ``_pair_sums``)."""
    pairs = _pairs(len(annotators))
    used_items = np.flatnonzero((stats[:, :, 0] > 0).any(axis=1))
    if used_items.size == 0:
        return undefined(measure, why_empty(), n_items=0)
    stats = stats[used_items]
    per_item = _ccc(stats) if pooling == "per_item" else None

    def pair_values(w: np.ndarray) -> np.ndarray:
        return _pooled(w, stats) if per_item is None else _per_item_mean(w, per_item)

    point = pair_values(point_weights(used_items.size))[0]
    defined = np.isfinite(point)
    if not defined.any():
        return undefined(
            measure, _CONSTANT_REASON, n_items=int(used_items.size), n_annotators=len(annotators)
        )
    ci, ci_reason = bootstrap_one(
        lambda w: _mean_defined(pair_values(w)),
        n_units=used_items.size,
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )
    return AgreementResult(
        measure=measure,
        value=float(point[defined].mean()),
        ci=ci,
        ci_undefined_reason=ci_reason,
        n_items=int(used_items.size),
        n_annotators=len({j for (a, b), ok in zip(pairs, defined, strict=True) if ok for j in (a, b)}),
        details={
            "pooling": pooling,
            "pairs": [
                {
                    "annotator_a": annotators[a],
                    "annotator_b": annotators[b],
                    "value": float(v) if np.isfinite(v) else None,
                }
                for (a, b), v in zip(pairs, point, strict=True)
            ],
        },
    )


def _no_overlap_reason(items: Sequence[np.ndarray], width: int) -> str:
    rated = np.zeros(width, dtype=bool)
    for table in items:
        rated |= np.isfinite(table).any(axis=0)
    if not rated.any():
        return "no values were given"
    if rated.sum() < 2:
        return "only one annotator rated any item"
    return "no two annotators rated the same frames"


def _aligned(traces: Sequence[RatingsLike]) -> tuple[list[np.ndarray], tuple]:
    if isinstance(traces, pd.DataFrame | np.ndarray | RatingMatrix):
        traces = [traces]  # one item's frames x annotators table
    if all(isinstance(t, pd.DataFrame) for t in traces) and traces:
        names = list(dict.fromkeys(c for t in traces for c in t.columns))
        return [t.reindex(columns=names).to_numpy(dtype=float) for t in traces], tuple(names)
    matrices = [as_rating_matrix(t).numeric_values() for t in traces]
    widths = {m.shape[1] for m in matrices}
    if len(widths) > 1:
        raise ValueError("every item's trace table needs the same annotator columns")
    return matrices, tuple(range(widths.pop() if widths else 0))


def _stacked_pair_sums(items: Sequence[np.ndarray], width: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """``_pair_sums`` of every item about the mean of all finite values, a chunk of items at a time.

    Each chunk is summed about its own mean (which keeps the moments precise) and its sums are then
    moved to the common centre exactly (``_moved``), so no array of all frames is ever made.
    """
    out = np.zeros((len(items), len(pairs), 6))
    spans: list[tuple[slice, float]] = []
    total, count = 0.0, 0
    for chunk in stacked_chunks(items, width):
        finite = np.isfinite(chunk.frames)
        n = int(finite.sum())
        chunk_total = float(chunk.frames[finite].sum()) if n else 0.0
        centre = chunk_total / n if n else 0.0
        span = slice(chunk.first, chunk.first + chunk.n_items)
        out[span] = _pair_sums(chunk.frames, chunk.items, chunk.n_items, pairs, centre=centre)
        spans.append((span, centre))
        total, count = total + chunk_total, count + n
    common = total / count if count else 0.0
    for span, centre in spans:
        _moved(out[span], centre - common)
    return out


def _moved(sums: np.ndarray, shift: float) -> None:
    """Turn pair sums about a centre c into sums about c - shift, in place (each value gains shift)."""
    if shift == 0:
        return
    n, sx, sy = sums[..., 0], sums[..., 1].copy(), sums[..., 2].copy()
    sums[..., 3] += 2 * shift * sx + n * shift**2
    sums[..., 4] += 2 * shift * sy + n * shift**2
    sums[..., 5] += shift * (sx + sy) + n * shift**2
    sums[..., 1] += n * shift
    sums[..., 2] += n * shift


def _pair_sums(
    frames: np.ndarray, item_ids: np.ndarray, n_items: int, pairs: list[tuple[int, int]], *, centre: float
) -> np.ndarray:
    """items x pairs x (n, sx, sy, sxx, syy, sxy) over frames both annotators rated, about ``centre``."""
    finite = np.isfinite(frames)
    x = frames - centre
    out = np.zeros((n_items, len(pairs), 6))
    runs = _runs(item_ids)
    for p, (a, b) in enumerate(pairs):
        both = finite[:, a] & finite[:, b]
        if runs is not None and both.all():  # the usual case: each item's frames summed in place
            starts, owners = runs
            u, v = np.ascontiguousarray(x[:, a]), np.ascontiguousarray(x[:, b])
            out[owners, p, 0] = np.diff(np.r_[starts, item_ids.size])
            for k, weights in enumerate((u, v, u * u, v * v, u * v), start=1):
                out[owners, p, k] = np.add.reduceat(weights, starts)
            continue
        ids, u, v = item_ids[both], x[both, a], x[both, b]
        for k, weights in enumerate((None, u, v, u * u, v * v, u * v)):
            out[:, p, k] = np.bincount(ids, weights=weights, minlength=n_items)
    return out


def _runs(item_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(first frame, item) of each item when every item's frames are one contiguous run, else None."""
    if item_ids.size == 0 or (np.diff(item_ids) < 0).any():
        return None
    starts = np.flatnonzero(np.r_[True, item_ids[1:] != item_ids[:-1]])
    return starts, item_ids[starts]


def _ccc(sums: np.ndarray) -> np.ndarray:
    """CCC from summed moments (any leading shape), NaN where n is 0 or the denominator vanishes."""
    n, sx, sy, sxx, syy, sxy = np.moveaxis(sums, -1, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mx, my = sx / n, sy / n
        vx, vy = sxx / n - mx**2, syy / n - my**2
        cov = sxy / n - mx * my
        denominator = vx + vy + (mx - my) ** 2
        scale = (sxx + syy) / (2 * n)
        return np.where((n > 0) & (denominator > 1e-12 * scale), 2 * cov / denominator, np.nan)


def _pooled(w: np.ndarray, stats: np.ndarray) -> np.ndarray:
    return _ccc((w @ stats.reshape(stats.shape[0], -1)).reshape(w.shape[0], *stats.shape[1:]))


def _per_item_mean(w: np.ndarray, per_item: np.ndarray) -> np.ndarray:
    defined = np.isfinite(per_item)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (w @ np.where(defined, per_item, 0)) / (w @ defined)


def _mean_defined(values: np.ndarray) -> np.ndarray:
    finite = np.isfinite(values)
    count = finite.sum(axis=1)
    return np.where(count > 0, np.where(finite, values, 0).sum(axis=1) / np.maximum(count, 1), np.nan)
