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

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator

import numpy as np

from releases.agreement.results import ConfidenceInterval

WeightedStatistic = Callable[[np.ndarray], np.ndarray]

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0
_CELLS_PER_CHUNK = 4_000_000
_MAX_BLOCK = 128
_CACHE_MAX_CELLS = 20_000_000  # replicates x items of one cached set of weights
_CACHE_TOTAL_CELLS = 40_000_000  # all cached sets together (one byte per cell)
_CACHE: OrderedDict[tuple[int, int, int], list[np.ndarray]] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def point_weights(n_units: int) -> np.ndarray:
    """The weight matrix of the data itself: one replicate in which every item counts once."""
    return np.ones((1, n_units))


def replicate_weights(*, n_units: int, n_resamples: int, seed: int | None) -> Iterator[np.ndarray]:
    """Yield blocks of bootstrap weight rows; the block size never changes which items are drawn.

    A release computes dozens of measures over the same items with the same seed, and every one of
    them needs the very same weight matrices; drawing them once and replaying them (see
    ``_cached_blocks``) saves most of the bootstrap's cost. Each block is a fresh float array, so a
    caller may modify what it receives.
    """
    if type(seed) is int and n_units * n_resamples <= _CACHE_MAX_CELLS:
        for stored in _cached_blocks(n_units, n_resamples, seed):
            yield stored.astype(float)
        return
    yield from _drawn_blocks(n_units, n_resamples, np.random.default_rng(seed))


def _drawn_blocks(n_units: int, n_resamples: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Draw the replicates in order; one ``integers`` call per block yields the same stream as one per row."""
    block = max(1, min(_MAX_BLOCK, _CELLS_PER_CHUNK // max(n_units, 1)))
    for start in range(0, n_resamples, block):
        size = min(block, n_resamples - start)
        draws = rng.integers(0, n_units, size=(size, n_units))
        offsets = (np.arange(size) * n_units)[:, None]
        counts = np.bincount((draws + offsets).ravel(), minlength=size * n_units)
        yield counts.reshape(size, n_units).astype(float)


def _cached_blocks(n_units: int, n_resamples: int, seed: int) -> list[np.ndarray]:
    """The blocks for one (n_units, n_resamples, seed), drawn on first use and kept as small integers.

    Counts are stored in the narrowest unsigned type that holds them (one byte in practice), and the
    cache keeps at most ``_CACHE_TOTAL_CELLS`` cells, dropping the least recently used entries, so its
    memory stays bounded whatever the release size.
    """
    key = (n_units, n_resamples, seed)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    blocks = [_compact(w) for w in _drawn_blocks(n_units, n_resamples, np.random.default_rng(seed))]
    with _CACHE_LOCK:
        _CACHE[key] = blocks
        _CACHE.move_to_end(key)
        while sum(k[0] * k[1] for k in _CACHE) > _CACHE_TOTAL_CELLS:
            _CACHE.popitem(last=False)
    return blocks


def _compact(weights: np.ndarray) -> np.ndarray:
    """Whole-number counts in the narrowest unsigned type; converting back to float is exact."""
    top = int(weights.max()) if weights.size else 0
    return weights.astype(np.min_scalar_type(top))


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
