"""Categorical fields: majority vote (hard), per-class majority (multi), mean distribution (soft).

Every annotator's label also enters as a distribution over the field's classes (a hard label is
one-hot, a multi label spreads evenly over its chosen classes, a soft label is itself), and the mean of
those is the item's soft label, reported for every mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from releases.aggregation.options import AggregationOptions


def class_ids(field: Mapping[str, Any]) -> list[str]:
    """The field's class ids in schema order (the order every table and distribution uses)."""
    return [c["id"] if isinstance(c, Mapping) else str(c) for c in field.get("classes", [])]


def as_distribution(value: Any, classes: Sequence[str]) -> np.ndarray | None:
    """One annotator's label as probabilities over ``classes``; None when it names no known class."""
    out = np.zeros(len(classes))
    index = {c: i for i, c in enumerate(classes)}
    if isinstance(value, Mapping) and isinstance(value.get("distribution"), Mapping):
        for cls, p in value["distribution"].items():
            if cls in index and isinstance(p, int | float):
                out[index[cls]] += float(p)
    elif isinstance(value, Mapping) and isinstance(value.get("classes"), list):
        chosen = [index[c] for c in value["classes"] if c in index]
        for i in chosen:
            out[i] += 1.0 / len(chosen)
    elif isinstance(value, Mapping) and value.get("class") in index:
        out[index[value["class"]]] = 1.0
    total = out.sum()
    return out / total if total > 0 else None


def hard_class(value: Any) -> str | None:
    """The class of a hard label, None for anything else."""
    if isinstance(value, Mapping) and isinstance(value.get("class"), str):
        return value["class"]
    return None


def vote(votes: Mapping[str, int], options: AggregationOptions) -> tuple[str | None, bool]:
    """(winner, tie): the most-voted class; a tie keeps the alphabetically-first tied class (flagged)."""
    if not votes:
        return None, False
    top = max(votes.values())
    tied = sorted(c for c, n in votes.items() if n == top)
    if len(tied) == 1:
        return tied[0], False
    return (tied[0] if options.tie_break == "flag" else None), True


def aggregate_hard(
    field: Mapping[str, Any], values: Mapping[str, Any], options: AggregationOptions
) -> dict[str, Any]:
    classes = class_ids(field)
    chosen = [hard_class(v) for v in values.values()]
    votes = {c: chosen.count(c) for c in classes if c in chosen}
    winner, tie = vote(votes, options)
    return {"class": winner, "tie": tie, "votes": votes, "distribution": mean_distribution(values, classes)}


def aggregate_multi(
    field: Mapping[str, Any], values: Mapping[str, Any], options: AggregationOptions
) -> dict[str, Any]:
    """A class is chosen when more than half of the item's annotators chose it.

    A class chosen by exactly half is not chosen, and the item is flagged with ``"tie": true`` and the
    class listed in ``tied_classes`` (``tie_break`` does not change this: half is not a majority).
    """
    classes = class_ids(field)
    n = len(values)
    votes = {c: 0 for c in classes}
    for value in values.values():
        chosen = value.get("classes", []) if isinstance(value, Mapping) else []
        for c in set(chosen):
            if c in votes:
                votes[c] += 1
    tied = [c for c in classes if n and 2 * votes[c] == n]
    winners = [c for c in classes if 2 * votes[c] > n]
    return {
        "classes": winners,
        "tie": bool(tied),
        "tied_classes": tied,
        "votes": {c: v for c, v in votes.items() if v},
        "distribution": mean_distribution(values, classes),
    }


def aggregate_soft(field: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    return {"distribution": mean_distribution(values, class_ids(field))}


def mean_distribution(values: Mapping[str, Any], classes: Sequence[str]) -> dict[str, float]:
    """The mean of the annotators' distributions (annotators without a usable label are left out)."""
    rows = [d for d in (as_distribution(v, classes) for v in values.values()) if d is not None]
    if not rows:
        return {}
    mean = np.mean(rows, axis=0)
    return {c: round(float(p), 12) for c, p in zip(classes, mean, strict=True)}
