"""Cohen's kappa for two annotators (unweighted or weighted) and its mean over annotator pairs.

kappa_w = 1 - sum(v_ij o_ij) / sum(v_ij e_ij) (Cohen 1968) with disagreement weights v: 1 off the
diagonal for plain kappa, |i - j| (linear) or (i - j)^2 (quadratic) over the category positions, or
any non-negative matrix with a zero diagonal. o are the observed joint proportions on the items both
annotators labeled, e the products of their marginals. With 0/1 weights this is Cohen's (1960)
(p_o - p_e) / (1 - p_e).

For weights, category positions come from ``categories`` (default: the sorted labels seen), so pass
the full scale when some levels were never used.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from releases.agreement.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_one, point_weights
from releases.agreement.matrix import RatingMatrix, RatingsLike, as_rating_matrix
from releases.agreement.results import AgreementResult, undefined

Weights = Literal["linear", "quadratic"] | np.ndarray | None


def cohen_kappa(
    a: Sequence[Hashable] | np.ndarray | pd.Series,
    b: Sequence[Hashable] | np.ndarray | pd.Series,
    /,
    *,
    weights: Weights = None,
    categories: Sequence[Hashable] | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """Kappa between two annotators' labels of the same items (aligned by position; None/NaN = unlabeled)."""
    a_values, b_values = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if a_values.shape != b_values.shape or a_values.ndim != 1:
        raise ValueError("the two annotators' labels must be 1-D and of equal length (one per item)")
    table = np.column_stack([a_values, b_values]) if a_values.size else np.empty((0, 2), dtype=object)
    matrix = as_rating_matrix(table, categories=categories)
    result = _pairwise(matrix, weights=weights, n_resamples=n_resamples, seed=seed, confidence=confidence)
    pair = result.details["pairs"][0] if result.details.get("pairs") else None
    if pair is None or pair["value"] is None:
        return undefined(
            _name(weights),
            pair["undefined_reason"] if pair else result.undefined_reason,
            n_items=pair["n_items"] if pair else 0,
            n_annotators=2 if pair else 0,
            details={"weights": _weights_label(weights)},
        )
    return AgreementResult(
        measure=_name(weights),
        value=result.value,
        ci=result.ci,
        ci_undefined_reason=result.ci_undefined_reason,
        n_items=pair["n_items"],
        n_annotators=2,
        observed=result.observed,
        expected=result.expected,
        basis="agreement",
        details={"weights": _weights_label(weights)},
    )


