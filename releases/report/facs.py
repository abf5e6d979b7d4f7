"""Agreement for FACS codes: nominal alpha on each unit's presence.

An annotator who labeled an item and did not mark a unit said it is absent (0); one who did not label
the item says nothing (missing). Per annotator and per item the units are stacked (item, unit rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from releases.aggregation.facs import present, unit_codes
from releases.agreement import krippendorff_alpha
from releases.report import tables
from releases.report.categorical import mean_by_item
from releases.report.common import (
    FieldStats,
    Settings,
    ambiguity_rows,
    as_dict,
    guarded,
    per_annotator_rows,
    per_item_list,
)


def facs_stats(
    field: Mapping[str, Any], per_item: Mapping[str, Mapping[str, Any]], annotators: list[str], s: Settings
) -> FieldStats:
    presence = tables.presence_tables(per_item, annotators, unit_codes(field), present)
    stats = FieldStats(level="nominal")
    for code, matrix in presence.items():
        stats.measures += guarded(
            f"krippendorff_alpha_nominal {code}",
            lambda m=matrix, c=code: [
                as_dict(
                    krippendorff_alpha(m, level="nominal", n_resamples=s.n_resamples, seed=s.seed),
                    f"krippendorff_alpha_nominal {c} (presence)",
                )
            ],
        )
    stacked = tables.stacked(presence)
    stats.per_annotator = per_annotator_rows(
        stacked, level="nominal", categories=None, seed=s.seed, suffix=" (presence of each unit)"
    )
    ambiguity = mean_by_item(ambiguity_rows(stacked, level="nominal", categories=None))
    stats.per_item = per_item_list(ambiguity, {item: len(v) for item, v in per_item.items()})
    return stats
