"""Tracks as Parquet files in storage: written once per job, read back by time window."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.services.local_files import local_copy, store_file, work_dir

from ..models import Track
from ..prelabelers.base import TrackOutput

ROW_GROUP_ROWS = 10_000  # small enough that a window read skips most of an hour-long file


class TrackUnreadable(Exception):
    """The track's Parquet file is missing or damaged."""


def table_from_output(output: TrackOutput) -> pa.Table:
    arrays = {}
    for name, values in output.columns.items():
        type_name = output.types.get(name)
        arrays[name] = pa.array(values, type=pa.type_for_alias(type_name) if type_name else None)
    if "time" not in arrays:
        raise ValueError(f"track {output.kind} has no time column")
    return pa.table(arrays)


def track_file_write(*, key: str, table: pa.Table) -> str:
    with work_dir() as tmp:
        path = Path(tmp) / "track.parquet"
        pq.write_table(table, path, row_group_size=ROW_GROUP_ROWS, compression="zstd")
        return store_file(key, path)


def columns_of(table: pa.Table) -> list[dict[str, str]]:
    return [{"name": field.name, "type": str(field.type)} for field in table.schema]


@dataclass
class Window:
    rows: list[dict[str, Any]]
    total_rows: int
    stride: int


def track_window_read(*, track: Track, start: float | None, end: float | None, max_points: int) -> Window:
    """Rows with start <= time < end, thinned to at most ``max_points`` by keeping every k-th row.

    Thinning keeps real rows (a face box stays a box) rather than averaging them; the reply says
    the stride so a client knows what it sees.
    """
    filters = []
    if start is not None:
        filters.append(("time", ">=", start))
    if end is not None:
        filters.append(("time", "<", end))
    table = _read(track.storage_key, filters or None)
    total = table.num_rows
    stride = max(1, -(-total // max_points)) if max_points > 0 else 1
    if stride > 1:
        table = table.take(pa.array(range(0, total, stride)))
    return Window(rows=table.to_pylist(), total_rows=total, stride=stride)


def track_table_read(*, track: Track) -> pa.Table:
    return _read(track.storage_key, None)


def _read(key: str, filters: list | None) -> pa.Table:
    try:
        with local_copy(key) as path:
            return pq.read_table(path, filters=filters)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise TrackUnreadable(
            "The track's data file is missing or damaged and cannot be read; run the pre-labeler again "
            f"with new parameters or ask an operator to restore it ({type(exc).__name__})."
        ) from exc
