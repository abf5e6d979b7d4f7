"""``segments``: timestamped spans on the media, each with one class and an optional intensity.

Definition: ``classes`` (as for categorical), optional field-wide ``intensity`` scale,
``overlap`` (may spans overlap? default false), ``min_duration_s``.
Value: ``[{"start": 1.2, "end": 3.4, "class": "ambivalent", "intensity": 2}, ...]``.
"""

from __future__ import annotations

from typing import Any

from ..common import (
    TOLERANCE,
    check_bool,
    check_classes,
    check_object,
    check_scale_object,
    class_ids,
    class_intensity,
    is_number,
    scale_problem,
)
from ..errors import ErrorCollector, describe, join
from ..spans import as_list, check_no_overlap, check_span
from .base import KindSpec

MAX_SEGMENTS = 100_000


def check_definition(field: dict, path: str, errors: ErrorCollector) -> None:
    if "classes" in field:
        check_classes(field, path, errors, min_items=1)
    if field.get("intensity") is not None:
        check_scale_object(field["intensity"], join(path, "intensity"), errors, what="an intensity scale")
    check_bool(field, "overlap", path, errors)
    if "min_duration_s" in field:
        value = field["min_duration_s"]
        if not is_number(value) or value <= 0:
            errors.add(
                join(path, "min_duration_s"), f"must be a positive number of seconds, got {describe(value)}"
            )


def check_value(field: dict, value: Any, path: str, errors: ErrorCollector, duration: float | None) -> None:
    segments = as_list(value, path, errors, "segments")
    if segments is None:
        return
    if len(segments) > MAX_SEGMENTS:
        errors.add(path, f"allows at most {MAX_SEGMENTS} segments, got {len(segments)}")
        return
    bounds: list[tuple[int, float, float]] = []
    min_duration = field.get("min_duration_s")
    for index, segment in enumerate(segments):
        seg_path = join(path, index)
        if not check_object(
            segment,
            seg_path,
            errors,
            required=("start", "end", "class"),
            optional=("intensity",),
            what="a segment",
        ):
            continue
        span = check_span(segment, seg_path, errors, duration)
        if span is not None:
            bounds.append((index, *span))
            if min_duration is not None and span[1] - span[0] < min_duration - TOLERANCE:
                errors.add(
                    seg_path, f"lasts {span[1] - span[0]:.6g} s, shorter than the minimum {min_duration} s"
                )
        _check_class(field, segment, seg_path, errors)
    if not field.get("overlap", False):
        check_no_overlap(bounds, path, errors)


def _check_class(field: dict, segment: dict, path: str, errors: ErrorCollector) -> None:
    if "class" not in segment:
        return
    cls_id = segment["class"]
    if not isinstance(cls_id, str):
        errors.add(join(path, "class"), f"must be a class id, got {describe(cls_id)}")
        return
    if cls_id not in class_ids(field):
        errors.add(join(path, "class"), f"unknown class '{cls_id}'")
        return
    if "intensity" not in segment:
        return
    scale = class_intensity(field, cls_id)
    if scale is None:
        errors.add(join(path, "intensity"), f"class '{cls_id}' has no intensity scale")
    elif problem := scale_problem(segment["intensity"], scale):
        errors.add(join(path, "intensity"), problem)


SPEC = KindSpec(
    name="segments",
    scopes=("time",),
    required_keys=("classes",),
    optional_keys=("intensity", "overlap", "min_duration_s"),
    check_definition=check_definition,
    check_value=check_value,
    members=class_ids,
    member_word="class",
    timed_value=True,
)
