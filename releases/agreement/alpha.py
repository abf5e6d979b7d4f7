"""Krippendorff's alpha at the nominal, ordinal, interval and ratio levels, missing ratings allowed.

alpha = 1 - D_o / D_e (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"): D_o is the
disagreement observed within items, D_e the disagreement expected when the same pairable values are
paired at random. Items with fewer than two ratings are not pairable and do not count.

The arithmetic is Krippendorff's coincidence-matrix definition rewritten as per-item sums, so that
one pass over a weight matrix gives the estimate and every bootstrap replicate at once:

* D_o's numerator is a sum over items of sum_{i != j} delta^2(x_i, x_j) / (m_u - 1);
* D_e's numerator is sum_{c,k} n_c n_k delta^2(c, k) over the pairable-value marginals n_c, which
  has a closed form for nominal (n^2 - sum n_c^2) and interval (2 n sum n_c (v_c - mean)^2) data;
* the ordinal distance is an interval distance between the values' mid-ranks
  r_c = sum_{g < c} n_g + n_c / 2, which depend on the marginals, so they are recomputed per
  replicate (Krippendorff's ordinal delta_ck = sum_{g=c..k} n_g - (n_c + n_k)/2 = r_k - r_c).

Nothing here builds an items x values x values array, so continuous ratings with thousands of distinct
values cost no more than Likert ratings (the ratio level's D_e is the exception: O(values^2)).
The ``krippendorff`` package computes the same figure from a dense items x values x values tensor (65 TiB
for 10,000 items of continuous ratings), exposes neither D_o nor D_e, and returns NaN when all values
agree; the tests check this code against Krippendorff's published values and against that package.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import sparse

from releases.agreement.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_one, point_weights
from releases.agreement.matrix import RatingsLike, as_rating_matrix
from releases.agreement.results import AgreementResult, undefined

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")
_RATIO_BLOCK = 1024
_CELLS_PER_BLOCK = 4_000_000  # replicates x pairable rows expanded at once


@dataclass(frozen=True, slots=True)
class AlphaUnits:
    """The pairable items of one alpha computation, prepared once for the estimate and all replicates."""

    level: Level
    counts: sparse.csr_array  # pairable items x distinct values: how many annotators gave each value
    m: np.ndarray  # ratings per pairable item (>= 2)
    domain: np.ndarray  # the distinct values, ascending
    unit_numerator: np.ndarray | None  # per-item D_o numerator where the metric is fixed (not ordinal)
    single_value: np.ndarray  # the value code of items whose ratings all agree, -1 elsewhere
    centred_sums: np.ndarray  # per item: sum of (v - mean) and of (v - mean)^2 (the interval level's D_e)
    clusters: np.ndarray  # resampling unit (item) of each pairable row
    n_clusters: int
    multiplicity: np.ndarray  # how many identical rows each pairable row stands for (run-length frames)


def krippendorff_alpha(
    ratings: RatingsLike,
    /,
    *,
    level: Level = "nominal",
    categories: Sequence[Hashable] | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """Alpha for an items x annotators table (NaN = not rated), with a bootstrap interval over items.

    For ordinal class names pass ``categories`` in scale order; interval and ratio need numbers.
    """
    matrix = as_rating_matrix(ratings, categories=categories)
    values = matrix.values if level in ("nominal", "ordinal") else matrix.numeric_values()
    return alpha_result(
        values,
        level=level,
        measure=f"krippendorff_alpha_{level}",
        categories=matrix.categories if level in ("nominal", "ordinal") else None,
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )


def alpha_result(
    values: np.ndarray,
    *,
    level: Level,
    measure: str,
    clusters: np.ndarray | None = None,
    multiplicity: np.ndarray | None = None,
    categories: Sequence[Hashable] | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """Alpha from a float matrix; ``clusters`` maps rows to the items a bootstrap resamples.

    Rows are resampled individually unless ``clusters`` groups them (frame-level alpha groups a media
    item's frames so that the interval reflects how many items, not frames, were labeled).
    ``multiplicity`` lets one row stand for that many identical rows (runs of identical frames).
    """
    prepared = prepare_alpha_units(values, level=level, clusters=clusters, multiplicity=multiplicity)
    if isinstance(prepared, str):
        return _undefined(
            values,
            measure,
            prepared,
            level=level,
            categories=categories,
            clusters=clusters,
            multiplicity=multiplicity,
        )
    units = prepared
    alpha, d_o, d_e = alpha_from_weights(units, point_weights(units.n_clusters))
    pairable_rows = np.flatnonzero((~np.isnan(values)).sum(axis=1) >= 2)
    row_weights = _row_weights(multiplicity, values)
    ci, ci_reason = bootstrap_one(
        lambda w: alpha_from_weights(units, w)[0],
        n_units=units.n_clusters,
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )
    return AgreementResult(
        measure=measure,
        value=float(alpha[0]),
        ci=ci,
        ci_undefined_reason=ci_reason,
        n_items=units.n_clusters,
        n_annotators=int((~np.isnan(values[pairable_rows])).any(axis=0).sum()),
        observed=float(d_o[0]),
        expected=float(d_e[0]),
        basis="disagreement",
        details={
            "level": level,
            "pairable_values": int(units.m @ units.multiplicity),
            "pairable_rows": int(units.multiplicity.sum()),
            "rows_with_one_rating": int(row_weights[(~np.isnan(values)).sum(axis=1) == 1].sum()),
        },
    )


def prepare_alpha_units(
    values: np.ndarray,
    *,
    level: Level,
    clusters: np.ndarray | None = None,
    multiplicity: np.ndarray | None = None,
) -> AlphaUnits | str:
    """Group the pairable ratings by item, or return why alpha is undefined for this table."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError("ratings must be a 2-D items x annotators table")
    present = ~np.isnan(values)
    if level == "ratio" and (values[present] < 0).any():
        raise ValueError("the ratio level needs non-negative values")
    reason = _why_unpairable(present)
    if reason:
        return reason
    per_row = present.sum(axis=1)
    rows = np.flatnonzero(per_row >= 2)
    unit_index, _ = np.nonzero(present[rows])
    domain, codes = np.unique(values[rows][present[rows]], return_inverse=True)
    if domain.size < 2:
        return "all ratings are the same value, so chance disagreement is 0"
    counts = sparse.csr_array((np.ones(codes.size), (unit_index, codes)), shape=(rows.size, domain.size))
    counts.sum_duplicates()
    m = per_row[rows].astype(float)
    row_clusters = rows if clusters is None else np.asarray(clusters)[rows]
    _, compact = np.unique(row_clusters, return_inverse=True)
    units = AlphaUnits(
        level=level,
        counts=counts,
        m=m,
        domain=domain,
        unit_numerator=None if level == "ordinal" else _unit_numerator(counts, m, domain, level),
        single_value=_single_values(counts),
        centred_sums=_centred_sums(counts, m, domain) if level == "interval" else np.zeros((m.size, 2)),
        clusters=compact,
        n_clusters=int(compact.max()) + 1,
        multiplicity=_row_weights(multiplicity, values)[rows],
    )
    return (
        units
        if level == "ordinal" or units.n_clusters == m.size and multiplicity is None
        else _collapse(units)
    )


def _collapse(units: AlphaUnits) -> AlphaUnits:
    """Sum rows into their clusters, which is exact for every level whose distance ignores the marginals.

    Every term alpha needs (n, D_o's numerator, the marginals, the centred sums) is a weighted sum over
    rows, and a bootstrap weights all rows of a cluster alike; summing them first makes each replicate
    cost O(items) instead of O(frames). The ordinal level is left alone: its mid-ranks change with
    the marginals, so its per-row terms cannot be summed ahead of time.
    """
    grouping = sparse.csr_array(
        (units.multiplicity, (units.clusters, np.arange(units.m.size))),
        shape=(units.n_clusters, units.m.size),
    )
    counts = sparse.csr_array(grouping @ units.counts)
    counts.sum_duplicates()
    return AlphaUnits(
        level=units.level,
        counts=counts,
        m=grouping @ units.m,
        domain=units.domain,
        unit_numerator=grouping @ units.unit_numerator,
        single_value=_single_values(counts),
        centred_sums=grouping @ units.centred_sums,
        clusters=np.arange(units.n_clusters),
        n_clusters=units.n_clusters,
        multiplicity=np.ones(units.n_clusters),
    )


def _single_values(counts: sparse.csr_array) -> np.ndarray:
    """The value code of rows holding one distinct value, -1 for rows holding several."""
    distinct = np.diff(counts.indptr)
    return np.where(
        distinct == 1, counts.indices[np.minimum(counts.indptr[:-1], counts.indices.size - 1)], -1
    )


def alpha_from_weights(units: AlphaUnits, cluster_weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """(alpha, D_o, D_e) per weight row; NaN where a replicate holds a single distinct value."""
    step = max(1, _CELLS_PER_BLOCK // max(units.m.size, 1))
    if cluster_weights.shape[0] > step:
        parts = [
            alpha_from_weights(units, cluster_weights[i : i + step])
            for i in range(0, len(cluster_weights), step)
        ]
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))
    w = cluster_weights[:, units.clusters] * units.multiplicity
    n = w @ units.m
    if units.level == "interval":
        observed = w @ units.unit_numerator
        first, second = (w @ units.centred_sums).T
        expected = 2 * (n * second - first**2)
    elif units.level == "ordinal":
        marginals = (units.counts.T @ w.T).T
        ranks = np.cumsum(marginals, axis=1) - marginals / 2 - n[:, None] / 2
        observed = _ordinal_observed(units, w, ranks)
        expected = _spread(marginals, ranks, n)
    else:
        marginals = (units.counts.T @ w.T).T
        observed = w @ units.unit_numerator
        expected = _expected_numerator(units, marginals, n)
    defined = _two_values_drawn(units, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(defined, 1 - (n - 1) * observed / expected, np.nan)
        d_o = observed / n
        d_e = np.where(defined, expected / (n * (n - 1)), 0.0)
    return alpha, d_o, d_e


def unit_disagreement(units: AlphaUnits) -> np.ndarray:
    """Each pairable item's mean pairwise distance delta^2 (its own D_o), at the full data's marginals."""
    if units.level != "ordinal":
        return units.unit_numerator / units.m
    w = units.multiplicity[None, :]
    n = w @ units.m
    marginals = (units.counts.T @ w.T).T
    ranks = np.cumsum(marginals, axis=1) - marginals / 2 - n[:, None] / 2
    first = units.counts @ ranks[0]
    second = units.counts @ ranks[0] ** 2
    return 2 * (units.m * second - first**2) / (units.m - 1) / units.m


def _two_values_drawn(units: AlphaUnits, w: np.ndarray) -> np.ndarray:
    """Per replicate: do the drawn items hold two different values? (Otherwise D_e is exactly 0.)

    Decided from codes rather than by testing D_e against zero, which float rounding can miss.
    """
    drawn = w > 0
    mixed = units.single_value < 0
    any_mixed = drawn[:, mixed].any(axis=1)
    codes = units.single_value[~mixed].astype(float)
    lowest = np.where(drawn[:, ~mixed], codes, np.inf).min(axis=1, initial=np.inf)
    highest = np.where(drawn[:, ~mixed], codes, -np.inf).max(axis=1, initial=-np.inf)
    return any_mixed | (lowest < highest)


def _centred_sums(counts: sparse.csr_array, m: np.ndarray, domain: np.ndarray) -> np.ndarray:
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    value, count = domain[counts.indices], counts.data
    centred = value - (count * value).sum() / count.sum()
    return np.column_stack(
        [
            np.bincount(rows, weights=count * centred, minlength=m.size),
            np.bincount(rows, weights=count * centred**2, minlength=m.size),
        ]
    )


def _row_weights(multiplicity: np.ndarray | None, values: np.ndarray) -> np.ndarray:
    if multiplicity is None:
        return np.ones(values.shape[0])
    return np.asarray(multiplicity, dtype=float)


def _why_unpairable(present: np.ndarray) -> str | None:
    if not present.any():
        return "no ratings were given"
    if present.any(axis=0).sum() < 2:
        return "only one annotator rated any item"
    if (present.sum(axis=1) < 2).all():
        return "no item was rated by two or more annotators"
    return None


def _undefined(
    values: np.ndarray,
    measure: str,
    reason: str,
    *,
    level: Level,
    categories: Sequence[Hashable] | None,
    clusters: np.ndarray | None,
    multiplicity: np.ndarray | None,
) -> AgreementResult:
    present = ~np.isnan(values)
    pairable = present.sum(axis=1) >= 2
    same_value = reason.startswith("all ratings are the same")
    if same_value:
        only = values[pairable][present[pairable]][0]
        label = categories[int(only)] if categories is not None else _plain(only)
        kind = "class" if categories is not None else "value"
        scope = (
            "all ratings" if (values[present] == only).all() else "all ratings of items rated more than once"
        )
        reason = f"{scope} are the same {kind} ({label!r}), so chance disagreement is 0"
    row_clusters = np.arange(values.shape[0]) if clusters is None else np.asarray(clusters)
    return undefined(
        measure,
        reason,
        n_items=int(np.unique(row_clusters[pairable]).size),
        n_annotators=int(present[pairable].any(axis=0).sum()),
        observed=0.0 if same_value else None,
        expected=0.0 if same_value else None,
        basis="disagreement" if same_value else None,
        details={
            "level": level,
            "rows_with_one_rating": int(_row_weights(multiplicity, values)[present.sum(axis=1) == 1].sum()),
        },
    )


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _unit_numerator(counts: sparse.csr_array, m: np.ndarray, domain: np.ndarray, level: Level) -> np.ndarray:
    """sum_{i != j} delta^2 / (m_u - 1) for each item, for the metrics that do not depend on marginals."""
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    value, count = domain[counts.indices], counts.data
    if level == "nominal":
        same = np.bincount(rows, weights=count**2, minlength=m.size)
        return (m**2 - same) / (m - 1)
    if level == "interval":
        mean = np.bincount(rows, weights=count * value, minlength=m.size) / m
        spread = np.bincount(rows, weights=count * (value - mean[rows]) ** 2, minlength=m.size)
        return 2 * m * spread / (m - 1)
    left, right = _pairs_within_rows(counts.indptr)
    distance = _ratio_delta2(value[left], value[right])
    pair_sum = np.bincount(rows[left], weights=count[left] * count[right] * distance, minlength=m.size)
    return pair_sum / (m - 1)


def _pairs_within_rows(indptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every ordered pair (i, j) of stored entries that share a row, as index arrays into the entries."""
    per_row = np.diff(indptr)
    row_of_entry = np.repeat(np.arange(per_row.size), per_row)
    partners = per_row[row_of_entry]
    left = np.repeat(np.arange(row_of_entry.size), partners)
    first_partner = np.repeat(indptr[row_of_entry], partners)
    offset = np.arange(left.size) - np.repeat(np.cumsum(partners) - partners, partners)
    return left, first_partner + offset


def _ratio_delta2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    total = a + b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total != 0, ((a - b) / total) ** 2, 0.0)


def _spread(marginals: np.ndarray, scale: np.ndarray, n: np.ndarray) -> np.ndarray:
    """sum_{c,k} n_c n_k (s_c - s_k)^2 = 2 n sum_c n_c (s_c - mean)^2, per replicate."""
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (marginals * scale).sum(axis=1) / n
    return 2 * n * (marginals * (scale - mean[:, None]) ** 2).sum(axis=1)


def _expected_numerator(units: AlphaUnits, marginals: np.ndarray, n: np.ndarray) -> np.ndarray:
    if units.level == "nominal":
        return n**2 - (marginals**2).sum(axis=1)
    total = np.zeros(marginals.shape[0])
    for start in range(0, units.domain.size, _RATIO_BLOCK):
        block = slice(start, start + _RATIO_BLOCK)
        distance = _ratio_delta2(units.domain[:, None], units.domain[None, block])
        total += ((marginals @ distance) * marginals[:, block]).sum(axis=1)
    return total


def _ordinal_observed(units: AlphaUnits, w: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """sum over items of sum_{i != j} (r_i - r_j)^2 / (m_u - 1), with this replicate's mid-ranks."""
    first = units.counts @ ranks.T  # items x replicates
    second = units.counts @ (ranks**2).T
    per_item = 2 * (units.m[:, None] * second - first**2) / (units.m[:, None] - 1)
    return (w * per_item.T).sum(axis=1)
