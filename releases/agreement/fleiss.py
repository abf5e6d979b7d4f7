"""Fleiss' (1971) kappa for many raters, and its per-category kappas.

Fleiss' design gives every item the same number m of ratings (not necessarily from the same raters).
A table where items have different numbers of ratings is an incomplete design: the result is then
undefined with that reason, and Krippendorff's alpha is the measure to report.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from releases.agreement.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_one, point_weights
from releases.agreement.kappa import coded_labels
from releases.agreement.matrix import RatingsLike, as_rating_matrix
from releases.agreement.results import AgreementResult, undefined

MEASURE = "fleiss_kappa"


def fleiss_kappa(
    ratings: RatingsLike,
    /,
    *,
    categories: Sequence[Hashable] | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """Fleiss' kappa of an items x annotators table; items nobody rated are ignored."""
    matrix = as_rating_matrix(ratings, categories=categories)
    codes, n_categories = coded_labels(matrix)
    present = ~np.isnan(codes)
    rated = present.any(axis=1)
    if not rated.any():
        return undefined(MEASURE, "no ratings were given")
    if present.any(axis=0).sum() < 2:
        return undefined(
            MEASURE, "only one annotator rated any item", n_items=int(rated.sum()), n_annotators=1
        )
    per_item = present[rated].sum(axis=1)
    if per_item.min() != per_item.max():
        return undefined(
            MEASURE,
            f"incomplete design: items have between {per_item.min()} and {per_item.max()} ratings; "
            "Fleiss' kappa needs the same number of ratings on every item (Krippendorff's alpha does not)",
            n_items=int(rated.sum()),
            n_annotators=int(present.any(axis=0).sum()),
        )
    rows = codes[rated]
    item_index, _ = np.nonzero(~np.isnan(rows))
    flat = item_index * n_categories + rows[~np.isnan(rows)].astype(np.intp)
    counts = np.bincount(flat, minlength=rows.shape[0] * n_categories).reshape(rows.shape[0], n_categories)
    labels = matrix.categories or tuple(np.unique(matrix.values[~np.isnan(matrix.values)]).tolist())
    return _fleiss(
        counts,
        labels=labels,
        n_annotators=int(present.any(axis=0).sum()),
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )


def fleiss_kappa_from_counts(
    counts: np.ndarray | Sequence[Sequence[int]],
    /,
    *,
    categories: Sequence[Hashable] | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """Fleiss' kappa from Fleiss' own layout: items x categories, n_ij = raters who put item i in j."""
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or (table < 0).any() or not np.all(table == np.round(table)):
        raise ValueError("counts must be a 2-D items x categories table of non-negative integers")
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] == 0:
        return undefined(MEASURE, "no ratings were given")
    per_item = table.sum(axis=1)
    if per_item.min() != per_item.max():
        return undefined(
            MEASURE,
            f"incomplete design: items have between {int(per_item.min())} and {int(per_item.max())} ratings; "
            "Fleiss' kappa needs the same number of ratings on every item",
            n_items=int(table.shape[0]),
        )
    labels = tuple(categories) if categories is not None else tuple(range(table.shape[1]))
    if len(labels) != table.shape[1]:
        raise ValueError("categories must name every column of the counts table")
    return _fleiss(
        table,
        labels=labels,
        n_annotators=int(per_item[0]),
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )


def _fleiss(
    counts: np.ndarray,
    *,
    labels: Sequence[Hashable],
    n_annotators: int,
    n_resamples: int,
    seed: int | None,
    confidence: float,
) -> AgreementResult:
    counts = np.asarray(counts, dtype=float)
    m = counts[0].sum()
    n_items = counts.shape[0]
    if m < 2:
        return undefined(
            MEASURE,
            "every item has a single rating, so no two ratings can agree",
            n_items=n_items,
            n_annotators=n_annotators,
        )
    item_agreement = ((counts**2).sum(axis=1) - m) / (m * (m - 1))

    def statistic(w: np.ndarray) -> np.ndarray:
        return _kappa_terms(w, counts, item_agreement, m)[0]

    kappa, p_bar, p_e = _kappa_terms(point_weights(n_items), counts, item_agreement, m)
    if not np.isfinite(kappa[0]):
        only = labels[int(np.flatnonzero(counts.sum(axis=0))[0])]
        return undefined(
            MEASURE,
            f"all ratings are the same class ({only!r}), so chance agreement is 1",
            n_items=n_items,
            n_annotators=n_annotators,
            observed=1.0,
            expected=1.0,
            basis="agreement",
        )
    ci, ci_reason = bootstrap_one(
        statistic, n_units=n_items, n_resamples=n_resamples, seed=seed, confidence=confidence
    )
    return AgreementResult(
        measure=MEASURE,
        value=float(kappa[0]),
        ci=ci,
        ci_undefined_reason=ci_reason,
        n_items=n_items,
        n_annotators=n_annotators,
        observed=float(p_bar[0]),
        expected=float(p_e[0]),
        basis="agreement",
        details={"ratings_per_item": int(m), "per_category": _per_category(counts, m, labels)},
    )


def _kappa_terms(
    w: np.ndarray, counts: np.ndarray, item_agreement: np.ndarray, m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(kappa, P-bar, P-bar_e) per weight row, Fleiss (1971) eqs. for P_i, p_j."""
    total = w.sum(axis=1)
    p_bar = (w @ item_agreement) / total
    shares = (w @ counts) / (total * m)[:, None]
    p_e = (shares**2).sum(axis=1)
    single_class = (shares > 0).sum(axis=1) < 2
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(single_class, np.nan, (p_bar - p_e) / (1 - p_e))
    return kappa, p_bar, p_e


def _per_category(counts: np.ndarray, m: float, labels: Sequence[Hashable]) -> list[dict[str, object]]:
    """kappa_j = 1 - sum_i n_ij (m - n_ij) / (N m (m - 1) p_j q_j), undefined where p_j is 0 or 1."""
    n_items = counts.shape[0]
    share = counts.sum(axis=0) / (n_items * m)
    out = []
    for j, label in enumerate(labels):
        spread = share[j] * (1 - share[j])
        if spread == 0:
            reason = "no rating used this class" if share[j] == 0 else "every rating used this class"
            out.append({"category": label, "value": None, "undefined_reason": reason})
            continue
        disagreement = (counts[:, j] * (m - counts[:, j])).sum() / (n_items * m * (m - 1) * spread)
        out.append({"category": label, "value": float(1 - disagreement), "undefined_reason": None})
    return out
