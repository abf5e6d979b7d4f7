"""Checks shared by several field kinds: objects, names, numbers, scales and class lists."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from .errors import ErrorCollector, describe, join

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
FIELD_NAME_RULE = (
    "must start with a lower-case letter and hold only lower-case letters, digits and '_' (at most 64)"
)
CLASS_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
CLASS_ID_RULE = "must start with a letter or digit and hold only letters, digits, '_' or '-' (at most 64)"
MAX_LABEL_CHARS = 200
MAX_DESCRIPTION_CHARS = 5000
MAX_CLASSES = 512
MAX_SCALE_LABELS = 101
# Values that land within this distance of a step or bound count as on it (binary floats).
TOLERANCE = 1e-6


def is_number(value: Any) -> bool:
    """A finite JSON number; booleans are not numbers here even though Python says so."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_object(
    value: Any,
    path: str,
    errors: ErrorCollector,
    *,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
    what: str = "this",
) -> bool:
    """An object with every required key and no unknown key (a typo must not pass silently)."""
    if not isinstance(value, dict):
        errors.add(path, f"{what} must be an object, got {describe(value)}")
        return False
    required = list(required)
    allowed = set(required) | set(optional)
    for key in required:
        if key not in value:
            errors.add(join(path, key), "is required")
    for key in value:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            errors.add(join(path, str(key)), f"unknown key '{key}'; expected one of: {expected}")
    return True


def check_text(
    obj: dict, key: str, path: str, errors: ErrorCollector, *, limit: int = MAX_LABEL_CHARS
) -> None:
    """An optional human-readable string (label, description): non-empty, bounded."""
    if key not in obj:
        return
    value = obj[key]
    if not isinstance(value, str):
        errors.add(join(path, key), f"must be a string, got {describe(value)}")
    elif not value.strip():
        errors.add(join(path, key), "must not be blank")
    elif len(value) > limit:
        errors.add(join(path, key), f"is longer than {limit} characters")


def check_bool(obj: dict, key: str, path: str, errors: ErrorCollector) -> None:
    if key in obj and not isinstance(obj[key], bool):
        errors.add(join(path, key), f"must be true or false, got {describe(obj[key])}")


def check_name(value: Any, path: str, errors: ErrorCollector, *, pattern: re.Pattern, rule: str) -> bool:
    if not isinstance(value, str):
        errors.add(path, f"must be a string, got {describe(value)}")
        return False
    if not pattern.match(value):
        errors.add(path, f"'{value}' {rule}")
        return False
    return True


def check_int(obj: dict, key: str, path: str, errors: ErrorCollector, *, low: int, high: int) -> int | None:
    """An optional whole number within [low, high]; returns it when valid."""
    if key not in obj:
        return None
    value = obj[key]
    if not isinstance(value, int) or isinstance(value, bool):
        errors.add(join(path, key), f"must be a whole number, got {describe(value)}")
        return None
    if not low <= value <= high:
        errors.add(join(path, key), f"must be between {low} and {high}, got {value}")
        return None
    return value


def check_list(
    value: Any, path: str, errors: ErrorCollector, *, min_items: int, max_items: int, what: str
) -> bool:
    if not isinstance(value, list):
        errors.add(path, f"must be a list of {what}, got {describe(value)}")
        return False
    if len(value) < min_items:
        errors.add(path, f"needs at least {min_items} {what}, got {len(value)}")
        return False
    if len(value) > max_items:
        errors.add(path, f"allows at most {max_items} {what}, got {len(value)}")
        return False
    return True


# --- scales -------------------------------------------------------------------------------------

SCALE_KEYS = ("min", "max", "step", "labels")


def check_scale_keys(scale: dict, path: str, errors: ErrorCollector) -> bool:
    """Validate ``min``, ``max``, optional ``step`` (absent or null = continuous) and ``labels``."""
    low, high, ok = scale.get("min"), scale.get("max"), True
    for key in ("min", "max"):
        if key in scale and not is_number(scale[key]):
            errors.add(join(path, key), f"must be a number, got {describe(scale[key])}")
            ok = False
    if not ok or "min" not in scale or "max" not in scale:
        return False
    if low >= high:
        errors.add(join(path, "max"), f"must be greater than min ({low}), got {high}")
        return False
    step = scale.get("step")
    if step is not None:
        if not is_number(step) or step <= 0:
            errors.add(join(path, "step"), f"must be a positive number or null, got {describe(step)}")
            return False
        count = (high - low) / step
        if abs(count - round(count)) > TOLERANCE:
            errors.add(
                join(path, "step"),
                f"max - min ({_num(high - low)}) is not a whole number of steps of {_num(step)}",
            )
            return False
    if "labels" in scale:
        _check_scale_labels(scale, path, errors)
    return True


