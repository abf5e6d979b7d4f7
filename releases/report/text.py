"""Text fields: collected, not compared, so the report says why there is no figure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from releases.report.common import FieldStats, per_item_list, undefined_dict

TEXT_REASON = "free text is collected, not compared: no agreement measure applies"


def text_stats(per_item: Mapping[str, Mapping[str, Any]]) -> FieldStats:
    stats = FieldStats(level=None, measures=[undefined_dict("agreement", TEXT_REASON)])
    stats.per_item = per_item_list({}, {item: len(v) for item, v in per_item.items()})
    return stats
