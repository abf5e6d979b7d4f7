"""``items.csv``: one row per item with its metadata, split and aggregated labels, all flat.

For researchers who open a release in pandas, R or a spreadsheet and do not want to parse JSON. The
columns are, in this order:

* the item's own fields: ``item_id``, ``split``, ``kind``, ``duration_seconds``, ``subject``,
  ``speaker``, ``dialogue_id``, ``turn``, ``sha256``, ``original_name``, ``text``;
* ``meta.<key>`` for every metadata key that holds a scalar (str, int, float, bool) in any item, sorted
  by key; where an item holds a nested value under such a key it is written as canonical JSON text;
* per schema field, in schema order: ``<field>.method``, ``<field>.n_annotations``, then one column per
  leaf of the aggregated value, named by its dotted path (``vad.mean.valence``,
  ``emotion.distribution.happy``). A value that is not a dict is its own leaf, named ``<field>``.

Flattening rules: dicts recurse; None, bool, int, float and str are cells; lists and tuples are
canonical JSON text; numpy scalars are unwrapped and numpy arrays are left out, so a per-frame series
never lands in the table (a trace consensus has its own files, and a trace field's ``times``, ``mean``
and ``ewe`` are left out whatever their type). A field's leaf columns are the union over its items,
sorted, so every row has the same columns; a leaf an item lacks, and every label cell of an item
nobody labeled, is empty.

Cells: None, NaN and infinities are empty; booleans are ``true``/``false``; floats are written with
``repr`` (the shortest text that reads back as the same float). The same bundle always gives the same
bytes.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np

from .bundle import ReleaseBundle
from .common import canonical_json_safe

ITEM_FIELDS = (
    "item_id", "kind", "duration_seconds", "subject", "speaker", "dialogue_id", "turn", "sha256",
    "original_name", "text",
)  # fmt: skip
TRACE_SAMPLE_KEYS = frozenset({"times", "mean", "ewe"})
SCALARS = (str, int, float, bool)


def write_items_csv(bundle: ReleaseBundle, out_dir: Path) -> None:
    """Write ``out_dir / "items.csv"``: one flat row per item, in release order."""
    items = bundle.snapshot.items
    item_ids = [str(item_id) for item_id in items["item_id"]]
    metadata = [value if isinstance(value, dict) else {} for value in items["metadata"]]
    meta_keys = metadata_keys(metadata)
    fields = [f for f in bundle.snapshot.definition.get("fields", []) if f.get("name")]
    labels = {f["name"]: field_cells(bundle, f) for f in fields}
    header = ["item_id", "split", *ITEM_FIELDS[1:], *(f"meta.{key}" for key in meta_keys)]
    for f in fields:
        header.extend(labels[f["name"]][0])
    with open(out_dir / "items.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        own = [items[name].tolist() for name in ITEM_FIELDS[1:]]
        for index, item_id in enumerate(item_ids):
            row = [item_id, cell(bundle.splits.get(item_id))]
            row.extend(cell(column[index]) for column in own)
            row.extend(meta_cell(metadata[index].get(key)) for key in meta_keys)
            for f in fields:
                columns, by_item = labels[f["name"]]
                cells = by_item.get(item_id, {})
                row.extend(cells.get(column, "") for column in columns)
            writer.writerow(row)


def metadata_keys(metadata: list[dict]) -> list[str]:
    """Keys that hold a scalar in at least one item, sorted: keys only ever nested stay in items.jsonl."""
    keys = {str(key) for meta in metadata for key, value in meta.items() if is_scalar(value)}
    return sorted(keys)


def meta_cell(value: Any) -> str:
    if isinstance(value, dict | list | tuple):
        return canonical_json_safe(value)
    return cell(value)


def field_cells(bundle: ReleaseBundle, field: dict) -> tuple[list[str], dict[str, dict[str, str]]]:
    """(the field's columns, item_id -> {column: cell}) for one schema field."""
    name = field["name"]
    frame = bundle.aggregated.get(name)
    skip = TRACE_SAMPLE_KEYS if field.get("kind") == "trace" else frozenset()
    head = [f"{name}.method", f"{name}.n_annotations"]
    by_item: dict[str, dict[str, str]] = {}
    leaves: set[str] = set()
    if frame is not None and len(frame):
        for item_id, value, method, count in zip(
            frame["item_id"], frame["value"], frame["method"], frame["n_annotations"], strict=True
        ):
            cells: dict[str, str] = {}
            if value is not None:
                flatten_into(cells, name, value, skip)
            leaves.update(cells)
            cells.update({head[0]: cell(method), head[1]: cell(count)})
            by_item[str(item_id)] = cells
    return [*head, *sorted(leaves - set(head))], by_item


def flatten_into(cells: dict[str, str], path: str, value: Any, skip: frozenset[str] = frozenset()) -> None:
    """Every leaf of an aggregated value as ``cells[dotted path] = cell``; ``skip`` drops top-level keys.

    Filled in place, one call per nested dict, since a release flattens a value per item and field.
    """
    if isinstance(value, dict):
        for key, item in value.items():
            if str(key) not in skip:
                leaf = f"{path}.{key}"
                kind = type(item)
                if kind is float or kind is str or kind is int:
                    cells[leaf] = cell(item)
                else:
                    flatten_into(cells, leaf, item)
    elif isinstance(value, list | tuple):
        cells[path] = canonical_json_safe(value)
    elif not isinstance(value, np.ndarray):
        cells[path] = cell(value)


def is_scalar(value: Any) -> bool:
    return isinstance(value, (*SCALARS, np.generic))


def cell(value: Any) -> str:
    """One value as CSV text: empty for missing or non-finite, JSON spelling for booleans."""
    kind = type(value)
    if kind is str:
        return value
    if kind is float:
        return repr(value) if math.isfinite(value) else ""
    if kind is int:
        return str(value)
    return _other_cell(value)


def _other_cell(value: Any) -> str:
    """``cell`` for everything but the exact str, float and int that most cells hold."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict | list | tuple):
        return canonical_json_safe(value)
    return str(value)
