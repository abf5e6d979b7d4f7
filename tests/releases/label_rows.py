"""Builders for raw-labels rows (contracts §1) shared by the aggregation, report and quality tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

COLUMNS = ["item_id", "annotator", "field", "kind", "value", "schema_version", "revision", "state"]


def label_rows(
    field: str, kind: str, values: dict[tuple[Any, str], Any], *, schema_version: int = 1
) -> list[dict]:
    """{(item, annotator): value} -> raw-labels rows of one field."""
    return [
        {
            "item_id": str(item),
            "annotator": annotator,
            "field": field,
            "kind": kind,
            "value": value,
            "schema_version": schema_version,
            "revision": 1,
            "state": "submitted",
        }
        for (item, annotator), value in values.items()
    ]


def frame(*row_lists: list[dict]) -> pd.DataFrame:
    rows = [row for rows in row_lists for row in rows]
    return pd.DataFrame(rows, columns=COLUMNS)


def items_frame(ids, *, duration: float | None = None, subjects=None, speakers=None) -> pd.DataFrame:
    ids = [str(i) for i in ids]
    return pd.DataFrame(
        {
            "item_id": ids,
            "kind": ["video"] * len(ids),
            "duration_seconds": [duration] * len(ids),
            "subject": subjects if subjects is not None else [None] * len(ids),
            "speaker": speakers if speakers is not None else [None] * len(ids),
        }
    )
