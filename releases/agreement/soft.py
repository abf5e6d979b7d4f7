"""Agreement between soft labels: each annotator gives a probability distribution over classes.

Two views, reported together: the mean pairwise Jensen-Shannon divergence between annotators'
distributions on the same item (base 2, so 0 = identical, 1 = disjoint support), and Krippendorff's
alpha (interval) on each distribution's expected class index, which corrects for chance the way the
hard-label figures do. Hard labels enter as one-hot distributions (``one_hot``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from releases.agreement.alpha import alpha_result
from releases.agreement.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_one
from releases.agreement.results import AgreementResult, undefined

MEASURE = "mean_pairwise_jensen_shannon"


def one_hot(codes: np.ndarray, n_classes: int) -> np.ndarray:
    """items x annotators class codes (NaN = unlabeled) -> items x annotators x classes distributions."""
    codes = np.asarray(codes, dtype=float)
    out = np.full((*codes.shape, n_classes), np.nan)
    present = ~np.isnan(codes)
    out[present] = 0.0
    rows, cols = np.nonzero(present)
    out[rows, cols, codes[present].astype(np.intp)] = 1.0
    return out


def mean_pairwise_jsd(
    distributions: np.ndarray,
    /,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """Mean over items (with two or more annotators) of the item's mean pairwise JS divergence."""
    per_item, annotators_per_item = item_jsd(distributions)
    used = annotators_per_item >= 2
    if not used.any():
        reason = (
            "no distributions were given"
            if not annotators_per_item.any()
            else (
                "only one annotator rated any item"
                if _annotators(distributions).sum() < 2
                else "no item was rated by two or more annotators"
            )
        )
        return undefined(MEASURE, reason)
    values = per_item[used]
    ci, ci_reason = bootstrap_one(
        lambda w: (w @ values) / w.sum(axis=1),
        n_units=int(used.sum()),
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )
    present = _present(distributions)
    return AgreementResult(
        measure=MEASURE,
        value=float(values.mean()),
        ci=ci,
        ci_undefined_reason=ci_reason,
        n_items=int(used.sum()),
        n_annotators=int(present[used].any(axis=0).sum()),
        details={"base": 2, "range": [0.0, 1.0]},
    )


def expected_class_alpha(
    distributions: np.ndarray,
    /,
    *,
    class_values: Sequence[float] | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """Krippendorff's alpha (interval) on sum_k p_k * class_values[k] (default: the class index)."""
    probabilities = _normalised(distributions)
    scale = (
        np.arange(probabilities.shape[2], dtype=float)
        if class_values is None
        else np.asarray(class_values, float)
    )
    if scale.shape != (probabilities.shape[2],):
        raise ValueError("class_values needs one number per class")
    expected = np.einsum("iak,k->ia", np.nan_to_num(probabilities), scale)
    expected[~_present(distributions)] = np.nan
    return alpha_result(
        expected,
        level="interval",
        measure="krippendorff_alpha_expected_class",
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )


def item_jsd(distributions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per item: mean pairwise JS divergence over the annotators present (NaN below two), and their count."""
    p = _normalised(distributions)
    present = _present(distributions)
    total = np.zeros(p.shape[0])
    pairs = np.zeros(p.shape[0])
    for a, b in combinations(range(p.shape[1]), 2):
        both = present[:, a] & present[:, b]
        total[both] += _jsd(p[both, a], p[both, b])
        pairs += both
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pairs > 0, total / pairs, np.nan), present.sum(axis=1)


def soft_item_ambiguity(distributions: np.ndarray, /) -> pd.DataFrame:
    """Per item: annotators, mean pairwise JSD and the normalised entropy of the mean distribution."""
    per_item, count = item_jsd(distributions)
    p = _normalised(distributions)
    present = _present(distributions)[..., None]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, p, 0.0).sum(axis=1) / present.sum(axis=1)
    entropy = _entropy_bits(np.nan_to_num(mean)) / np.log2(max(p.shape[2], 2))
    return pd.DataFrame(
        {
            "n_annotators": count,
            "mean_jsd": pd.array(np.where(count >= 2, per_item, np.nan), dtype="Float64"),
            "entropy_of_mean": pd.array(np.where(count >= 1, entropy, np.nan), dtype="Float64"),
        }
    )


def _normalised(distributions: np.ndarray) -> np.ndarray:
    d = np.asarray(distributions, dtype=float)
    if d.ndim != 3:
        raise ValueError("distributions must be items x annotators x classes")
    if (d[np.isfinite(d)] < 0).any():
        raise ValueError("probabilities must be non-negative")
    with np.errstate(invalid="ignore", divide="ignore"):
        return d / d.sum(axis=2, keepdims=True)


def _present(distributions: np.ndarray) -> np.ndarray:
    d = np.asarray(distributions, dtype=float)
    return np.isfinite(d).all(axis=2) & (np.nan_to_num(d).sum(axis=2) > 0)


def _annotators(distributions: np.ndarray) -> np.ndarray:
    return _present(distributions).any(axis=0)


def _entropy_bits(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, -p * np.log2(p), 0.0).sum(axis=-1)


def _jsd(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """JS(P, Q) = H((P + Q) / 2) - (H(P) + H(Q)) / 2 in bits, clipped to [0, 1] against rounding."""
    return np.clip(_entropy_bits((p + q) / 2) - (_entropy_bits(p) + _entropy_bits(q)) / 2, 0.0, 1.0)
