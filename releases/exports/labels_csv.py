"""``labels.csv``: the raw labels as one flat long table (item_id, annotator, field, value as JSON)."""

from __future__ import annotations

import csv
from pathlib import Path

from .bundle import ReleaseBundle

HEADER = ("item_id", "annotator", "field", "value")


def write_labels_csv(bundle: ReleaseBundle, out_dir: Path) -> None:
    labels = bundle.snapshot.labels
    with open(out_dir / "labels.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(
            zip(labels["item_id"], labels["annotator"], labels["field"], labels["value_json"], strict=True)
        )
