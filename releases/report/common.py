"""Pieces every field's section of the report shares: result dicts, per-item rows, confusion counts."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from releases.agreement import AgreementResult, RatingMatrix, annotator_leave_one_out, item_ambiguity
from releases.agreement.results import undefined

NO_LABELS = "no annotations were given for this field"


@dataclass
class FieldStats:
    """What one field contributes to the report (see the report JSON shape)."""

    level: str | None
    measures: list[dict[str, Any]] = field(default_factory=list)
    per_annotator: list[dict[str, Any]] = field(default_factory=list)
    per_item: list[dict[str, Any]] = field(default_factory=list)
    confusion: dict[str, Any] | None = None
    trace_overlay: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    seed: int
    n_resamples: int


def as_dict(result: AgreementResult, name: str | None = None) -> dict[str, Any]:
    """The result's JSON form, renamed (e.g. to carry the rating: "icc(2,1) valence")."""
    out = result.to_dict()
    if name:
        out["measure"] = name
    return out


def undefined_dict(measure: str, reason: str) -> dict[str, Any]:
    return undefined(measure, reason).to_dict()


def guarded(measure: str, compute: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Run a computation; a ValueError (bad values in the labels) becomes an undefined measure."""
    try:
        return compute()
    except ValueError as exc:
        return [undefined_dict(measure, f"the labels could not be compared: {exc}")]


def per_annotator_rows(
    matrix: pd.DataFrame | RatingMatrix,
    *,
    level: str,
    categories: Sequence[Hashable] | None,
    seed: int,
    suffix: str = "",
) -> list[dict[str, Any]]:
    """Leave-one-out alpha per annotator: agreement with the consensus of the rest, and alpha without them."""
    if _n_items(matrix) == 0:
        return [
            _annotator_row(str(a), 0, None, NO_LABELS, f"krippendorff_alpha_{level}_versus_rest{suffix}")
            for a in _annotators(matrix)
        ]
    report = annotator_leave_one_out(matrix, level=level, categories=categories, n_resamples=0, seed=seed)
    rows = []
    for entry in report.annotators:
        versus = entry.versus_rest
        row = _annotator_row(
            str(entry.annotator),
            entry.n_items,
            versus.value,
            versus.undefined_reason,
            versus.measure + suffix,
        )
        row["alpha_without"] = entry.without.value
        row["alpha_without_undefined_reason"] = entry.without.undefined_reason
        row["change_without"] = entry.change_without
        rows.append(row)
    return rows


def _annotator_row(annotator: str, n: int, value: float | None, reason: str | None, measure: str) -> dict:
    return {
        "annotator": annotator,
        "n_items": n,
        "value": value,
        "undefined_reason": reason,
        "measure": measure,
    }


def _n_items(matrix: pd.DataFrame | RatingMatrix) -> int:
    return matrix.n_items if isinstance(matrix, RatingMatrix) else matrix.shape[0]


def _annotators(matrix: pd.DataFrame | RatingMatrix) -> list[Hashable]:
    return list(matrix.annotators if isinstance(matrix, RatingMatrix) else matrix.columns)


def ambiguity_rows(
    matrix: pd.DataFrame | RatingMatrix, *, level: str, categories: Sequence[Hashable] | None
) -> dict[str, float | None]:
    """item_id -> relative disagreement (item D_o / field D_e); None where it is undefined."""
    if _n_items(matrix) == 0:
        return {}
    table = item_ambiguity(matrix, level=level, categories=categories)
    out: dict[str, float | None] = {}
    for item, value in zip(table.index, table["relative_disagreement"], strict=True):
        out[str(item)] = None if pd.isna(value) else float(value)
    if table["relative_disagreement"].isna().all():
        for item, value in zip(table.index, table["disagreement"], strict=True):  # all-agree fields: 0
            out[str(item)] = None if pd.isna(value) else float(value)
    return out


def per_item_list(ambiguity: dict[str, float | None], counts: dict[str, int]) -> list[dict[str, Any]]:
    """Every labeled item, most ambiguous first; undefined ambiguity last, then by item id."""
    rows = [
        {"item_id": item, "ambiguity": _finite(ambiguity.get(item)), "n_annotations": int(n)}
        for item, n in counts.items()
    ]
    return sorted(rows, key=lambda r: (r["ambiguity"] is None, -(r["ambiguity"] or 0.0), r["item_id"]))


def _finite(value: float | None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return float(value)


def mean_over(values: Sequence[float | None]) -> float | None:
    finite = [v for v in values if v is not None and np.isfinite(v)]
    return float(np.mean(finite)) if finite else None


def mean_over_items(grouped: Mapping[str, Sequence[float | None]]) -> dict[str, float | None]:
    """``mean_over`` of every item's values, with one numpy reduction per distinct count of values.

    A numpy call per item cost more than the report's arithmetic; rows of equal length reduced along
    a stacked table give the same floats as reducing each list on its own.
    """
    finite = {
        item: [v for v in values if v is not None and np.isfinite(v)] for item, values in grouped.items()
    }
    out: dict[str, float | None] = dict.fromkeys(finite)
    by_length: dict[int, list[str]] = {}
    for item, values in finite.items():
        if values:
            by_length.setdefault(len(values), []).append(item)
    for items in by_length.values():
        means = np.mean(np.array([finite[item] for item in items], dtype=float), axis=1).tolist()
        out.update(zip(items, means, strict=True))
    return out


def confusion_from_codes(codes: np.ndarray, weights: np.ndarray, classes: Sequence[str]) -> dict | None:
    """Pooled pairwise counts: every ordered pair of two annotators' labels of one item (symmetric).

    ``codes`` are items (or frames) x annotators class codes, NaN where unlabeled; each row counts
    ``weights`` times.
    """
    k = len(classes)
    matrix = np.zeros((k, k), dtype=np.int64)
    for a in range(codes.shape[1]):
        for b in range(codes.shape[1]):
            if a == b:
                continue
            both = ~np.isnan(codes[:, a]) & ~np.isnan(codes[:, b])
            flat = codes[both, a].astype(np.int64) * k + codes[both, b].astype(np.int64)
            matrix += np.bincount(flat, weights=weights[both], minlength=k * k).astype(np.int64).reshape(k, k)
    if not matrix.any():
        return None
    return {"classes": [str(c) for c in classes], "matrix": matrix.tolist(), "pairs": "ordered"}
