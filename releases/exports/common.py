"""Deterministic text and JSON output: sorted keys, no NaN, Unix newlines, no timestamps."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from ..services.snapshot import canonical_json

SAFE_PART = re.compile(r"[^A-Za-z0-9_.-]+")

__all__ = [
    "canonical_json",
    "canonical_json_safe",
    "is_plain_json",
    "json_safe",
    "pretty_json",
    "safe_name",
    "write_text",
]


def json_safe(value: Any) -> Any:
    """Plain JSON types only: numpy scalars and arrays unwrapped, NaN and infinities as null."""
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        if _plain_numbers(value):  # a trace's times or consensus: thousands of floats, nothing to change
            return list(value)
        return [json_safe(item) for item in value]
    if isinstance(value, np.ndarray):
        return [json_safe(item) for item in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


_PLAIN = {float, int, type(None)}


def _plain_numbers(values: list | tuple) -> bool:
    """Only finite floats, ints (not bools) and None: what ``json_safe`` would return unchanged."""
    kinds = set(map(type, values))
    if not kinds <= _PLAIN:
        return False
    if float not in kinds:
        return True
    try:
        missing = ~np.isfinite(np.array(values, dtype=float))  # None reads as NaN
    except OverflowError:  # an int beyond any float: leave it to the general path
        return False
    return int(missing.sum()) == values.count(None)


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})


def _str_keys(value: Any) -> bool:
    """Every dict inside ``value`` has only str keys.

    Then ``json.dumps`` sorts and spells the keys as it would after ``json_safe`` (which turns keys
    into ``str``: an int key would sort as a number and a bool key read ``true`` without it).
    """
    if isinstance(value, dict):
        keys = set(map(type, value))
        if keys != {str} and not all(isinstance(key, str) for key in value):
            return False
        children: Any = value.values()
    elif isinstance(value, list | tuple):
        children = value
    else:
        return True
    if set(map(type, children)) <= _SCALAR_TYPES:
        return True
    return all(_str_keys(child) for child in children)


def _dumps_safe(value: Any, **options: Any) -> str:
    """``json.dumps(json_safe(value))`` without copying a value that is plain JSON already.

    When every key is a str, ``json.dumps`` either fails (numpy arrays and non-float numpy scalars:
    TypeError; NaN and infinities: ValueError) or writes what it would write after ``json_safe``:
    tuples as lists, float subclasses such as ``numpy.float64`` with ``float.__repr__``. Only a
    failure pays for the walk.
    """
    if not _str_keys(value):
        return json.dumps(json_safe(value), **options)
    try:
        return json.dumps(value, **options)
    except (TypeError, ValueError):
        return json.dumps(json_safe(value), **options)


def canonical_json_safe(value: Any) -> str:
    """``canonical_json(json_safe(value))``: the text every export writes for a label value."""
    return _dumps_safe(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def is_plain_json(value: Any) -> bool:
    """``json_safe(value)`` would equal ``value`` with the very same types, so it can be skipped.

    Exact types only: str keys; str, int, bool, None and finite float leaves; dicts and lists (a
    tuple would become a list, a numpy scalar a Python one).
    """
    kind = type(value)
    if kind is float:
        return math.isfinite(value)
    if kind in _SCALAR_TYPES:
        return True
    if kind is dict:
        return all(type(key) is str for key in value) and all(map(is_plain_json, value.values()))
    if kind is list:
        return all(map(is_plain_json, value))
    return False


def pretty_json(value: Any) -> str:
    return _dumps_safe(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def safe_name(text: str) -> str:
    """A file-name part from a pre-labeler or track name: only letters, digits, '_', '.', '-'."""
    return SAFE_PART.sub("-", text).strip(".-") or "unnamed"


def item_sort_key(item_id: str) -> tuple[int, str]:
    return (int(item_id), item_id) if item_id.isdigit() else (1 << 62, item_id)
