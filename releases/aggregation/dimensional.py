"""Dimensional ratings: the mean and the median of each named rating over the item's annotators."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
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
        if isinstance(number, int | float) and not isinstance(number, bool) and _finite(number):
            out.append(float(number))
    return out


def _finite(number: int | float) -> bool:
    """``np.isfinite`` for one Python number, without a ufunc call for the common cases.

    Integers outside the 64-bit range still go to ``np.isfinite``, so they fail as they always did.
    """
    if isinstance(number, float):
        return math.isfinite(number)
    return -(2**63) <= number < 2**64 or bool(np.isfinite(number))


def aggregate_dimensional(field: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """{"mean": {rating: m}, "median": {rating: med}}; a rating nobody gave is null in both."""
    return aggregate_dimensional_items(field, [values])[0]


def aggregate_dimensional_items(
    field: Mapping[str, Any], per_item: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """``aggregate_dimensional`` for many items at once (one value per item, in order).

    A release has thousands of items and two numpy calls per item and rating cost far more than the
    arithmetic; items with the same number of ratings are stacked and reduced along rows, which gives
    the same floats as reducing each item's list on its own.
    """
    items = list(per_item)
    out: list[dict[str, Any]] = [{"mean": {}, "median": {}} for _ in items]
    for name in rating_names(field):
        means, medians = _row_stats([numbers(values, name) for values in items])
        for value, mean, median in zip(out, means, medians, strict=True):
            value["mean"][name] = mean
            value["median"][name] = median
    return out


def _row_stats(rows: list[list[float]]) -> tuple[list[float | None], list[float | None]]:
    """Each row's mean and median (None for an empty row), reduced in groups of equal length."""
    means: list[float | None] = [None] * len(rows)
    medians: list[float | None] = [None] * len(rows)
    by_length: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        if row:
            by_length.setdefault(len(row), []).append(i)
    for positions in by_length.values():
        table = np.array([rows[i] for i in positions], dtype=float)
        for i, mean, median in zip(
            positions, np.mean(table, axis=1).tolist(), np.median(table, axis=1).tolist(), strict=True
        ):
            means[i] = mean
            medians[i] = median
    return means, medians
