"""Bulk import from a manifest (CSV or JSONL): many files or utterances in one request.

Each row names either a ``file`` under the configured import root or a
``text``; every other column is metadata. The whole manifest is parsed first,
so a structural problem (bad encoding, no header, too many rows) refuses it
before anything is stored; after that each row succeeds or fails on its own,
and a failed row leaves nothing behind.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from projects.models import Project

from .assets import AssetResult, EmptyFileError, asset_create_from_path
from .filenames import display_name
from .import_paths import ImportPathError, import_path_resolve, import_path_stage
from .metadata import parse_metadata
from .text_import import (
    ImportRejected,
    ImportReport,
    TurnTracker,
    UtteranceError,
    decode_jsonl_line,
    read_lines,
    text_asset_create,
    utterance_from_record,
)

DEFAULT_MAX_MANIFEST_BYTES = 256 * 1024 * 1024
SNIFF_BYTES = 4096
RESERVED_STRINGS = frozenset({"file", "text", "speaker", "dialogue_id"})
PER_CELL_NUMBERS = frozenset({"turn", "start", "end"})
_UNAMBIGUOUS_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")
_UNAMBIGUOUS_FLOAT = re.compile(r"^-?(0|[1-9][0-9]*)\.[0-9]+$")
_ANY_INT = re.compile(r"^[+-]?[0-9]+$")
_ANY_FLOAT = re.compile(r"^[+-]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
MAX_NUMBER_CHARS = 32  # longer digit strings are identifiers (and int() refuses very long ones)


class RowError(ValueError):
    """One manifest row that cannot be imported."""


@dataclass(frozen=True)
class ManifestRow:
    """A parsed row: ``number`` is the file line it starts on (the CSV header is line 1)."""

    number: int
    record: dict[str, Any] | None = None
    error: str = ""


def max_manifest_bytes() -> int:
    """Largest manifest or JSONL file accepted, since every row of it is held while it is parsed."""
    return int(getattr(settings, "AFFECTLAB_MAX_MANIFEST_BYTES", DEFAULT_MAX_MANIFEST_BYTES))


def manifest_format(*, name: str, head: bytes) -> str:
    """``csv`` or ``jsonl``: from the extension when it says, else from the first character."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"


def manifest_rows(*, handle: IO[bytes], name: str) -> list[ManifestRow]:
    """Parse a whole manifest (bounded by AFFECTLAB_MAX_MANIFEST_ROWS) before any row is imported."""
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    rows = _csv_rows(handle) if manifest_format(name=name, head=head) == "csv" else _jsonl_rows(handle)
    if not rows:
        raise ImportRejected("the manifest holds no rows")
    return rows


def _row_limit() -> int:
    return int(settings.AFFECTLAB_MAX_MANIFEST_ROWS)


def _too_many_rows() -> ImportRejected:
    return ImportRejected(f"the manifest has more than {_row_limit():,} rows; split it into smaller files")


def _jsonl_rows(handle: IO[bytes]) -> list[ManifestRow]:
    rows: list[ManifestRow] = []
    for number, raw in read_lines(handle):
        if raw is not None and not raw.strip():
            continue
        if len(rows) >= _row_limit():
            raise _too_many_rows()
        try:
            record = decode_jsonl_line(raw)
        except UtteranceError as exc:
            rows.append(ManifestRow(number, error=str(exc)))
            continue
        if not isinstance(record, dict):
            rows.append(ManifestRow(number, error=f"expected a JSON object, got {type(record).__name__}"))
            continue
        rows.append(ManifestRow(number, record=record))
    return rows


def _decoded_lines(handle: IO[bytes]) -> Iterator[str]:
    """CSV input line by line: bounded line length, strict UTF-8, errors naming the line."""
    for number, raw in read_lines(handle):
        if raw is None:
            raise ImportRejected(f"line {number} of the manifest is too long")
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise ImportRejected(f"line {number} of the manifest is not valid UTF-8") from exc


def _csv_rows(handle: IO[bytes]) -> list[ManifestRow]:
    reader = csv.reader(_decoded_lines(handle), strict=True)
    header: list[str] | None = None
    cells: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for values in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if header is None:
                header = _csv_header(values)
                continue
            if len(cells) >= _row_limit():
                raise _too_many_rows()
            cells.append((start, values))
    except csv.Error as exc:
        raise ImportRejected(f"the CSV is malformed near line {reader.line_num}: {exc}") from exc
    if header is None:
        return []
    return _typed_rows(header, cells)


