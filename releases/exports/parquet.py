"""``parquet/``: per-split item tables and the long label table, loadable by HF ``datasets``.

``parquet/{train,validation,test}.parquet`` hold one row per item: its fields, ``split``, one
``label_<field>`` column per schema field (the aggregated value as JSON text) and ``raw_labels``
(every annotator's values as JSON text). ``parquet/labels.parquet`` is the long table of
``labels.csv``. Nested values are JSON text so every field kind fits one column type;
``datasets.load_dataset("parquet", data_files={"train": ".../train.parquet", ...})`` reads them.
Splits without items get no file. Explicit Arrow schemas (no pandas metadata) keep the bytes
the same for the same inputs.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .bundle import ReleaseBundle
from .common import canonical_json
from .jsonl import item_records

SPLITS = ("train", "validation", "test")
ITEM_SCHEMA = [
    ("item_id", pa.string()), ("split", pa.string()), ("kind", pa.string()),
    ("duration_seconds", pa.float64()), ("subject", pa.string()), ("speaker", pa.string()),
    ("dialogue_id", pa.string()), ("turn", pa.int64()), ("sha256", pa.string()),
    ("original_name", pa.string()), ("text", pa.string()), ("metadata", pa.string()),
]  # fmt: skip
LABEL_SCHEMA = pa.schema(
    [("item_id", pa.string()), ("annotator", pa.string()), ("field", pa.string()), ("kind", pa.string()),
     ("value", pa.string())]
)  # fmt: skip


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=50_000, store_schema=False)


def write_parquet(bundle: ReleaseBundle, out_dir: Path, raw: dict[str, str]) -> None:
    fields = [field["name"] for field in bundle.snapshot.definition.get("fields", [])]
    aggregated = bundle.aggregated_json_by_item()
    schema = pa.schema(
        ITEM_SCHEMA + [(f"label_{name}", pa.string()) for name in fields] + [("raw_labels", pa.string())]
    )
    rows: dict[str, list[dict]] = {split: [] for split in SPLITS}
    for record in item_records(bundle):
        item_id = record["item_id"]
        split = bundle.splits.get(item_id, "train")
        labels = aggregated.get(item_id, {})
        row = {**record, "split": split, "metadata": canonical_json(record["metadata"]),
               "raw_labels": raw.get(item_id, "{}")}  # fmt: skip
        for name in fields:
            row[f"label_{name}"] = labels.get(name)
        rows.setdefault(split, []).append(row)
    for split, split_rows in sorted(rows.items()):
        if split_rows:
            _write(pa.Table.from_pylist(split_rows, schema=schema), out_dir / "parquet" / f"{split}.parquet")
    labels = bundle.snapshot.labels
    table = pa.table(
        {
            "item_id": labels["item_id"].tolist(),
            "annotator": labels["annotator"].tolist(),
            "field": labels["field"].tolist(),
            "kind": labels["kind"].tolist(),
            "value": labels["value_json"].tolist(),
        },  # fmt: skip
        schema=LABEL_SCHEMA,
    )
    _write(table, out_dir / "parquet" / "labels.parquet")
