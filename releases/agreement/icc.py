"""Intraclass correlations in the six forms of Shrout & Fleiss (1979).

ICC(1,*) is the one-way random model (each item rated by its own random raters), ICC(2,*) the two-way
random model (raters a random sample, absolute agreement), ICC(3,*) the two-way mixed model (these
raters only, consistency). ``*,1`` is the reliability of one rater, ``*,k`` of the mean of k raters.
All six come from one two-way ANOVA of a complete items x raters table:

    ICC(1,1) = (BMS - WMS) / (BMS + (k-1) WMS)          ICC(1,k) = (BMS - WMS) / BMS
    ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n)
    ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n)
    ICC(3,1) = (BMS - EMS) / (BMS + (k-1) EMS)          ICC(3,k) = (BMS - EMS) / BMS

The ANOVA needs every item rated by every rater: raters who rated nothing are dropped, then items
missing any remaining rater are dropped (listwise), and ``details`` says how many.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from releases.agreement.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_ci, point_weights
from releases.agreement.matrix import RatingsLike, as_rating_matrix
from releases.agreement.results import AgreementResult, ConfidenceInterval, undefined

IccForm = Literal["ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"]
FORMS: tuple[IccForm, ...] = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")


def icc(
    ratings: RatingsLike,
    /,
    *,
    form: IccForm = "ICC(2,1)",
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """One ICC form, with a bootstrap interval over items."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}, not {form!r}")
    return icc_table(ratings, n_resamples=n_resamples, seed=seed, confidence=confidence)[form]


def icc_table(
    ratings: RatingsLike,
    /,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> dict[IccForm, AgreementResult]:
    """All six forms from one ANOVA (and one set of bootstrap resamples)."""
    values = as_rating_matrix(ratings).numeric_values()
    present = ~np.isnan(values)
    values = values[:, present.any(axis=0)]
    complete = values[~np.isnan(values).any(axis=1)]
    n, k = complete.shape
    context = {"items_dropped_incomplete": int(present.any(axis=1).sum() - n)}
    reason = undefined_reason(
        any_value=bool(values.size) and not np.isnan(values).all(),
        raters=values.shape[1],
        complete_rows=n,
        constant=bool(complete.size) and np.ptp(complete) == 0,
    )
    if reason:
        return undefined_table(reason, n=n, k=k, context=context)
    centred = _Centred.of(complete - complete.mean())
    point, mean_squares = _forms(point_weights(n), centred)
    intervals, ci_reasons = bootstrap_ci(
        lambda w: _forms(w, centred)[0],
        n_units=n,
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
        width=len(FORMS),
    )
    return icc_results(
        point[0], mean_squares, n=n, k=k, context=context, intervals=intervals, reasons=ci_reasons
    )


def icc_results(
    point: np.ndarray,
    mean_squares: dict[str, np.ndarray],
    *,
    n: int,
    k: int,
    context: dict,
    intervals: list[ConfidenceInterval | None],
    reasons: list[str | None],
) -> dict[IccForm, AgreementResult]:
    """The six results from the point estimates (FORMS order), the ANOVA's mean squares and intervals.

    Shared by ``icc_table`` and the release report's per-item-sums path for long traces, so both
    describe an ICC the same way.
    """
    details = {**context, "k": k, **{name: float(ms[0]) for name, ms in mean_squares.items()}}
    out: dict[IccForm, AgreementResult] = {}
    for i, f in enumerate(FORMS):
        if np.isfinite(point[i]):
            out[f] = AgreementResult(
                measure=_name(f),
                value=float(point[i]),
                ci=intervals[i],
                ci_undefined_reason=reasons[i],
                n_items=n,
                n_annotators=k,
                details={**details, "form": f.replace("k)", f"{k})")},
            )
        else:
            out[f] = undefined(
                _name(f),
                "the ANOVA mean squares in its denominator are 0 (no variance between items)",
                n_items=n,
                n_annotators=k,
                details=details,
            )
    return out


def undefined_table(reason: str, *, n: int, k: int, context: dict) -> dict[IccForm, AgreementResult]:
    """All six forms undefined for the same reason."""
    return {f: undefined(_name(f), reason, n_items=n, n_annotators=k, details=context) for f in FORMS}


def undefined_reason(*, any_value: bool, raters: int, complete_rows: int, constant: bool) -> str | None:
    """Why the ICCs of a table cannot be computed, or None when they can.

    ``raters`` counts the annotators who rated anything, ``complete_rows`` the rows rated by all of
    them, and ``constant`` says whether those rows hold a single value.
    """
    if not any_value:
        return "no ratings were given"
    if raters < 2:
        return "only one annotator rated any item"
    if complete_rows < 2:
        return (
            "fewer than two items were rated by every annotator; the ICC's two-way ANOVA needs a "
            "complete items x annotators table (Krippendorff's alpha does not)"
        )
    if constant:
        return "all ratings are the same value, so there is no variance to partition"
    return None


def _name(form: IccForm) -> str:
    return "icc_" + form[4:-1].replace(",", "_")


@dataclass(frozen=True, slots=True)
class _Centred:
    """The centred complete table and its per-row sums, which every bootstrap block reuses."""

    x: np.ndarray
    row_sums: np.ndarray
    row_squares: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray) -> _Centred:
        return cls(x=x, row_sums=x.sum(axis=1), row_squares=(x**2).sum(axis=1))


def _forms(w: np.ndarray, centred: _Centred) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The six ICCs per weight row (columns in FORMS order), NaN where a denominator is 0."""
    x, row_sums = centred.x, centred.row_sums
    n, k = w.sum(axis=1), x.shape[1]
    grand = w @ row_sums
    correction = grand**2 / (n * k)
    ss_total = w @ centred.row_squares - correction
    ss_rows = w @ row_sums**2 / k - correction
    ss_cols = ((w @ x) ** 2).sum(axis=1) / n - correction
    return forms_from_sums_of_squares(ss_total, ss_rows, ss_cols, n, k)


def forms_from_sums_of_squares(
    ss_total: np.ndarray, ss_rows: np.ndarray, ss_cols: np.ndarray, n: np.ndarray, k: int
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The six ICC forms (FORMS order) and mean squares from a two-way ANOVA's sums of squares.

    Shared by the matrix path here and the release report's per-item-sums path for long traces,
    so both compute the forms with the same formulas and the same "denominator is 0" rule.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        bms = ss_rows / (n - 1)
        wms = (ss_total - ss_rows) / (n * (k - 1))
        jms = ss_cols / (k - 1)
        ems = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
        numerators = [bms - wms, bms - ems, bms - ems, bms - wms, bms - ems, bms - ems]
        denominators = [
            bms + (k - 1) * wms,
            bms + (k - 1) * ems + k * (jms - ems) / n,
            bms + (k - 1) * ems,
            bms,
            bms + (jms - ems) / n,
            bms,
        ]
        scale = np.maximum(ss_total, 0) / (n * k) + np.finfo(float).tiny
        table = np.column_stack(
            [
                np.where(np.abs(den) > 1e-12 * scale, num / np.where(den == 0, 1, den), np.nan)
                for num, den in zip(numerators, denominators, strict=True)
            ]
        )
    return table, {"BMS": bms, "WMS": wms, "JMS": jms, "EMS": ems}
