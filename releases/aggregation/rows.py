"""The raw-labels rows one statistic sees: one value per (item, annotator), the latest revision.

The snapshot may hold several revisions of one annotator's label (re-submissions); only the highest
``revision`` counts. Rows whose value is missing (an assignment opened but never answered) are dropped
here, so every consumer treats "no value" the same way: the annotator did not label that item.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

COLUMNS = ["item_id", "annotator", "value"]
RESULT_COLUMNS = ["item_id", "value", "method", "n_annotations"]


def latest_values(labels: pd.DataFrame) -> pd.DataFrame:
    """``item_id``, ``annotator``, ``value`` (+ the other columns) sorted by item then annotator."""
    if labels is None or labels.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = labels.copy()
    frame["item_id"] = frame["item_id"].astype(str)
    frame["annotator"] = frame["annotator"].astype(str)
    frame = frame.loc[frame["value"].map(_has_value).astype(bool).to_numpy()]
    if "revision" in frame.columns:
        frame = frame.sort_values(["item_id", "annotator", "revision"], kind="stable")
    frame = frame.drop_duplicates(subset=["item_id", "annotator"], keep="last")
    return frame.sort_values(["item_id", "annotator"], kind="stable").reset_index(drop=True)


def _has_value(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, dict | list | str | np.ndarray):  # containers (a trace's samples) are values
        return True
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and dicts are values
        return True


def by_item(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """item_id -> {annotator: value}, in sorted order."""
    out: dict[str, dict[str, Any]] = {}
    for item_id, annotator, value in zip(frame["item_id"], frame["annotator"], frame["value"], strict=True):
        out.setdefault(item_id, {})[annotator] = value
    return out


def result_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The aggregate_field result: one row per item_id, sorted."""
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    if frame.empty:
        return frame.astype({"item_id": str, "method": str, "n_annotations": int})
    frame["n_annotations"] = frame["n_annotations"].astype(int)
    return frame.sort_values("item_id", kind="stable").reset_index(drop=True)


def clean_number(value: float) -> float | None:
    """A JSON-safe float: NaN and infinity become None."""
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None
