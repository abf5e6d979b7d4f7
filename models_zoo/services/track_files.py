"""Tracks as Parquet files in storage: written once per job, read back by time window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.services.local_files import store_file, work_dir
from ingest.services.ranged_files import open_ranged

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


def track_window_read(
    *,
    track: Track,
    start: float | None,
    end: float | None,
    max_points: int,
    columns: Sequence[str] | None = None,
) -> Window:
    """Rows with start <= time < end, thinned to at most ``max_points`` by keeping every k-th row.

    Thinning keeps real rows (a face box stays a box) rather than averaging them; the reply says
    the stride so a client knows what it sees. ``columns`` (``time`` is always added) limits what
    is decoded: a plot of one action unit over an hour then reads two columns of the Parquet file
    instead of twenty, which is most of the cost of a whole-item read.
    """
    filters = []
    if start is not None:
        filters.append(("time", ">=", start))
    if end is not None:
        filters.append(("time", "<", end))
    wanted = None
    if columns is not None:
        wanted = ["time", *(name for name in dict.fromkeys(columns) if name != "time")]
    table = _read(track.storage_key, filters or None, wanted)
    total = table.num_rows
    stride = max(1, -(-total // max_points)) if max_points > 0 else 1
    if stride > 1:
        table = table.take(pa.array(range(0, total, stride)))
    return Window(rows=table.to_pylist(), total_rows=total, stride=stride)


def track_table_read(*, track: Track) -> pa.Table:
    return _read(track.storage_key, None)


def _read(key: str, filters: list | None, columns: list[str] | None = None) -> pa.Table:
    try:
        # Ranged reads: pyarrow fetches the footer and the window's column chunks, not the whole file.
        # Its reads are already planned and coalesced, so a read-ahead would only fetch bytes it skips.
        with open_ranged(key, read_ahead=0) as handle:
            return pq.read_table(handle, columns=columns, filters=filters)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise TrackUnreadable(
            "The track's data file is missing or damaged and cannot be read; run the pre-labeler again "
            f"with new parameters or ask an operator to restore it ({type(exc).__name__})."
        ) from exc
