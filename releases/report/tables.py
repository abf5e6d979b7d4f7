"""Items x annotators tables built from one field's latest values, in the shapes the measures take.

Columns are every annotator of the release (in order), so an annotator who labeled nothing in a field
is a column of missing ratings: alpha ignores it, and the per-annotator table says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from releases.aggregation.categorical import as_distribution, hard_class
from releases.agreement import RatingMatrix


def table(
    per_item: Mapping[str, Mapping[str, Any]],
    annotators: Sequence[str],
    extract: Callable[[Any], Any],
    *,
    numeric: bool,
) -> pd.DataFrame:
    """items x annotators; ``extract`` turns a value into one rating (None = not rated)."""
    items = list(per_item)
    data = np.full(
        (len(items), len(annotators)), np.nan if numeric else None, dtype=float if numeric else object
    )
    column = {a: j for j, a in enumerate(annotators)}
    for i, item in enumerate(items):
        for annotator, value in per_item[item].items():
            rating = extract(value)
            if rating is not None and annotator in column:
                data[i, column[annotator]] = rating
    return pd.DataFrame(data, index=pd.Index(items, name="item_id"), columns=list(annotators))


def hard_codes(
    per_item: Mapping[str, Mapping[str, Any]], annotators: Sequence[str], classes: Sequence[str]
) -> RatingMatrix:
    """items x annotators class codes (index into ``classes``; NaN = no label or an unknown class).

    Coded here rather than as a table of class names, so that the measures skip re-coding the labels:
    on 10,000 items that re-coding costs several times the alpha computation itself.
    """
    code = {c: float(i) for i, c in enumerate(classes)}
    frame = table(per_item, annotators, lambda v: code.get(hard_class(v)), numeric=True)
    return RatingMatrix(
        values=frame.to_numpy(dtype=float),
        items=tuple(frame.index),
        annotators=tuple(annotators),
        categories=tuple(classes),
    )


def number_of(name: str) -> Callable[[Any], float | None]:
    def extract(value: Any) -> float | None:
        number = value.get(name) if isinstance(value, Mapping) else None
        if isinstance(number, bool) or not isinstance(number, int | float) or not np.isfinite(number):
            return None
        return float(number)

    return extract


def distributions(
    per_item: Mapping[str, Mapping[str, Any]], annotators: Sequence[str], classes: Sequence[str]
) -> np.ndarray:
    """items x annotators x classes; NaN where an annotator gave no usable label."""
    out = np.full((len(per_item), len(annotators), len(classes)), np.nan)
    column = {a: j for j, a in enumerate(annotators)}
    for i, values in enumerate(per_item.values()):
        for annotator, value in values.items():
            dist = as_distribution(value, classes)
            if dist is not None and annotator in column:
                out[i, column[annotator]] = dist
    return out


def presence_tables(
    per_item: Mapping[str, Mapping[str, Any]],
    annotators: Sequence[str],
    members: Sequence[str],
    is_present: Callable[[Any, str], bool],
) -> dict[str, pd.DataFrame]:
    """member -> items x annotators of 1 (present) / 0 (labeled the item, did not mark it) / NaN."""
    return {
        member: table(
            per_item, annotators, lambda v, m=member: 1.0 if is_present(v, m) else 0.0, numeric=True
        )
        for member in members
    }


def stacked(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Several tables on top of each other, rows named "item_id|member" (for per-annotator figures)."""
    parts = []
    for member, frame in tables.items():
        part = frame.copy()
        part.index = [f"{item}|{member}" for item in frame.index]
        parts.append(part)
    return pd.concat(parts) if parts else pd.DataFrame()


def expected_class_table(dists: np.ndarray, items: Sequence[str], annotators: Sequence[str]) -> pd.DataFrame:
    """items x annotators of sum_k p_k * k (the expected class index); NaN where nothing was given."""
    values = np.full((len(items), len(annotators)), np.nan)
    if dists.size:
        present = ~np.isnan(dists).any(axis=2)
        values[present] = dists[present] @ np.arange(dists.shape[2], dtype=float)
    return pd.DataFrame(values, index=list(items), columns=list(annotators))


def most_probable(dists: np.ndarray) -> np.ndarray:
    """items x annotators: the code of each annotator's most probable class (first on ties), NaN if none."""
    if dists.size == 0:
        return np.empty(dists.shape[:2])
    given = ~np.isnan(dists).any(axis=2)
    return np.where(given, np.nan_to_num(dists, nan=-1.0).argmax(axis=2), np.nan)
