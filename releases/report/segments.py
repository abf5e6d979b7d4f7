"""Agreement for segments: frame-level nominal alpha and mean pairwise temporal-IoU F1.

Frames are ``frame_s`` long (the aggregation's grid); an item's frames run to its duration, or to the
last segment end anyone marked when the duration is unknown. Per annotator: their mean temporal-IoU F1
with each other annotator. Per item: the share of frames on which the item's annotators do not all
give the same label (background included). Confusion: frame labels of every ordered annotator pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from releases.aggregation.segments import BACKGROUND, frame_count, raster, segment_rows
from releases.agreement import frame_alpha, mean_pairwise_temporal_iou_f1
from releases.report.common import (
    FieldStats,
    Settings,
    as_dict,
    confusion_from_codes,
    guarded,
    mean_over,
    per_item_list,
)

BACKGROUND_NAME = "(none)"


def segment_stats(
    field: Mapping[str, Any],
    per_item: Mapping[str, Mapping[str, Any]],
    annotators: list[str],
    s: Settings,
    *,
    durations: Mapping[str, float | None],
    frame_s: float,
) -> FieldStats:
    items = [
        {a: [tuple(seg) for seg in segment_rows(v)] for a, v in values.items()}
        for values in per_item.values()
    ]
    lengths = [
        frame_count(values, frame_s, _duration(durations.get(item))) * frame_s
        for item, values in per_item.items()
    ]

    def measures() -> list[dict[str, Any]]:
        options = {"n_resamples": s.n_resamples, "seed": s.seed}
        return [
            as_dict(frame_alpha(items, durations_s=lengths, fps=1 / frame_s, **options)),
            as_dict(mean_pairwise_temporal_iou_f1(items, **options)),
        ]

    stats = FieldStats(level="nominal", measures=guarded("frame_alpha_nominal", measures))
    stats.notes.append(f"frames of {frame_s:g} s; frames no segment covers count as background")
    stats.per_annotator = _per_annotator(items, annotators)
    classes = [BACKGROUND, *[c["id"] if isinstance(c, Mapping) else str(c) for c in field.get("classes", [])]]
    codes, weights, ambiguity = _frames(per_item, annotators, classes, durations, frame_s)
    stats.per_item = per_item_list(ambiguity, {item: len(v) for item, v in per_item.items()})
    stats.confusion = confusion_from_codes(codes, weights, [BACKGROUND_NAME, *classes[1:]])
    if stats.confusion:
        stats.confusion["basis"] = "frames"
    return stats


def _duration(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) and number > 0 else None


def _per_annotator(items: list[dict[str, list]], annotators: list[str]) -> list[dict[str, Any]]:
    measure = "mean temporal_iou_f1 with each other annotator"
    result = mean_pairwise_temporal_iou_f1(items, n_resamples=0) if items else None
    pairs = result.details.get("pairs", []) if result is not None else []
    rows = []
    for annotator in annotators:
        n_items = sum(annotator in item for item in items)
        value = mean_over([p["value"] for p in pairs if annotator in (p["annotator_a"], p["annotator_b"])])
        reason = None
        if value is None:
            reason = (
                "this annotator labeled no item"
                if n_items == 0
                else "no other annotator marked segments on the same items"
            )
        rows.append(
            {
                "annotator": annotator,
                "n_items": n_items,
                "value": value,
                "undefined_reason": reason,
                "measure": measure,
            }
        )
    return rows


def _frames(per_item, annotators, classes, durations, frame_s):
    """(frame codes x annotators, weights, item -> share of frames without unanimity)."""
    index = {c: i for i, c in enumerate(classes)}
    blocks, ambiguity = [], {}
    for item, values in per_item.items():
        n_frames = frame_count(values, frame_s, _duration(durations.get(item)))
        block = np.full((n_frames, len(annotators)), np.nan)
        for j, annotator in enumerate(annotators):
            if annotator in values:
                labels = raster(segment_rows(values[annotator]), n_frames=n_frames, frame_s=frame_s)
                block[:, j] = [index.get(label, np.nan) for label in labels]
        blocks.append(block)
        rated = (~np.isnan(block)).sum(axis=1)
        if n_frames == 0 or (rated < 2).all():
            ambiguity[item] = None
            continue
        low, high = np.nanmin(block[rated >= 2], axis=1), np.nanmax(block[rated >= 2], axis=1)
        ambiguity[item] = float((low != high).mean())
    codes = np.concatenate(blocks) if blocks else np.empty((0, len(annotators)))
    return codes, np.ones(codes.shape[0]), ambiguity
