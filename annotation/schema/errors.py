"""Validation errors that point at the offending spot with a JSON path.

Every check appends to one collector instead of raising, so a schema author
sees all problems of a definition at once rather than fixing them one by one.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")

# A pathological value (a trace with a million bad samples) must not yield a million messages.
DEFAULT_ERROR_LIMIT = 200


@dataclass(frozen=True)
class SchemaError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


def join(path: str, key: str | int) -> str:
    """Extend a JSON path: ``fields[2]`` + ``"classes"`` -> ``fields[2].classes``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _PLAIN_KEY.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key)}]"


class ErrorCollector:
    """Gathers errors up to a limit, then only counts the rest."""

    def __init__(self, limit: int = DEFAULT_ERROR_LIMIT) -> None:
        self.limit = limit
        self._errors: list[SchemaError] = []
        self._dropped = 0

    def add(self, path: str, message: str) -> None:
        if len(self._errors) < self.limit:
            self._errors.append(SchemaError(path, message))
        else:
            self._dropped += 1

    def __bool__(self) -> bool:
        return bool(self._errors)

    def __len__(self) -> int:
        return len(self._errors) + self._dropped

    def result(self) -> list[SchemaError]:
        if not self._dropped:
            return list(self._errors)
        more = SchemaError("", f"... and {self._dropped} more errors not shown")
        return [*self._errors, more]


def describe(value: object) -> str:
    """Name a JSON value's type the way a schema author thinks of it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float) and not math.isfinite(value):
        return "a non-finite number"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