def _csv_header(values: list[str]) -> list[str]:
    names = [value.strip() for value in values]
    while names and not names[-1]:
        names.pop()  # trailing separators, as spreadsheets often write them
    if "" in names:
        raise ImportRejected(f"column {names.index('') + 1} of the CSV header has no name")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ImportRejected(f"the CSV header repeats {', '.join(duplicates)}")
    if "file" not in names and "text" not in names:
        raise ImportRejected("the CSV header needs a 'file' or a 'text' column")
    return names


def _typed_rows(header: list[str], cells: list[tuple[int, list[str]]]) -> list[ManifestRow]:
    """Cells to values: numbers where a whole column is unambiguously numeric, else strings.

    A column reads as numbers only if every filled cell is a plain number
    without leading zeros, so identifiers such as ``007`` or ``S01`` stay text
    in every row. ``turn``, ``start`` and ``end`` are converted cell by cell so
    one bad cell fails only its own row. Empty cells are left out.
    """
    numeric = {
        name
        for index, name in enumerate(header)
        if name not in RESERVED_STRINGS | PER_CELL_NUMBERS
        and all(_is_unambiguous_number(row[index]) for _, row in cells if index < len(row) and row[index])
    }
    rows: list[ManifestRow] = []
    for number, values in cells:
        if any(value.strip() for value in values[len(header) :]):
            rows.append(ManifestRow(number, error="the row has more cells than the header has columns"))
            continue
        record: dict[str, Any] = {}
        for name, value in zip(header, values, strict=False):
            if value == "":
                continue
            if name in numeric:
                record[name] = _number(value)
            elif name in PER_CELL_NUMBERS:
                record[name] = _lenient_number(value)
            else:
                record[name] = value
        rows.append(ManifestRow(number, record=record))
    return rows


def _is_unambiguous_number(value: str) -> bool:
    if len(value) > MAX_NUMBER_CHARS:
        return False
    return bool(_UNAMBIGUOUS_INT.match(value) or _UNAMBIGUOUS_FLOAT.match(value))


def _number(value: str) -> int | float:
    return int(value) if _UNAMBIGUOUS_INT.match(value) else float(value)


def _lenient_number(value: str) -> int | float | str:
    stripped = value.strip()
    if len(stripped) > MAX_NUMBER_CHARS:
        return value
    if _ANY_INT.match(stripped):
        return int(stripped)
    if _ANY_FLOAT.match(stripped):
        return float(stripped)
    return value  # left for the utterance checks to report


def manifest_import(
    *, project: Project, handle: IO[bytes], name: str, uploaded_by: AbstractBaseUser | None
) -> ImportReport:
    """Import every row on its own; the report lists created and existing ids and row errors."""
    report = ImportReport()
    turns = TurnTracker()
    for row in manifest_rows(handle=handle, name=name):
        if row.record is None:
            report.errors.append({"row": row.number, "error": row.error})
            continue
        try:
            report.add(_import_row(project, row, turns, uploaded_by, name))
        except (RowError, UtteranceError, ImportPathError, EmptyFileError) as exc:
            report.errors.append({"row": row.number, "error": str(exc)})
    return report


def _import_row(
    project: Project, row: ManifestRow, turns: TurnTracker, uploaded_by: AbstractBaseUser | None, name: str
) -> AssetResult:
    record = dict(row.record or {})
    path, text = record.pop("file", None), record.get("text")
    if path is not None and text is not None:
        raise RowError("a row has either 'file' or 'text', not both")
    if path is None and text is None:
        raise RowError("the row has neither 'file' nor 'text'")
    if path is None:
        utterance = utterance_from_record(record)
        turns.claim(utterance, row.number)
        return text_asset_create(
            project=project, utterance=utterance, uploaded_by=uploaded_by, source_name=name
        )
    try:
        metadata = parse_metadata(record)
    except ValueError as exc:  # MetadataError, or a NaN/Infinity that JSON cannot store
        raise RowError(str(exc)) from exc
    source = import_path_resolve(root=settings.AFFECTLAB_IMPORT_ROOT, raw=path)
    staged, sha256 = import_path_stage(source)
    return asset_create_from_path(
        project=project,
        path=staged,
        original_name=display_name(str(path)),
        uploaded_by=uploaded_by,
        metadata=metadata,
        sha256=sha256,
        move=True,
    )