def mean_pairwise_cohen_kappa(
    ratings: RatingsLike,
    /,
    *,
    weights: Weights = None,
    categories: Sequence[Hashable] | None = None,
    min_common_items: int = 1,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """The mean of Cohen's kappa over every annotator pair, each pair on the items both labeled.

    Pairs sharing fewer than ``min_common_items`` items, or whose kappa is undefined, are left out of
    the mean and listed in ``details["pairs"]`` with the reason.
    """
    matrix = as_rating_matrix(ratings, categories=categories)
    return _pairwise(
        matrix,
        weights=weights,
        min_common_items=min_common_items,
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )


def disagreement_weights(weights: Weights, n_categories: int) -> np.ndarray:
    """The K x K disagreement weight matrix v (zero on the diagonal)."""
    position = np.arange(n_categories, dtype=float)
    if weights is None:
        return 1.0 - np.eye(n_categories)
    if isinstance(weights, str):
        if weights == "linear":
            return np.abs(position[:, None] - position[None, :])
        if weights == "quadratic":
            return (position[:, None] - position[None, :]) ** 2
        raise ValueError(f"weights must be None, 'linear', 'quadratic' or a matrix, not {weights!r}")
    matrix = np.asarray(weights, dtype=float)
    if matrix.shape != (n_categories, n_categories):
        raise ValueError(f"the weight matrix must be {n_categories} x {n_categories} (one row per category)")
    if (matrix < 0).any() or np.any(np.diag(matrix) != 0) or not np.isfinite(matrix).all():
        raise ValueError("disagreement weights must be finite, non-negative and zero on the diagonal")
    return matrix


def coded_labels(matrix: RatingMatrix) -> tuple[np.ndarray, int]:
    """Category codes 0..K-1 (NaN = unlabeled) and K; numeric labels are coded by their sorted values."""
    if matrix.categories is not None:
        return matrix.values, len(matrix.categories)
    present = ~np.isnan(matrix.values)
    domain = np.unique(matrix.values[present])
    codes = np.full(matrix.values.shape, np.nan)
    codes[present] = np.searchsorted(domain, matrix.values[present])
    return codes, domain.size


def _name(weights: Weights) -> str:
    return "cohen_kappa" if weights is None else f"cohen_kappa_{_weights_label(weights)}"


def _weights_label(weights: Weights) -> str:
    if weights is None:
        return "unweighted"
    return weights if isinstance(weights, str) else "custom"


def _pairwise(
    matrix: RatingMatrix,
    *,
    weights: Weights,
    min_common_items: int = 1,
    n_resamples: int,
    seed: int | None,
    confidence: float,
) -> AgreementResult:
    measure = "mean_pairwise_" + _name(weights)
    codes, n_categories = coded_labels(matrix)
    v = disagreement_weights(weights, n_categories)
    present = ~np.isnan(codes)
    all_pairs = list(combinations(range(codes.shape[1]), 2))
    common = [int((present[:, j] & present[:, k]).sum()) for j, k in all_pairs]
    pairs = [p for p, n in zip(all_pairs, common, strict=True) if n >= max(min_common_items, 1)]
    if not pairs:
        return undefined(
            measure, _no_pair_reason(present), details={"weights": _weights_label(weights), "pairs": []}
        )
    rows = np.flatnonzero(np.any([present[:, j] & present[:, k] for j, k in pairs], axis=0))
    incidence = _pair_incidence(codes[rows], pairs, n_categories)

    def mean_over_pairs(w: np.ndarray) -> np.ndarray:
        values = _kappas(incidence, w, v, len(pairs))[0]
        finite = np.isfinite(values)
        count = finite.sum(axis=1)
        return np.where(count > 0, np.where(finite, values, 0).sum(axis=1) / np.maximum(count, 1), np.nan)

    kappa, p_o, p_e = _kappas(incidence, point_weights(rows.size), v, len(pairs))
    per_pair = [
        _pair_summary(matrix, j, k, int((present[rows, j] & present[rows, k]).sum()), kappa[0, i])
        for i, (j, k) in enumerate(pairs)
    ]
    defined = np.isfinite(kappa[0])
    if not defined.any():
        return undefined(
            measure,
            per_pair[0]["undefined_reason"],
            n_items=int(rows.size),
            details={"weights": _weights_label(weights), "pairs": per_pair},
        )
    ci, ci_reason = bootstrap_one(
        mean_over_pairs,
        n_units=rows.size,
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )
    used = [pairs[i] for i in np.flatnonzero(defined)]
    return AgreementResult(
        measure=measure,
        value=float(kappa[0, defined].mean()),
        ci=ci,
        ci_undefined_reason=ci_reason,
        n_items=int(rows.size),
        n_annotators=len({j for pair in used for j in pair}),
        observed=float(p_o[0, defined].mean()),
        expected=float(p_e[0, defined].mean()),
        basis="agreement",
        details={"weights": _weights_label(weights), "pairs": per_pair, "pairs_used": len(used)},
    )


def _pair_incidence(codes: np.ndarray, pairs: list[tuple[int, int]], k: int) -> sparse.csr_array:
    """items x (pairs * K * K): which joint cell each item falls in, for each annotator pair."""
    row_ids, col_ids = [], []
    for index, (j, other) in enumerate(pairs):
        both = np.flatnonzero(~np.isnan(codes[:, j]) & ~np.isnan(codes[:, other]))
        row_ids.append(both)
        col_ids.append(
            index * k * k + codes[both, j].astype(np.intp) * k + codes[both, other].astype(np.intp)
        )
    rows, cols = np.concatenate(row_ids), np.concatenate(col_ids)
    return sparse.csr_array((np.ones(rows.size), (rows, cols)), shape=(codes.shape[0], len(pairs) * k * k))


def _kappas(
    incidence: sparse.csr_array, w: np.ndarray, v: np.ndarray, n_pairs: int
) -> tuple[np.ndarray, ...]:
    """kappa, p_o, p_e per (replicate, pair); NaN where chance disagreement is 0 or no item is shared."""
    k = v.shape[0]
    tables = (incidence.T @ w.T).T.reshape(w.shape[0], n_pairs, k, k)
    n = tables.sum(axis=(2, 3))
    rows, cols = tables.sum(axis=3), tables.sum(axis=2)
    top = v.max() if v.size and v.max() > 0 else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (tables * v).sum(axis=(2, 3)) / n
        expected = np.einsum("bpi,ij,bpj->bp", rows, v, cols) / n**2
        kappa = np.where((expected > 0) & (n > 0), 1 - observed / expected, np.nan)
    return kappa, 1 - observed / top, 1 - expected / top


def _pair_summary(matrix: RatingMatrix, j: int, k: int, n_items: int, kappa: float) -> dict[str, object]:
    value = float(kappa) if np.isfinite(kappa) else None
    reason = None
    if value is None:
        reason = (
            "the two annotators used a single class between them, so chance agreement is 1"
            if n_items
            else "the two annotators labeled no item in common"
        )
    return {
        "annotator_a": matrix.annotators[j],
        "annotator_b": matrix.annotators[k],
        "n_items": n_items,
        "value": value,
        "undefined_reason": reason,
    }


def _no_pair_reason(present: np.ndarray) -> str:
    if not present.any():
        return "no ratings were given"
    if present.any(axis=0).sum() < 2:
        return "only one annotator rated any item"
    return "no two annotators labeled an item in common"
