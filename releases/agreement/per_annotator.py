"""Per-annotator agreement, to find the annotators who pull a field's reliability down.

For each annotator: the field's alpha without them (leave-one-out; if it rises, they were lowering
it), and their agreement with the consensus of everyone else, as alpha between two "coders": the
annotator and the consensus. The consensus is the majority class (nominal; ties leave the item out),
the lower median (ordinal, so it stays on the scale) or the mean (interval, ratio).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from releases.agreement.alpha import Level, alpha_result
from releases.agreement.matrix import RatingsLike, as_rating_matrix
from releases.agreement.results import AgreementResult, undefined


@dataclass(frozen=True, slots=True)
class AnnotatorAgreement:
    annotator: Hashable
    n_items: int
    without: AgreementResult
    versus_rest: AgreementResult
    change_without: float | None  # alpha without this annotator minus alpha with everyone

    def to_dict(self) -> dict[str, object]:
        return {
            "annotator": self.annotator,
            "n_items": self.n_items,
            "without": self.without.to_dict(),
            "versus_rest": self.versus_rest.to_dict(),
            "change_without": self.change_without,
        }


@dataclass(frozen=True, slots=True)
class AnnotatorReport:
    overall: AgreementResult
    annotators: list[AnnotatorAgreement]


def annotator_leave_one_out(
    ratings: RatingsLike,
    /,
    *,
    level: Level = "nominal",
    categories: Sequence[Hashable] | None = None,
    n_resamples: int = 0,
    seed: int | None = 0,
) -> AnnotatorReport:
    """Leave-one-out alpha and annotator-vs-rest alpha for every annotator column."""
    matrix = as_rating_matrix(ratings, categories=categories)
    values = matrix.values if level in ("nominal", "ordinal") else matrix.numeric_values()
    options = {"level": level, "categories": matrix.categories, "n_resamples": n_resamples, "seed": seed}
    overall = alpha_result(values, measure=f"krippendorff_alpha_{level}", **options)
    report = []
    for j, annotator in enumerate(matrix.annotators):
        rest = np.delete(values, j, axis=1)
        without = alpha_result(rest, measure=f"krippendorff_alpha_{level}_without_annotator", **options)
        pair = np.column_stack([values[:, j], consensus(rest, level=level)])
        versus = alpha_result(pair, measure=f"krippendorff_alpha_{level}_versus_rest", **options)
        if np.isnan(values[:, j]).all():
            versus = undefined(versus.measure, "this annotator labeled no item")
        change = None
        if without.value is not None and overall.value is not None:
            change = without.value - overall.value
        report.append(
            AnnotatorAgreement(
                annotator=annotator,
                n_items=int((~np.isnan(values[:, j])).sum()),
                without=without,
                versus_rest=versus,
                change_without=change,
            )
        )
    return AnnotatorReport(overall=overall, annotators=report)


def consensus(values: np.ndarray, *, level: Level) -> np.ndarray:
    """One consensus value per item from the given columns (NaN where there is none)."""
    present = ~np.isnan(values)
    out = np.full(values.shape[0], np.nan)
    rated = present.any(axis=1)
    if not rated.any():
        return out
    if level in ("interval", "ratio"):
        out[rated] = np.nanmean(values[rated], axis=1)
        return out
    if level == "ordinal":
        ordered = np.sort(values[rated], axis=1)  # NaN sorts last
        lower_median = (present[rated].sum(axis=1) - 1) // 2
        out[rated] = ordered[np.arange(ordered.shape[0]), lower_median]
        return out
    return _majority(values, present)


def _majority(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    domain, codes = np.unique(values[present], return_inverse=True)
    rows, _ = np.nonzero(present)
    counts = np.bincount(rows * domain.size + codes, minlength=values.shape[0] * domain.size)
    counts = counts.reshape(values.shape[0], domain.size)
    top = counts.max(axis=1)
    unique_top = (counts == top[:, None]).sum(axis=1) == 1
    out = np.full(values.shape[0], np.nan)
    keep = unique_top & (top > 0)
    out[keep] = domain[counts[keep].argmax(axis=1)]
    return out
