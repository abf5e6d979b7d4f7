"""Dimensional ratings: the mean and the median of each named rating over the item's annotators."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


def rating_names(field: Mapping[str, Any]) -> list[str]:
    return [r["name"] for r in field.get("ratings", []) if isinstance(r, Mapping) and "name" in r]


def rating_scale(field: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The rating's declaration (min, max, step, labels)."""
    for rating in field.get("ratings", []):
        if isinstance(rating, Mapping) and rating.get("name") == name:
            return rating
    return {}


def numbers(values: Mapping[str, Any], name: str) -> list[float]:
    """Every annotator's number for one rating (annotators who left it out are skipped)."""
    out = []
    for value in values.values():
        number = value.get(name) if isinstance(value, Mapping) else None
        if isinstance(number, int | float) and not isinstance(number, bool) and np.isfinite(number):
            out.append(float(number))
    return out


def aggregate_dimensional(field: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """{"mean": {rating: m}, "median": {rating: med}}; a rating nobody gave is null in both."""
    mean: dict[str, float | None] = {}
    median: dict[str, float | None] = {}
    for name in rating_names(field):
        found = numbers(values, name)
        mean[name] = float(np.mean(found)) if found else None
        median[name] = float(np.median(found)) if found else None
    return {"mean": mean, "median": median}
