"""Bootstrap confidence intervals that resample items, reproducibly.

Items (units) are the sampling unit of an agreement study, so a replicate draws ``n`` items with
replacement, never individual ratings. Replicate ``b`` is always ``rng.integers(0, n, n)`` drawn in
order from ``numpy.random.default_rng(seed)``, so the same seed gives the same resamples for every
measure (their intervals are paired) and the same interval on every run.

Measures do not loop over replicates themselves: each one is written as a function of a weight matrix
``W`` (replicates x items, ``W[b, i]`` = how often item i was drawn in replicate b) that returns one
value per replicate, NaN where the measure is undefined in that replicate. The point estimate is the
same function at ``W = 1``, so the estimate and its interval can never drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from releases.agreement.results import ConfidenceInterval

WeightedStatistic = Callable[[np.ndarray], np.ndarray]

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0
_CELLS_PER_CHUNK = 4_000_000
_MAX_BLOCK = 128


def point_weights(n_units: int) -> np.ndarray:
    """The weight matrix of the data itself: one replicate in which every item counts once."""
    return np.ones((1, n_units))


def replicate_weights(*, n_units: int, n_resamples: int, seed: int | None) -> Iterator[np.ndarray]:
    """Yield blocks of bootstrap weight rows; the block size never changes which items are drawn."""
    rng = np.random.default_rng(seed)
    block = max(1, min(_MAX_BLOCK, _CELLS_PER_CHUNK // max(n_units, 1)))
    for start in range(0, n_resamples, block):
        size = min(block, n_resamples - start)
        draws = np.stack([rng.integers(0, n_units, size=n_units) for _ in range(size)])
        offsets = (np.arange(size) * n_units)[:, None]
        counts = np.bincount((draws + offsets).ravel(), minlength=size * n_units)
        yield counts.reshape(size, n_units).astype(float)


def bootstrap_ci(
    statistic: WeightedStatistic,
    *,
    n_units: int,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
    width: int = 1,
) -> tuple[list[ConfidenceInterval | None], list[str | None]]:
    """Percentile intervals for each column the statistic returns, with a reason where there is none.

    ``statistic(W)`` returns shape (replicates,) or (replicates, k) for k figures computed together
    (the six ICC forms share one ANOVA; pass ``width=k``). Replicates where a figure is undefined are
    left out of its interval and counted in ``n_valid``.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    if n_resamples < 0:
        raise ValueError("n_resamples must be 0 (no interval) or positive")
    if n_resamples == 0:
        return [None] * width, [None] * width
    if n_units < 2:
        return [None] * width, ["fewer than two items to resample"] * width
    blocks = [
        np.asarray(statistic(w), dtype=float).reshape(w.shape[0], -1)
        for w in replicate_weights(n_units=n_units, n_resamples=n_resamples, seed=seed)
    ]
    replicates = np.concatenate(blocks, axis=0)
    if replicates.shape[1] != width:
        raise ValueError(f"the statistic returned {replicates.shape[1]} figures, expected {width}")
    tail = 100 * (1 - confidence) / 2
    intervals: list[ConfidenceInterval | None] = []
    reasons: list[str | None] = []
    for column in replicates.T:
        valid = column[np.isfinite(column)]
        if valid.size == 0:
            intervals.append(None)
            reasons.append("the measure is undefined in every bootstrap resample")
            continue
        low, high = np.percentile(valid, [tail, 100 - tail])
        intervals.append(
            ConfidenceInterval(
                low=float(low),
                high=float(high),
                level=confidence,
                n_resamples=n_resamples,
                n_valid=int(valid.size),
                seed=seed,
            )
        )
        reasons.append(None)
    return intervals, reasons


def bootstrap_one(
    statistic: WeightedStatistic,
    *,
    n_units: int,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> tuple[ConfidenceInterval | None, str | None]:
    """The interval of a statistic that returns one figure per replicate."""
    intervals, reasons = bootstrap_ci(
        statistic, n_units=n_units, n_resamples=n_resamples, seed=seed, confidence=confidence
    )
    return intervals[0], reasons[0]
