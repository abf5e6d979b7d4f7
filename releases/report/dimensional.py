"""Agreement for dimensional ratings, one set of figures per named rating.

Every rating: Krippendorff's alpha (interval) and the six Shrout & Fleiss ICC forms. A rating on a
discrete scale (``step`` set) is also ordinal: alpha (ordinal) and mean pairwise Cohen's kappa with
linear weights over the full scale (unused scale points keep their position). Measure names carry the
rating: "icc(2,1) valence".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from releases.aggregation.dimensional import rating_names, rating_scale
from releases.agreement import ICC_FORMS, icc_table, krippendorff_alpha, mean_pairwise_cohen_kappa
from releases.report import tables
from releases.report.common import (
    FieldStats,
    Settings,
    ambiguity_rows,
    as_dict,
    guarded,
    mean_over_items,
    per_annotator_rows,
    per_item_list,
)


def dimensional_stats(
    field: Mapping[str, Any], per_item: Mapping[str, Mapping[str, Any]], annotators: list[str], s: Settings
) -> FieldStats:
    stats = FieldStats(level="interval")
    ambiguity: dict[str, list[float | None]] = {}
    for name in rating_names(field):
        matrix = tables.table(per_item, annotators, tables.number_of(name), numeric=True)
        stats.measures += guarded(
            f"krippendorff_alpha_interval {name}", lambda m=matrix, n=name: _rating(m, n, field, s)
        )
        stats.per_annotator += per_annotator_rows(
            matrix, level="interval", categories=None, seed=s.seed, suffix=f" {name}"
        )
        for item, value in ambiguity_rows(matrix, level="interval", categories=None).items():
            ambiguity.setdefault(item, []).append(value)
    counts = {item: len(values) for item, values in per_item.items()}
    stats.per_item = per_item_list(mean_over_items(ambiguity), counts)
    return stats


def _rating(matrix: pd.DataFrame, name: str, field: Mapping[str, Any], s: Settings) -> list[dict[str, Any]]:
    options = {"n_resamples": s.n_resamples, "seed": s.seed}
    out = [
        as_dict(
            krippendorff_alpha(matrix, level="interval", **options), f"krippendorff_alpha_interval {name}"
        )
    ]
    scale = _discrete_scale(rating_scale(field, name))
    if scale is not None:
        coded = matrix.round(9).astype(object).where(matrix.notna(), None)
        out.append(
            as_dict(
                krippendorff_alpha(coded, level="ordinal", categories=scale, **options),
                f"krippendorff_alpha_ordinal {name}",
            )
        )
        out.append(
            as_dict(
                mean_pairwise_cohen_kappa(coded, weights="linear", categories=scale, **options),
                f"mean_pairwise_cohen_kappa_linear {name}",
            )
        )
    icc = icc_table(matrix, **options)
    out += [as_dict(icc[form], f"{form.lower()} {name}") for form in ICC_FORMS]
    return out


def _discrete_scale(rating: Mapping[str, Any]) -> list[float] | None:
    """The scale points min, min + step, ..., max, or None for a continuous (or undeclared) scale."""
    low, high, step = rating.get("min"), rating.get("max"), rating.get("step")
    if not all(isinstance(x, int | float) for x in (low, high, step)) or step <= 0:
        return None
    count = int(round((high - low) / step))
    if count > 1000:
        return None
    return [round(float(low + k * step), 9) for k in range(count + 1)]
