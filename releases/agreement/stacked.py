"""Walking many items' frames x annotators tables a bounded number of rows at a time.

The trace measures are sums over frames, gathered per item so that a bootstrap can reweight items.
Stacking every item's table into one array first (as the plain formulas read) copies every frame of
a field: hundreds of megabytes per copy at 100,000 traced items, and each step made several. Here
consecutive items are stacked a chunk at a time and each chunk is reduced to its per-item sums
before the next is made, so the memory a measure needs no longer grows with the release.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

CHUNK_ROWS = 262_144  # frames per chunk: 6 MB for three annotators' float64 values


@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive items ``first .. first + n_items - 1``, their frames stacked in item order."""

    first: int
    n_items: int
    frames: np.ndarray  # frames x annotators
    items: np.ndarray  # the item of each frame, 0 .. n_items - 1 within the chunk


def stacked_chunks(tables: Sequence[np.ndarray], width: int, max_rows: int | None = None) -> Iterator[Chunk]:
    """Chunks of whole items, each of at most ``max_rows`` (``CHUNK_ROWS``) frames unless one item
    alone has more.

    Every item appears in exactly one chunk, in order, including items without frames, so a caller
    indexing per-item results by ``first + local item`` covers all of them.
    """
    max_rows = CHUNK_ROWS if max_rows is None else max_rows
    start = 0
    while start < len(tables):
        stop, rows = start, 0
        while stop < len(tables) and (stop == start or rows + len(tables[stop]) <= max_rows):
            rows += len(tables[stop])
            stop += 1
        group = tables[start:stop]
        frames = np.concatenate(group) if rows else np.empty((0, width))
        items = np.repeat(np.arange(stop - start), [len(t) for t in group])
        yield Chunk(first=start, n_items=stop - start, frames=frames, items=items)
        start = stop


@dataclass
class RunningMoments:
    """Count, mean and sum of squared deviations of values seen chunk by chunk (Chan et al. 1979).

    Combining per-chunk moments this way keeps the precision of a two-pass variance; summing
    squares instead would lose it on values far from zero.
    """

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0

    def add(self, values: np.ndarray) -> None:
        if values.size == 0:
            return
        n, mean = values.size, float(values.mean())
        m2 = float(((values - mean) ** 2).sum())
        total = self.n + n
        delta = mean - self.mean
        self.m2 += m2 + delta * delta * self.n * n / total
        self.mean += delta * n / total
        self.n = total

    def variance(self, ddof: int = 0) -> float:
        return self.m2 / (self.n - ddof) if self.n > ddof else float("nan")
