"""``traces/<field>.parquet`` and ``traces/<field>.consensus.parquet``: every trace, stored once.

The raw file has one row per (item, annotator): ``item_id``, ``annotator``, ``time`` and one column
per dimension of the field, each a list of float64 exactly as annotated (not resampled). The
consensus file has one row per item: ``item_id``, ``n_annotations``, ``time`` (the common grid the
annotations were resampled to) and ``mean_<dimension>`` / ``ewe_<dimension>`` lists, null where no
annotator covered a frame; lags and EWE weights are in the aggregated label of ``items.jsonl``.
Other tables of the release refer to these files instead of repeating the samples (see
``services/trace_values``). Both load with ``pyarrow.parquet.read_table`` or
``datasets.load_dataset("parquet", ...)``; a trace field without annotations still gets both files,
with no rows, so a reference never points at nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from releases.aggregation.traces import dimension_names, trace_samples

from ..services.trace_values import consensus_file, trace_file
from .bundle import ReleaseBundle

ROW_GROUP = 1024


def write_traces(bundle: ReleaseBundle, out_dir: Path) -> None:
    labels = bundle.snapshot.labels
    for field in bundle.snapshot.definition.get("fields", []):
        if field.get("kind") != "trace":
            continue
        name, dims = field["name"], dimension_names(field)
        rows = labels[labels["field"] == name] if len(labels) else labels
        _write(_raw_table(rows, dims), out_dir / trace_file(name))
        _write(_consensus_table(bundle.aggregated.get(name), dims), out_dir / consensus_file(name))


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP, store_schema=False)


def _raw_table(rows, dims: list[str]) -> pa.Table:
    values = list(rows["value"]) if len(rows) else []
    columns: dict[str, pa.Array] = {
        "item_id": pa.array(list(rows["item_id"]) if len(rows) else [], pa.string()),
        "annotator": pa.array(list(rows["annotator"]) if len(rows) else [], pa.string()),
        "time": float_lists(trace_samples(v, 0)[0] for v in values),
    }
    for index, dim in enumerate(dims):
        columns[dim] = float_lists(trace_samples(v, index)[1] for v in values)
    return pa.table(columns)


def _consensus_table(frame, dims: list[str]) -> pa.Table:
    present = frame is not None and len(frame) > 0
    values: Sequence[Any] = list(frame["value"]) if present else []
    columns: dict[str, pa.Array] = {
        "item_id": pa.array([str(i) for i in frame["item_id"]] if present else [], pa.string()),
        "n_annotations": pa.array([int(n) for n in frame["n_annotations"]] if present else [], pa.int64()),
        "time": float_lists(_part(v, "times", None) for v in values),
    }
    for kind in ("mean", "ewe"):
        for dim in dims:
            columns[f"{kind}_{dim}"] = float_lists(
                _part(v, kind, dim if len(dims) > 1 else None) for v in values
            )
    return pa.table(columns)


def _part(value: Any, key: str, dim: str | None) -> np.ndarray:
    """One series of an aggregated trace value (arrays or lists, None for missing frames)."""
    part = value.get(key) if isinstance(value, dict) else None
    if dim is not None and isinstance(part, dict):
        part = part.get(dim)
    if part is None:
        return np.empty(0)
    if isinstance(part, list):
        part = [np.nan if v is None else v for v in part]
    return np.asarray(part, dtype=float)


def float_lists(series: Iterable[np.ndarray]) -> pa.Array:
    """A list<double> column from one array per row, NaN written as null, built from one flat buffer."""
    arrays = [np.asarray(s, dtype=float).ravel() for s in series]
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([a.size for a in arrays], out=offsets[1:])
    flat = np.concatenate(arrays) if arrays else np.empty(0)
    values = pa.array(flat, type=pa.float64(), from_pandas=True)  # NaN -> null
    if offsets[-1] < 2**31:
        return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32), pa.int32()), values)
    return pa.LargeListArray.from_arrays(pa.array(offsets, pa.int64()), values)
