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
        return [json_safe(item) for item in value]
    if isinstance(value, np.ndarray):
        return [json_safe(item) for item in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


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
