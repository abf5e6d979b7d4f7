"""Dawid-Skene (1979) consensus for hard categorical labels, through crowd-kit.

EM over per-annotator confusion matrices, started from majority vote. crowd-kit's implementation draws
no random numbers, so the result depends only on its input; rows are sorted by item and annotator
first so that the same labels always give the same consensus. An item whose posterior has two classes
within 1e-9 of each other is flagged as a tie, with the same rule as majority vote.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from releases.aggregation.categorical import hard_class
from releases.aggregation.options import AggregationOptions

N_ITER = 100
TOLERANCE = 1e-5
METHOD = f"Dawid-Skene EM (crowd-kit DawidSkene, {N_ITER} iterations, tol {TOLERANCE:g}, majority-vote start)"


def dawid_skene_posteriors(per_item: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """item_id -> {class: posterior probability} for every item with at least one hard label."""
    rows = [
        {"task": item, "worker": annotator, "label": hard_class(value)}
        for item, values in sorted(per_item.items())
        for annotator, value in sorted(values.items())
        if hard_class(value) is not None
    ]
    if not rows:
        return {}
    frame = pd.DataFrame(rows)
    if frame["label"].nunique() < 2:
        only = frame["label"].iloc[0]
        return {item: {only: 1.0} for item in frame["task"].unique()}
    from crowdkit.aggregation import DawidSkene  # seconds to import; only releases that ask for it pay

    model = DawidSkene(n_iter=N_ITER, tol=TOLERANCE)
    proba = model.fit_predict_proba(frame)
    return {
        str(item): {str(c): float(p) for c, p in row.items() if p == p}
        for item, row in proba.sort_index().iterrows()
    }


def dawid_skene_value(
    posterior: Mapping[str, float], votes: Mapping[str, int], options: AggregationOptions
) -> dict[str, Any]:
    """The aggregated value of one item: the most probable class, its posterior and the raw votes."""
    if not posterior:
        return {"class": None, "tie": False, "votes": dict(votes), "posterior": {}}
    top = max(posterior.values())
    tied = sorted(c for c, p in posterior.items() if top - p <= 1e-9)
    tie = len(tied) > 1
    winner = tied[0] if not tie or options.tie_break == "flag" else None
    return {
        "class": winner,
        "tie": tie,
        "votes": dict(votes),
        "posterior": {c: round(p, 12) for c, p in sorted(posterior.items())},
    }
