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

__all__ = ["canonical_json", "json_safe", "pretty_json", "safe_name", "write_text"]


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


def pretty_json(value: Any) -> str:
    return json.dumps(json_safe(value), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def safe_name(text: str) -> str:
    """A file-name part from a pre-labeler or track name: only letters, digits, '_', '.', '-'."""
    return SAFE_PART.sub("-", text).strip(".-") or "unnamed"


def item_sort_key(item_id: str) -> tuple[int, str]:
    return (int(item_id), item_id) if item_id.isdigit() else (1 << 62, item_id)
