"""Categorical fields: majority vote (hard), per-class majority (multi), mean distribution (soft).

Every annotator's label also enters as a distribution over the field's classes (a hard label is
one-hot, a multi label spreads evenly over its chosen classes, a soft label is itself), and the mean of
those is the item's soft label, reported for every mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from releases.aggregation.options import AggregationOptions


def class_ids(field: Mapping[str, Any]) -> list[str]:
    """The field's class ids in schema order (the order every table and distribution uses)."""
    return [c["id"] if isinstance(c, Mapping) else str(c) for c in field.get("classes", [])]


def as_distribution(value: Any, classes: Sequence[str]) -> np.ndarray | None:
    """One annotator's label as probabilities over ``classes``; None when it names no known class."""
    return _normalised(_weights(value, {c: i for i, c in enumerate(classes)}, len(classes)))


def _normalised(weights: list[float]) -> np.ndarray | None:
    out = np.array(weights, dtype=float)
    total = out.sum()
    return out / total if total > 0 else None


def _weights(value: Any, index: Mapping[str, int], k: int) -> list[float]:
    """The label's unnormalised weight per class (all 0 when it names no known class).

    Plain Python floats take the same additions as a numpy row would, without a numpy call per label.
    """
    out = [0.0] * k
    if not isinstance(value, Mapping):
        return out
    distribution = value.get("distribution")
    if isinstance(distribution, Mapping):
        for cls, p in distribution.items():
            if cls in index and isinstance(p, int | float):
                out[index[cls]] += float(p)
    elif isinstance(value.get("classes"), list):
        chosen = [index[c] for c in value["classes"] if c in index]
        for i in chosen:
            out[i] += 1.0 / len(chosen)
    elif value.get("class") in index:
        out[index[value["class"]]] = 1.0
    return out


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


def aggregate_soft_items(
    field: Mapping[str, Any], per_item: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """``aggregate_soft`` for many items at once (one value per item, in order)."""
    return [{"distribution": d} for d in mean_distributions(per_item, class_ids(field))]


def mean_distribution(values: Mapping[str, Any], classes: Sequence[str]) -> dict[str, float]:
    """The mean of the annotators' distributions (annotators without a usable label are left out)."""
    index = {c: i for i, c in enumerate(classes)}
    labels = (_normalised(_weights(v, index, len(classes))) for v in values.values())
    rows = [d for d in labels if d is not None]
    if not rows:
        return {}
    mean = np.mean(rows, axis=0)
    return {c: round(float(p), 12) for c, p in zip(classes, mean, strict=True)}


def mean_distributions(
    per_item: Iterable[Mapping[str, Any]], classes: Sequence[str]
) -> list[dict[str, float]]:
    """``mean_distribution`` of every item, normalising and averaging all labels in whole-array steps.

    Per-label numpy calls dominated the soft consensus of a large release. Every label becomes one row
    of a single table, normalised by its own sum; items with the same number of usable labels are
    stacked and averaged along that axis, which gives the same floats as averaging item by item.
    """
    index = {c: i for i, c in enumerate(classes)}
    owners: list[int] = []
    rows: list[list[float]] = []
    n_items = 0
    for n_items, values in enumerate(per_item, start=1):
        for value in values.values():
            rows.append(_weights(value, index, len(classes)))
            owners.append(n_items - 1)
    out: list[dict[str, float]] = [{} for _ in range(n_items)]
    if not rows:
        return out
    table = np.array(rows, dtype=float).reshape(len(rows), len(classes))
    totals = table.sum(axis=1)
    usable = totals > 0
    normalised = table[usable] / totals[usable, None]
    kept = np.asarray(owners)[usable]
    for item, mean in _grouped_means(normalised, kept):
        out[item] = {c: round(p, 12) for c, p in zip(classes, mean, strict=True)}
    return out


def _grouped_means(rows: np.ndarray, owners: np.ndarray) -> Iterator[tuple[int, list[float]]]:
    """(item, mean of its rows) for every item owning rows; ``owners`` is non-decreasing."""
    if owners.size == 0:
        return
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    lengths = np.diff(np.r_[starts, owners.size])
    for length in np.unique(lengths).tolist():
        group = starts[lengths == length]
        stacked = rows[group[:, None] + np.arange(length)]
        yield from zip(owners[group].tolist(), np.mean(stacked, axis=1).tolist(), strict=True)
