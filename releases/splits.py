"""Train / validation / test splits that never put one subject (or speaker) in two splits.

Items are grouped by ``subject``, falling back to ``speaker``, then to the item itself. Whole groups
are assigned greedily, largest first (groups of equal size in an order shuffled by ``seed``): each
goes to the split where it leaves the smallest squared gap between the splits' item counts and their
targets (ratio x items), and between their per-label counts and per-label targets (ratio x items with
that label). The label of an item is the majority class of ``stratify_field`` (ties: alphabetically
first; items without one form their own stratum), so splits keep the label mix where the groups allow.

Small inputs: with fewer groups than splits nothing can be spread thinly, so after the greedy pass an
empty split with a non-zero ratio takes the smallest group of the largest split, filling test first and
then validation, as long as train keeps one group: 1 group -> train; 2 groups -> train and test;
3 or more -> every split with a non-zero ratio gets at least one group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from releases.aggregation.categorical import hard_class
from releases.aggregation.rows import latest_values

SPLITS = ("train", "validation", "test")
NO_LABEL = "__none__"


def assign_splits(
    items: pd.DataFrame,
    *,
    labels: pd.DataFrame | None = None,
    stratify_field: str | None = None,
    ratios: Sequence[float] = (0.8, 0.1, 0.1),
    seed: int = 0,
) -> dict[str, str]:
    """item_id -> "train" | "validation" | "test" (see the module docstring for the rule)."""
    shares = _ratios(ratios)
    if items is None or items.empty:
        return {}
    ids = items["item_id"].astype(str).tolist()
    groups = _groups(items)
    strata = _strata(ids, labels, stratify_field)
    members: dict[Hashable, list[str]] = {}
    for item_id, group in zip(ids, groups, strict=True):
        members.setdefault(group, []).append(item_id)
    order = _order(members, seed)
    assignment = _greedy(order, members, strata, shares)
    _fill_empty(assignment, members, shares)
    return {item_id: assignment[group] for item_id, group in zip(ids, groups, strict=True)}


def _ratios(ratios: Sequence[float]) -> np.ndarray:
    shares = np.asarray(ratios, dtype=float)
    if shares.shape != (3,) or (shares < 0).any() or not np.isfinite(shares).all() or shares.sum() <= 0:
        raise ValueError(
            "ratios must be three non-negative numbers (train, validation, test) with a positive sum"
        )
    return shares / shares.sum()


def _groups(items: pd.DataFrame) -> list[Hashable]:
    """The subject, else the speaker, else the item itself (each kind of key in its own namespace)."""
    out: list[Hashable] = []
    for _, row in items.iterrows():
        subject, speaker = row.get("subject"), row.get("speaker")
        if _present(subject):
            out.append(("subject", str(subject)))
        elif _present(speaker):
            out.append(("speaker", str(speaker)))
        else:
            out.append(("item", str(row["item_id"])))
    return out


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and str(value) != ""


def _strata(ids: list[str], labels: pd.DataFrame | None, field: str | None) -> dict[str, str]:
    if labels is None or field is None or labels.empty:
        return dict.fromkeys(ids, NO_LABEL)
    rows = latest_values(labels[labels["field"] == field])
    chosen: dict[str, Counter] = {}
    for item_id, value in zip(rows["item_id"], rows["value"], strict=True):
        label = _label_of(value)
        if label is not None:
            chosen.setdefault(item_id, Counter())[label] += 1
    out = {}
    for item_id in ids:
        votes = chosen.get(item_id)
        if not votes:
            out[item_id] = NO_LABEL
            continue
        top = max(votes.values())
        out[item_id] = sorted(c for c, n in votes.items() if n == top)[0]
    return out


def _label_of(value: Any) -> str | None:
    """A hard label's class, or a soft label's most probable class (first alphabetically on ties)."""
    label = hard_class(value)
    if label is not None:
        return label
    if isinstance(value, dict) and isinstance(value.get("distribution"), dict) and value["distribution"]:
        dist = value["distribution"]
        top = max(dist.values())
        return sorted(c for c, p in dist.items() if p == top)[0]
    return None


def _order(members: dict[Hashable, list[str]], seed: int) -> list[Hashable]:
    keys = sorted(members, key=repr)
    shuffled = [keys[i] for i in np.random.default_rng(seed).permutation(len(keys))]
    return sorted(shuffled, key=lambda g: -len(members[g]))  # stable: equal sizes keep the shuffle


def _greedy(
    order: list[Hashable], members: dict[Hashable, list[str]], strata: dict[str, str], shares: np.ndarray
) -> dict[Hashable, str]:
    labels = sorted(set(strata.values()))
    index = {label: i for i, label in enumerate(labels)}
    totals = np.zeros(len(labels))
    for label in strata.values():
        totals[index[label]] += 1
    targets = shares[:, None] * totals[None, :]  # splits x labels
    counts = np.zeros_like(targets)
    assignment: dict[Hashable, str] = {}
    for group in order:
        mix = np.zeros(len(labels))
        for item_id in members[group]:
            mix[index[strata[item_id]]] += 1
        costs = []
        for s in range(len(SPLITS)):
            after = counts.copy()
            after[s] += mix
            sizes = after.sum(axis=1)
            costs.append(((after - targets) ** 2).sum() + ((sizes - targets.sum(axis=1)) ** 2).sum())
        best = int(np.argmin(costs))  # ties: the earlier split (train, then validation, then test)
        counts[best] += mix
        assignment[group] = SPLITS[best]
    return assignment


def _fill_empty(
    assignment: dict[Hashable, str], members: dict[Hashable, list[str]], shares: np.ndarray
) -> None:
    """Give an empty split (test first, then validation) the smallest group of the split with most groups."""
    for split in ("test", "validation"):
        if shares[SPLITS.index(split)] == 0 or split in assignment.values():
            continue
        groups_per_split = Counter(assignment.values())
        donor = max(
            (s for s in SPLITS if groups_per_split[s] > 1),
            key=lambda s: (groups_per_split[s], -SPLITS.index(s)),
            default=None,
        )
        if donor is None:
            return
        candidates = sorted(
            (g for g, s in assignment.items() if s == donor), key=lambda g: (len(members[g]), repr(g))
        )
        assignment[candidates[0]] = split
