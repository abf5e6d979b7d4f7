"""Lin's (1989) concordance correlation coefficient, for pairs and averaged over annotator pairs.

rho_c = 2 s_xy / (s_x^2 + s_y^2 + (mean_x - mean_y)^2) with 1/n moments (Lin 1989): 1 only when the
two series are identical, -1 when one is the other mirrored about their common mean. For traces the
series are the frames of every item concatenated (``pooling="concatenate"``, the AVEC convention) or
the mean of per-item CCCs (``pooling="per_item"``); either way a bootstrap resamples whole items.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd

from releases.agreement.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_one, point_weights
from releases.agreement.matrix import RatingMatrix, RatingsLike, as_rating_matrix
from releases.agreement.results import AgreementResult, undefined

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
    result = _pairwise_ccc(
        np.column_stack([a, b]),
        np.arange(a.size),
        ("x", "y"),
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
    frames = np.concatenate(items) if items else np.empty((0, len(annotators)))
    item_ids = np.repeat(np.arange(len(items)), [len(m) for m in items])
    return _pairwise_ccc(
        frames,
        item_ids,
        annotators,
        pooling=pooling,
        measure=measure,
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )


def _pairwise_ccc(
    frames: np.ndarray,
    item_ids: np.ndarray,
    annotators: tuple,
    *,
    pooling: Pooling,
    measure: str,
    n_resamples: int,
    seed: int | None,
    confidence: float,
) -> AgreementResult:
    pairs = list(combinations(range(len(annotators)), 2))
    n_items = int(item_ids.max()) + 1 if item_ids.size else 0
    stats = _pair_sums(frames, item_ids, n_items, pairs)
    used_items = np.flatnonzero((stats[:, :, 0] > 0).any(axis=1))
    if used_items.size == 0:
        return undefined(measure, _no_overlap_reason(frames), n_items=0)
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


def _no_overlap_reason(frames: np.ndarray) -> str:
    present = np.isfinite(frames)
    if not present.any():
        return "no values were given"
    if present.any(axis=0).sum() < 2:
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


def _pair_sums(
    frames: np.ndarray, item_ids: np.ndarray, n_items: int, pairs: list[tuple[int, int]]
) -> np.ndarray:
    """items x pairs x (n, sx, sy, sxx, syy, sxy) over frames both annotators rated, about a common centre."""
    finite = np.isfinite(frames)
    x = frames - (frames[finite].mean() if finite.any() else 0.0)
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
