"""Agreement for categorical fields.

hard: Krippendorff's alpha (nominal), Fleiss' kappa (undefined, with the reason, unless every item has
the same number of ratings), mean pairwise Cohen's kappa. multi: nominal alpha on each class's
presence (chosen / not chosen by an annotator who labeled the item). soft: mean pairwise Jensen-Shannon
divergence and interval alpha on the expected class index (hard labels enter as one-hot).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from releases.aggregation.categorical import class_ids
from releases.agreement import (
    expected_class_alpha,
    fleiss_kappa,
    krippendorff_alpha,
    mean_pairwise_cohen_kappa,
    mean_pairwise_jsd,
)
from releases.agreement.soft import item_jsd
from releases.report import tables
from releases.report.common import (
    FieldStats,
    Settings,
    ambiguity_rows,
    as_dict,
    confusion_from_codes,
    guarded,
    mean_over_items,
    per_annotator_rows,
    per_item_list,
)


def hard_stats(
    field: Mapping[str, Any], per_item: Mapping[str, Mapping[str, Any]], annotators: list[str], s: Settings
) -> FieldStats:
    classes = class_ids(field)
    matrix = tables.hard_codes(per_item, annotators, classes)
    options = {"categories": classes, "n_resamples": s.n_resamples, "seed": s.seed}

    def measures() -> list[dict[str, Any]]:
        return [
            as_dict(krippendorff_alpha(matrix, level="nominal", **options)),
            as_dict(fleiss_kappa(matrix, **options)),
            as_dict(mean_pairwise_cohen_kappa(matrix, **options)),
        ]

    stats = FieldStats(level="nominal", measures=guarded("krippendorff_alpha_nominal", measures))
    stats.per_annotator = per_annotator_rows(matrix, level="nominal", categories=classes, seed=s.seed)
    stats.per_item = per_item_list(
        ambiguity_rows(matrix, level="nominal", categories=classes), _counts(per_item)
    )
    stats.confusion = confusion_from_codes(matrix.values, np.ones(matrix.n_items), classes)
    return stats


def multi_stats(
    field: Mapping[str, Any], per_item: Mapping[str, Mapping[str, Any]], annotators: list[str], s: Settings
) -> FieldStats:
    classes = class_ids(field)
    presence = tables.presence_tables(per_item, annotators, classes, _chosen)
    stats = FieldStats(level="nominal")
    for cls, matrix in presence.items():
        stats.measures += guarded(
            f"krippendorff_alpha_nominal {cls}",
            lambda m=matrix, c=cls: [
                as_dict(
                    krippendorff_alpha(m, level="nominal", n_resamples=s.n_resamples, seed=s.seed),
                    f"krippendorff_alpha_nominal {c} (presence)",
                )
            ],
        )
    stacked = tables.stacked(presence)
    stats.per_annotator = per_annotator_rows(
        stacked, level="nominal", categories=None, seed=s.seed, suffix=" (presence of each class)"
    )
    stats.per_item = per_item_list(
        mean_by_item(ambiguity_rows(stacked, level="nominal", categories=None)), _counts(per_item)
    )
    return stats


def soft_stats(
    field: Mapping[str, Any], per_item: Mapping[str, Mapping[str, Any]], annotators: list[str], s: Settings
) -> FieldStats:
    classes = class_ids(field)
    dists = tables.distributions(per_item, annotators, classes)
    options = {"n_resamples": s.n_resamples, "seed": s.seed}

    def measures() -> list[dict[str, Any]]:
        return [as_dict(mean_pairwise_jsd(dists, **options)), as_dict(expected_class_alpha(dists, **options))]

    stats = FieldStats(level="nominal", measures=guarded("mean_pairwise_jensen_shannon", measures))
    expected = tables.expected_class_table(dists, list(per_item), annotators)
    stats.per_annotator = per_annotator_rows(
        expected, level="interval", categories=None, seed=s.seed, suffix=" (expected class)"
    )
    jsd = item_jsd(dists)[0] if len(per_item) else np.empty(0)
    ambiguity = {item: float(v) if np.isfinite(v) else None for item, v in zip(per_item, jsd, strict=True)}
    stats.per_item = per_item_list(ambiguity, _counts(per_item))
    stats.notes.append("per-item ambiguity: the item's mean pairwise Jensen-Shannon divergence (bits)")
    codes = tables.most_probable(dists)
    stats.confusion = confusion_from_codes(codes, np.ones(codes.shape[0]), classes)
    if stats.confusion:
        stats.confusion["basis"] = "each annotator's most probable class (first in schema order on ties)"
    return stats


def _chosen(value: Any, cls: str) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("classes"), list) and cls in value["classes"]


def _counts(per_item: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    return {item: len(values) for item, values in per_item.items()}


def mean_by_item(stacked: dict[str, float | None]) -> dict[str, float | None]:
    grouped: dict[str, list[float | None]] = {}
    for key, value in stacked.items():
        grouped.setdefault(key.rsplit("|", 1)[0], []).append(value)
    return mean_over_items(grouped)
