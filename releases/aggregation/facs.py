"""FACS codes: each unit is present when more than half of the item's annotators marked it.

A present unit's intensity is the median of the letters (A..E) given by the annotators who marked it,
the lower median when their number is even so that it stays a letter; units scored present/absent
are ``true``. A unit marked by exactly half is not present and is listed in ``ties``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

INTENSITIES = ("A", "B", "C", "D", "E")


def unit_codes(field: Mapping[str, Any]) -> list[str]:
    return [u["code"] for u in field.get("units", []) if isinstance(u, Mapping) and "code" in u]


def present(value: Any, code: str) -> bool:
    return isinstance(value, Mapping) and code in value and value[code] not in (None, False)


def aggregate_facs(field: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    n = len(values)
    units: dict[str, Any] = {}
    votes: dict[str, int] = {}
    ties: list[str] = []
    for code in unit_codes(field):
        marks = [v[code] for v in values.values() if present(v, code)]
        if marks:
            votes[code] = len(marks)
        if 2 * len(marks) == n and n:
            ties.append(code)
        if 2 * len(marks) <= n:
            continue
        letters = sorted(m for m in marks if m in INTENSITIES)
        units[code] = letters[(len(letters) - 1) // 2] if letters else True
    return {"units": units, "votes": votes, "ties": ties, "n_annotators": n}


FACS_METHOD = (
    "per unit: present when marked by more than half of the annotators; intensity = lower median "
    "of the letters A-E given by those who marked it"
)
