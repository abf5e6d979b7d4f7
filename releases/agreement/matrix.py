"""Turn whatever the caller holds into one items x annotators float matrix.

Every measure works on the same shape: rows are items (units), columns are annotators, NaN marks a
rating that was not given. Labels that are not numbers (class names) are coded as their index in
``categories``, so the order of ``categories`` is the order an ordinal measure uses.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True, slots=True)
class RatingMatrix:
    """``values[i, j]`` is annotator j's rating of item i (a category code when ``categories`` is set)."""

    values: np.ndarray
    items: tuple[Hashable, ...]
    annotators: tuple[Hashable, ...]
    categories: tuple[Hashable, ...] | None = None

    @property
    def n_items(self) -> int:
        return self.values.shape[0]

    @property
    def n_annotators(self) -> int:
        return self.values.shape[1]

    def numeric_values(self) -> np.ndarray:
        """Ratings as numbers, for interval and ratio measures (codes mapped back to numeric categories)."""
        if self.categories is None:
            return self.values
        try:
            scale = np.array([float(c) for c in self.categories])  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise ValueError("interval and ratio measures need numeric ratings, not class names") from exc
        out = np.full(self.values.shape, np.nan)
        present = ~np.isnan(self.values)
        out[present] = scale[self.values[present].astype(np.intp)]
        return out

    def select(
        self, *, items: np.ndarray | None = None, annotators: np.ndarray | None = None
    ) -> RatingMatrix:
        """A sub-matrix (boolean or index selections), keeping ids and categories aligned."""
        rows = np.arange(self.n_items) if items is None else np.arange(self.n_items)[items]
        cols = (
            np.arange(self.n_annotators) if annotators is None else np.arange(self.n_annotators)[annotators]
        )
        return RatingMatrix(
            values=self.values[np.ix_(rows, cols)],
            items=tuple(self.items[i] for i in rows),
            annotators=tuple(self.annotators[j] for j in cols),
            categories=self.categories,
        )


RatingsLike = RatingMatrix | pd.DataFrame | np.ndarray | Sequence[Sequence[Any]]


def as_rating_matrix(data: RatingsLike, /, *, categories: Sequence[Hashable] | None = None) -> RatingMatrix:
    """Normalise a frame (index = items, columns = annotators), an array or nested lists.

    Numeric input stays numeric unless ``categories`` is given; anything else is coded against
    ``categories`` (default: the sorted distinct labels). A label outside ``categories`` is a
    ValueError, because silently dropping it would change the statistic.
    """
    if isinstance(data, RatingMatrix):
        if categories is None or data.categories is None or tuple(categories) == data.categories:
            return data
        raise ValueError("the ratings are already coded against different categories")
    if isinstance(data, pd.DataFrame):
        items, annotators = _labels(data.index), _labels(data.columns)
        numeric = all(_is_number_dtype(dtype) for dtype in data.dtypes)
        raw = data.to_numpy(dtype=float if numeric and categories is None else object)
    else:
        raw = np.asarray(data)
        if raw.ndim != 2:
            raise ValueError(f"ratings must be a 2-D items x annotators table, got {raw.ndim} dimension(s)")
        items, annotators = tuple(range(raw.shape[0])), tuple(range(raw.shape[1]))
    if categories is None and (raw.dtype.kind in "biuf" or _inferred_numeric(raw)):
        return RatingMatrix(values=raw.astype(float), items=items, annotators=annotators)
    codes, cats = _code_labels(raw.astype(object), categories)
    return RatingMatrix(values=codes, items=items, annotators=annotators, categories=cats)


def ratings_from_long(frame: pd.DataFrame, /, *, item: str, annotator: str, value: str) -> pd.DataFrame:
    """Pivot one-row-per-rating data into the items x annotators frame the measures take."""
    duplicated = frame.duplicated(subset=[item, annotator], keep=False)
    if duplicated.any():
        first = frame.loc[duplicated, [item, annotator]].iloc[0].tolist()
        raise ValueError(f"item {first[0]!r} has more than one rating from annotator {first[1]!r}")
    return frame.pivot(index=item, columns=annotator, values=value)


def _labels(index: pd.Index) -> tuple[Hashable, ...]:
    """The index's labels as the same scalars iteration gives, without a Python-level loop per label.

    A trace table has a row per frame (millions), and iterating a pandas index one label at a time
    cost more than the measure itself.
    """
    return tuple(index.tolist())


def _is_number_dtype(dtype: Any) -> bool:
    return bool(pd.api.types.is_numeric_dtype(dtype))


def _inferred_numeric(raw: np.ndarray) -> bool:
    kind = pd.api.types.infer_dtype(raw.ravel(), skipna=True)
    return kind in {"integer", "floating", "mixed-integer-float", "decimal", "boolean", "empty"}


def _code_labels(
    raw: np.ndarray, categories: Sequence[Hashable] | None
) -> tuple[np.ndarray, tuple[Hashable, ...]]:
    flat = pd.Series(raw.ravel(), dtype=object)
    missing = flat.isna().to_numpy()
    if categories is None:
        categories = _sorted_labels(set(flat[~missing]))
    cats = tuple(categories)
    if len(set(cats)) != len(cats):
        raise ValueError("categories must be distinct")
    codes = pd.Index(cats, dtype=object).get_indexer(flat)
    unknown = (codes < 0) & ~missing
    if unknown.any():
        label = flat[np.flatnonzero(unknown)[0]]
        raise ValueError(f"label {label!r} is not one of the categories {list(cats)!r}")
    values = np.where(codes < 0, np.nan, codes.astype(float))
    return values.reshape(raw.shape), cats


def _sorted_labels(labels: set[Hashable]) -> list[Hashable]:
    try:
        return sorted(labels)  # type: ignore[type-var]
    except TypeError:
        return sorted(labels, key=repr)
