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

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from releases.aggregation.traces import dimension_names, trace_samples

from ..services.trace_values import consensus_file, trace_file
from .bundle import ReleaseBundle

ROW_GROUP = 1024
BATCH_SAMPLES = 4_000_000  # per column: a row group of hour-long traces stays a few tens of MB


def write_traces(bundle: ReleaseBundle, out_dir: Path) -> None:
    labels = bundle.snapshot.labels
    for field in bundle.snapshot.definition.get("fields", []):
        if field.get("kind") != "trace":
            continue
        name, dims = field["name"], dimension_names(field)
        rows = labels[labels["field"] == name] if len(labels) else labels.iloc[0:0]
        raw = _raw_batches(rows["item_id"].tolist(), rows["annotator"].tolist(), rows["value"].tolist(), dims)
        _write(raw, _raw_schema(dims), out_dir / trace_file(name))
        frame = bundle.aggregated.get(name)
        consensus = _consensus_batches(frame if frame is not None else pd.DataFrame(), dims)
        _write(consensus, _consensus_schema(dims), out_dir / consensus_file(name))


def _write(batches: Iterator[pa.Table], schema: pa.Schema, path: Path) -> None:
    """One row group per batch, so no more than ROW_GROUP rows of samples are copied at a time.

    A whole field's column of samples as one Arrow array would be a copy of every trace of the
    release (gigabytes at 100,000 items) held beside the snapshot while the file is written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, schema, compression="zstd", store_schema=False) as writer:
        for table in batches:
            writer.write_table(table, row_group_size=ROW_GROUP)


def _raw_schema(dims: list[str]) -> pa.Schema:
    lists = [pa.field(name, pa.list_(pa.float64())) for name in ["time", *dims]]
    return pa.schema([pa.field("item_id", pa.string()), pa.field("annotator", pa.string()), *lists])


def _consensus_schema(dims: list[str]) -> pa.Schema:
    lists = [pa.field(f"{kind}_{dim}", pa.list_(pa.float64())) for kind in ("mean", "ewe") for dim in dims]
    head = [pa.field("item_id", pa.string()), pa.field("n_annotations", pa.int64())]
    return pa.schema([*head, pa.field("time", pa.list_(pa.float64())), *lists])


def _raw_batches(items: list, annotators: list, values: list, dims: list[str]) -> Iterator[pa.Table]:
    schema = _raw_schema(dims)
    for start, stop in _ranges([_length(v) for v in values]):
        chunk = values[start:stop]
        columns = [
            pa.array(items[start:stop], pa.string()),
            pa.array(annotators[start:stop], pa.string()),
            float_lists(trace_samples(v, 0)[0] for v in chunk),
            *(float_lists(trace_samples(v, index)[1] for v in chunk) for index in range(len(dims))),
        ]
        yield pa.Table.from_arrays(columns, schema=schema)


def _consensus_batches(frame: pd.DataFrame, dims: list[str]) -> Iterator[pa.Table]:
    schema = _consensus_schema(dims)
    if not len(frame):
        return
    items = [str(i) for i in frame["item_id"]]
    counts = [int(n) for n in frame["n_annotations"]]
    values: Sequence[Any] = frame["value"].tolist()
    for start, stop in _ranges([_length(v.get("times")) if isinstance(v, dict) else 0 for v in values]):
        chunk = values[start:stop]
        columns = [
            pa.array(items[start:stop], pa.string()),
            pa.array(counts[start:stop], pa.int64()),
            float_lists(_part(v, "times", None) for v in chunk),
        ]
        for kind in ("mean", "ewe"):
            for dim in dims:
                key = dim if len(dims) > 1 else None
                columns.append(float_lists(_part(v, kind, key) for v in chunk))
        yield pa.Table.from_arrays(columns, schema=schema)


def _ranges(lengths: list[int]) -> Iterator[tuple[int, int]]:
    """(start, stop) row ranges of at most ROW_GROUP rows and, past the first row, BATCH_SAMPLES samples."""
    start, samples = 0, 0
    for row, length in enumerate(lengths):
        if row > start and (row - start == ROW_GROUP or samples + length > BATCH_SAMPLES):
            yield start, row
            start, samples = row, 0
        samples += length
    if start < len(lengths):
        yield start, len(lengths)


def _length(value: Any) -> int:
    return len(value) if isinstance(value, list | np.ndarray) else 0


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
    """A list<double> column from one array per row, NaN written as null, built from one flat buffer.

    Callers pass at most BATCH_SAMPLES samples past a first row, so the 32-bit offsets of the
    file's ``list<double>`` columns suffice; a single trace beyond them is refused, not wrapped.
    """
    arrays = [np.asarray(s, dtype=float).ravel() for s in series]
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([a.size for a in arrays], out=offsets[1:])
    if offsets[-1] >= 2**31:
        raise ValueError(f"{offsets[-1]} samples in one row group: more than a Parquet list column holds")
    flat = np.concatenate(arrays) if arrays else np.empty(0)
    values = pa.array(flat, type=pa.float64(), from_pandas=True)  # NaN -> null
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32), pa.int32()), values)