def _check_scale_labels(scale: dict, path: str, errors: ErrorCollector) -> None:
    labels_path = join(path, "labels")
    labels = scale["labels"]
    if not check_list(labels, labels_path, errors, min_items=1, max_items=MAX_SCALE_LABELS, what="labels"):
        return
    seen: set[float] = set()
    for index, entry in enumerate(labels):
        entry_path = join(labels_path, index)
        if not check_object(entry, entry_path, errors, required=("value", "label"), what="a scale label"):
            continue
        check_text(entry, "label", entry_path, errors)
        if "value" not in entry:
            continue
        value = entry["value"]
        problem = scale_problem(value, scale)
        if problem:
            errors.add(join(entry_path, "value"), problem)
        elif value in seen:
            errors.add(join(entry_path, "value"), f"duplicate label for value {_num(value)}")
        else:
            seen.add(value)


def scale_problem(value: Any, scale: dict) -> str | None:
    """Why ``value`` does not fit a (validated) scale, or None when it does."""
    if not is_number(value):
        return f"must be a number, got {describe(value)}"
    low, high, step = scale["min"], scale["max"], scale.get("step")
    if value < low - TOLERANCE or value > high + TOLERANCE:
        return f"{_num(value)} is outside the scale {_num(low)}..{_num(high)}"
    if step is not None:
        count = (value - low) / step
        if abs(count - round(count)) > TOLERANCE:
            return f"{_num(value)} is not on the scale's step of {_num(step)} from {_num(low)}"
    return None


def _num(value: float) -> str:
    """Print 3.0 as 3 and keep real fractions, so messages read like the JSON that was sent."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def check_scale_object(value: Any, path: str, errors: ErrorCollector, *, what: str) -> bool:
    if not check_object(value, path, errors, required=("min", "max"), optional=("step", "labels"), what=what):
        return False
    return check_scale_keys(value, path, errors)


# --- class lists ---------------------------------------------------------------------------------

CLASS_KEYS_REQUIRED = ("id",)
CLASS_KEYS_OPTIONAL = ("label", "description", "key", "intensity")


def check_classes(field: dict, path: str, errors: ErrorCollector, *, min_items: int) -> None:
    """Classes with unique ids, unique labels and unique shortcut keys; optional intensity scales."""
    classes_path = join(path, "classes")
    classes = field["classes"]
    if not check_list(
        classes, classes_path, errors, min_items=min_items, max_items=MAX_CLASSES, what="classes"
    ):
        return
    ids: dict[str, int] = {}
    labels: dict[str, int] = {}
    keys: dict[str, int] = {}
    for index, cls in enumerate(classes):
        cls_path = join(classes_path, index)
        if not check_object(
            cls, cls_path, errors, required=CLASS_KEYS_REQUIRED, optional=CLASS_KEYS_OPTIONAL, what="a class"
        ):
            continue
        check_text(cls, "label", cls_path, errors)
        check_text(cls, "description", cls_path, errors, limit=MAX_DESCRIPTION_CHARS)
        cls_id = cls.get("id")
        if "id" in cls and check_name(
            cls_id, join(cls_path, "id"), errors, pattern=CLASS_ID, rule=CLASS_ID_RULE
        ):
            _unique(ids, cls_id, index, join(cls_path, "id"), errors, "class id")
        label = cls.get("label", cls_id)
        if isinstance(label, str) and label.strip():
            _unique(
                labels,
                label.strip().casefold(),
                index,
                join(cls_path, "label"),
                errors,
                "class label",
                shown=label,
            )
        if "key" in cls:
            _check_shortcut(cls["key"], index, join(cls_path, "key"), keys, errors)
        if cls.get("intensity") is not None:
            check_scale_object(
                cls["intensity"], join(cls_path, "intensity"), errors, what="an intensity scale"
            )


def _unique(
    seen: dict[str, int],
    value: str,
    index: int,
    path: str,
    errors: ErrorCollector,
    what: str,
    shown: str | None = None,
) -> None:
    if value in seen:
        errors.add(path, f"duplicate {what} '{shown or value}' (first used at index {seen[value]})")
    else:
        seen[value] = index


def _check_shortcut(key: Any, index: int, path: str, seen: dict[str, int], errors: ErrorCollector) -> None:
    if not isinstance(key, str) or len(key) != 1 or not key.isprintable() or key.isspace():
        errors.add(path, f"must be a single printable character, got {describe(key)}")
        return
    _unique(seen, key.lower(), index, path, errors, "shortcut key", shown=key)


def class_ids(field: dict) -> list[str]:
    return [cls["id"] for cls in field.get("classes", []) if isinstance(cls, dict) and "id" in cls]


def class_intensity(field: dict, cls_id: str) -> dict | None:
    """The intensity scale that applies to a class: its own, else the field's default (None = none)."""
    for cls in field.get("classes", []):
        if cls.get("id") == cls_id:
            if "intensity" in cls:
                return cls["intensity"]
            break
    return field.get("intensity")
