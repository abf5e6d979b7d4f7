"""Per-item ambiguity, to flag items on which annotators disagree more than chance would.

An item's observed disagreement is its mean pairwise distance delta^2 at the field's level (its own
D_o, the quantity Krippendorff's alpha averages). Divided by the field's expected disagreement D_e it
reads on one scale for every level: 0 = the annotators agree, 1 = as far apart as two ratings drawn
at random from the whole field; items at or above ``threshold`` are flagged. For class labels the
table also gives the share of the majority class and the normalised entropy of the labels.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from releases.agreement.alpha import Level, alpha_from_weights, prepare_alpha_units, unit_disagreement
from releases.agreement.bootstrap import point_weights
from releases.agreement.matrix import RatingsLike, as_rating_matrix


def item_ambiguity(
    ratings: RatingsLike,
    /,
    *,
    level: Level = "nominal",
    categories: Sequence[Hashable] | None = None,
    threshold: float = 1.0,
) -> pd.DataFrame:
    """One row per item (index = item ids); missing figures are <NA>, never NaN."""
    matrix = as_rating_matrix(ratings, categories=categories)
    values = matrix.values if level in ("nominal", "ordinal") else matrix.numeric_values()
    present = ~np.isnan(values)
    count = present.sum(axis=1)
    disagreement = np.full(values.shape[0], np.nan)
    relative = np.full(values.shape[0], np.nan)
    units = prepare_alpha_units(values, level=level)
    if not isinstance(units, str):
        rows = np.flatnonzero(count >= 2)
        disagreement[rows] = unit_disagreement(units)
        expected = alpha_from_weights(units, point_weights(units.n_clusters))[2][0]
        if expected > 0:
            relative[rows] = disagreement[rows] / expected
    elif units.startswith("all ratings are the same"):
        disagreement[count >= 2] = 0.0
    table = pd.DataFrame(
        {
            "n_ratings": count,
            "disagreement": pd.array(disagreement, dtype="Float64"),
            "relative_disagreement": pd.array(relative, dtype="Float64"),
        },
        index=pd.Index(matrix.items, name="item"),
    )
    if level in ("nominal", "ordinal"):
        share, entropy = _label_spread(values, present)
        table["majority_share"] = pd.array(share, dtype="Float64")
        table["label_entropy"] = pd.array(entropy, dtype="Float64")
    table["ambiguous"] = (table["relative_disagreement"] >= threshold).fillna(False).astype(bool)
    return table


def _label_spread(values: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share of the most frequent label and label entropy / log2(number of labels used in the field)."""
    share = np.full(values.shape[0], np.nan)
    entropy = np.full(values.shape[0], np.nan)
    if not present.any():
        return share, entropy
    domain, codes = np.unique(values[present], return_inverse=True)
    rows, _ = np.nonzero(present)
    counts = np.bincount(rows * domain.size + codes, minlength=values.shape[0] * domain.size)
    counts = counts.reshape(values.shape[0], domain.size).astype(float)
    total = counts.sum(axis=1)
    rated = total > 0
    p = counts[rated] / total[rated, None]
    share[rated] = p.max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bits = np.where(p > 0, -p * np.log2(p), 0.0).sum(axis=1)
    entropy[rated] = bits / np.log2(domain.size) if domain.size > 1 else 0.0
    return share, entropy
