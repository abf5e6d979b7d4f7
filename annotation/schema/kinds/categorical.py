"""``categorical``: one class (hard), several (multi), or a probability distribution (soft).

Values:
- hard:  ``{"class": "joy", "intensity": 3}``
- multi: ``{"classes": ["joy", "surprise"], "intensity": {"joy": 2}}``
- soft:  ``{"distribution": {"joy": 0.7, "surprise": 0.3}, "intensity": {"joy": 2}}``
``intensity`` is optional and allowed only for chosen classes that declare a scale (their own
``intensity`` or the field's default).
"""

from __future__ import annotations

import math
from typing import Any

from ..common import (
    check_classes,
    check_object,
    check_scale_object,
    class_ids,
    class_intensity,
    is_number,
    scale_problem,
)
from ..errors import ErrorCollector, describe, join
from .base import KindSpec

MODES = ("hard", "multi", "soft")
SOFT_SUM_TOLERANCE = 1e-6


def check_definition(field: dict, path: str, errors: ErrorCollector) -> None:
    mode = field.get("mode")
    if "mode" in field and mode not in MODES:
        errors.add(join(path, "mode"), f"must be one of {', '.join(MODES)}, got {_show(mode)}")
    if "classes" in field:
        check_classes(field, path, errors, min_items=1 if mode == "multi" else 2)
    if field.get("intensity") is not None:
        check_scale_object(field["intensity"], join(path, "intensity"), errors, what="an intensity scale")


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else describe(value)


def check_value(field: dict, value: Any, path: str, errors: ErrorCollector, duration: float | None) -> None:
    mode = field["mode"]
    if mode == "hard":
        _check_hard(field, value, path, errors)
    elif mode == "multi":
        _check_multi(field, value, path, errors)
    else:
        _check_soft(field, value, path, errors)


def _check_hard(field: dict, value: Any, path: str, errors: ErrorCollector) -> None:
    if not check_object(
        value, path, errors, required=("class",), optional=("intensity",), what="a hard label"
    ):
        return
    chosen = value.get("class")
    if "class" in value and _known(field, chosen, join(path, "class"), errors) and "intensity" in value:
        _check_intensity(field, chosen, value["intensity"], join(path, "intensity"), errors)


def _check_multi(field: dict, value: Any, path: str, errors: ErrorCollector) -> None:
    if not check_object(
        value, path, errors, required=("classes",), optional=("intensity",), what="a multi label"
    ):
        return
    chosen = value.get("classes")
    if not isinstance(chosen, list):
        if "classes" in value:
            errors.add(join(path, "classes"), f"must be a list of class ids, got {describe(chosen)}")
        return
    valid: set[str] = set()
    for index, cls_id in enumerate(chosen):
        item_path = join(join(path, "classes"), index)
        if isinstance(cls_id, str) and cls_id in valid:
            errors.add(item_path, f"class '{cls_id}' is listed twice")
        elif _known(field, cls_id, item_path, errors):
            valid.add(cls_id)
    _check_intensity_map(field, value, valid, path, errors, why="is not among the chosen classes")


def _check_soft(field: dict, value: Any, path: str, errors: ErrorCollector) -> None:
    if not check_object(
        value, path, errors, required=("distribution",), optional=("intensity",), what="a soft label"
    ):
        return
    dist = value.get("distribution")
    dist_path = join(path, "distribution")
    if not isinstance(dist, dict):
        if "distribution" in value:
            errors.add(dist_path, f"must be an object of class id -> probability, got {describe(dist)}")
        return
    total, ok, positive = 0.0, True, set()
    for cls_id, prob in dist.items():
        item_path = join(dist_path, cls_id)
        if not _known(field, cls_id, item_path, errors):
            ok = False
        elif not is_number(prob) or not 0 <= prob <= 1:
            errors.add(item_path, f"must be a probability between 0 and 1, got {_prob(prob)}")
            ok = False
        else:
            total += prob
            if prob > 0:
                positive.add(cls_id)
    if ok and not math.isclose(total, 1.0, rel_tol=0, abs_tol=SOFT_SUM_TOLERANCE):
        errors.add(dist_path, f"probabilities must sum to 1 (within {SOFT_SUM_TOLERANCE:g}), got {total:.9g}")
    _check_intensity_map(field, value, positive, path, errors, why="has probability 0")


def _prob(value: Any) -> str:
    return str(value) if is_number(value) else describe(value)


def _known(field: dict, cls_id: Any, path: str, errors: ErrorCollector) -> bool:
    if not isinstance(cls_id, str):
        errors.add(path, f"must be a class id, got {describe(cls_id)}")
        return False
    if cls_id not in class_ids(field):
        errors.add(path, f"unknown class '{cls_id}'")
        return False
    return True


def _check_intensity_map(
    field: dict, value: dict, chosen: set[str], path: str, errors: ErrorCollector, *, why: str
) -> None:
    if "intensity" not in value:
        return
    intensities = value["intensity"]
    map_path = join(path, "intensity")
    if not isinstance(intensities, dict):
        errors.add(map_path, f"must be an object of class id -> intensity, got {describe(intensities)}")
        return
    for cls_id, level in intensities.items():
        item_path = join(map_path, cls_id)
        if cls_id not in class_ids(field):
            errors.add(item_path, f"unknown class '{cls_id}'")
        elif cls_id not in chosen:
            errors.add(item_path, f"class '{cls_id}' {why}; give intensity only for chosen classes")
        else:
            _check_intensity(field, cls_id, level, item_path, errors)


def _check_intensity(field: dict, cls_id: str, level: Any, path: str, errors: ErrorCollector) -> None:
    scale = class_intensity(field, cls_id)
    if scale is None:
        errors.add(path, f"class '{cls_id}' has no intensity scale")
        return
    problem = scale_problem(level, scale)
    if problem:
        errors.add(path, problem)


SPEC = KindSpec(
    name="categorical",
    scopes=("item", "time"),
    required_keys=("mode", "classes"),
    optional_keys=("intensity",),
    check_definition=check_definition,
    check_value=check_value,
    members=class_ids,
    member_word="class",
)
