"""One consistent read of a project into the release tables (contracts §1).

Everything is read with ``values_list`` querysets streamed by ``iterator``: no model instance
per row, so 10,000 items with three annotations each stay a handful of queries. The label rows
are the latest revision of each annotation whose assignment is in one of the chosen review
states, translated to the newest schema version (``translation``), one row per
(item, annotator, field). ``value_json`` holds each value once as canonical JSON so every
export writes the same text without serialising it again.

Values made under the newest schema version are read one field at a time as JSON text extracted by
the database (``values -> '$."field"'`` on SQLite, ``values -> 'field'`` on PostgreSQL), so a
revision is never decoded whole in Python. A trace's text is taken as its ``value_json`` as it is
when it is provably canonical (``canonical_trace``: minified, numbers exactly as Python's ``json``
writes them), and its samples are parsed straight into a read-only float array (samples x
columns) that the trace aggregation and statistics use; any other text is decoded and encoded
again, so the files are the same bytes whichever way a value was read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from django.db import connection
from django.db.models import F, Func, TextField

from annotation.models import AnnotationRevision, LabelSchema
from ingest.models import AssetStatus, MediaAsset
from ingest.services.local_files import local_copy
from models_zoo.models import Track

from .pseudonyms import annotator_pseudonyms
from .translation import translator
from .versions import review_states_of

ITEM_COLUMNS = [
    "item_id", "kind", "duration_seconds", "subject", "speaker", "dialogue_id", "turn", "sha256",
    "original_name", "text", "metadata", "original_file", "proxy_file",
]  # fmt: skip
LABEL_COLUMNS = ["item_id", "annotator", "field", "kind", "value", "schema_version", "revision", "state"]
TRACK_COLUMNS = ["item_id", "prelabeler", "version", "kind", "storage_key", "data"]


# A number exactly as ``json.dumps`` writes the float or int that ``json.loads`` reads from it: no
# leading zeros, no trailing zeros in a fraction (``1.0`` keeps one), no ``-0``, no exponent, and not
# below 1e-4 in magnitude (Python writes those with an exponent). With at most 15 digits (checked
# apart) a decimal is the shortest one that reads back as its double, which is what Python writes.
_NUMBER = r"(?:-?0\.(?:0|(?!0000)\d*[1-9])|-?[1-9]\d*(?:\.(?:0|\d*[1-9]))?|0)"
_SAMPLE = rf"\[{_NUMBER}(?:,{_NUMBER})*\]"
_CANONICAL_TRACE = re.compile(rf"\[{_SAMPLE}(?:,{_SAMPLE})*\]")
_SIMPLE_NAME = re.compile(r"[A-Za-z0-9_]+")
MAX_DIGITS = 15


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, no NaN: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_trace(text: str) -> np.ndarray | None:
    """The samples of a trace's JSON text when the text is already its canonical JSON, else None.

    Given only for a non-empty list of equally long lists of numbers written as ``canonical_json``
    writes them, so ``text == canonical_json(json.loads(text))`` whenever an array is returned;
    anything else (spaces, exponents, long or padded numbers, ragged samples) returns None and is
    decoded and encoded the slow way.
    """
    if not text.startswith("[[") or _CANONICAL_TRACE.fullmatch(text) is None:
        return None
    raw = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    numeric = ((raw >= 48) & (raw <= 57)) | (raw == 46)  # digits and the decimal point
    breaks = np.flatnonzero(~numeric)
    if breaks.size < 2 or int(np.diff(breaks).max()) - 1 > MAX_DIGITS:
        return None
    commas = np.cumsum(raw == 44)[np.flatnonzero(raw == 93)[:-1]]  # up to the end of each sample
    per_sample = np.diff(commas, prepend=-1)  # each sample's numbers (with the comma before it)
    columns = int(per_sample[0])
    if (per_sample != columns).any():
        return None
    flat = np.array(text.replace("[", "").replace("]", "").split(","), dtype=float)
    samples = flat.reshape(-1, columns)
    samples.flags.writeable = False
    return samples


@dataclass
class Snapshot:
    definition: dict
    schema_version: int | None
    items: pd.DataFrame
    labels: pd.DataFrame
    tracks: pd.DataFrame
    review_states: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        annotations = self.labels[["item_id", "annotator"]].drop_duplicates() if len(self.labels) else []
        return {
            "items": int(len(self.items)),
            "annotators": int(self.labels["annotator"].nunique()) if len(self.labels) else 0,
            "annotations": int(len(annotations)),
        }


def snapshot_read(*, project_id: int, filters: dict, with_track_data: bool = True) -> Snapshot:
    schemas = list(
        LabelSchema.objects.filter(project_id=project_id).values_list(
            "version", "definition", "class_mapping"
        )
    )
    newest = max(schemas, key=lambda row: row[0]) if schemas else None
    definition = newest[1] if newest else {"fields": []}
    items = _items(project_id, filters)
    states = review_states_of(filters)
    labels = _labels(project_id, filters, states, definition, schemas)
    labels = labels[labels["item_id"].isin(set(items["item_id"]))] if len(labels) else labels
    tracks = _tracks(project_id, items, with_track_data)
    return Snapshot(
        definition=definition, schema_version=newest[0] if newest else None, items=items,
        labels=labels.reset_index(drop=True), tracks=tracks, review_states=states,
    )  # fmt: skip


def _items(project_id: int, filters: dict) -> pd.DataFrame:
    query = MediaAsset.objects.filter(project_id=project_id, status=AssetStatus.READY)
    if "item_ids" in filters:
        query = query.filter(pk__in=filters["item_ids"])
    rows = query.order_by("pk").values_list(
        "pk", "kind", "duration_seconds", "speaker", "dialogue_id", "turn", "sha256", "original_name",
        "text", "metadata", "original_file", "derived",
    )  # fmt: skip
    records = []
    for (
        pk,
        kind,
        duration,
        speaker,
        dialogue,
        turn,
        sha,
        name,
        text,
        metadata,
        original,
        derived,
    ) in rows.iterator(chunk_size=2000):
        metadata = metadata or {}
        subject = metadata.get("subject")
        subject = str(subject) if subject not in (None, "") else (speaker or None)
        records.append((
            str(pk), kind, duration, subject, speaker or None, dialogue or None, turn, sha, name or None,
            text or None, metadata, original or None, (derived or {}).get("proxy"),
        ))  # fmt: skip
    # object columns keep None as None (not NaN), so a missing turn stays null and an int stays an int
    columns = list(zip(*records, strict=True)) if records else [()] * len(ITEM_COLUMNS)
    return pd.DataFrame(
        {name: pd.Series(list(col), dtype=object) for name, col in zip(ITEM_COLUMNS, columns, strict=True)}
    )


class JsonMember(Func):
    """One top-level member of a JSON column as JSON text (NULL where the key is missing)."""

    output_field = TextField()

    def __init__(self, column: str, key: str) -> None:
        super().__init__(F(column))
        self.key = key

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} -> %s)", [*params, f'$."{self.key}"']

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::jsonb -> %s)::text", [*params, self.key]


def _extractable(fields: list[tuple[str, str]]) -> bool:
    """Whether this database can hand each field's JSON text over (SQLite >= 3.38 or PostgreSQL)."""
    if not all(_SIMPLE_NAME.fullmatch(name) for name, _ in fields):
        return False
    if connection.vendor == "postgresql":
        return True
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version_info >= (3, 38)
    return False


def _labels(
    project_id: int, filters: dict, states: list[str], definition: dict, schemas: list
) -> pd.DataFrame:
    fields = [(f["name"], f["kind"]) for f in definition.get("fields", [])]
    pseudonyms = annotator_pseudonyms(project_id=project_id)
    translate = translator(schemas)
    newest = max((row[0] for row in schemas), default=0)
    query = AnnotationRevision.objects.filter(
        annotation__assignment__project_id=project_id,
        annotation__assignment__state__in=states,
        annotation__assignment__item__status=AssetStatus.READY,
        number=F("annotation__latest_number"),
    )
    if "item_ids" in filters:
        query = query.filter(annotation__assignment__item_id__in=filters["item_ids"])
    if "annotator_ids" in filters:
        query = query.filter(annotation__assignment__annotator_id__in=filters["annotator_ids"])
    keys = (
        "annotation__assignment__item_id", "annotation__assignment__annotator_id",
        "annotation__schema__version", "number", "annotation__assignment__state",
    )  # fmt: skip
    columns: dict[str, list] = {name: [] for name in [*LABEL_COLUMNS, "value_json"]}

    def add(item_id, user_id, made_under, number, state, name, kind, value, text) -> None:
        columns["item_id"].append(str(item_id))
        columns["annotator"].append(pseudonyms[user_id])
        columns["field"].append(name)
        columns["kind"].append(kind)
        columns["value"].append(value)
        columns["schema_version"].append(made_under)
        columns["revision"].append(number)
        columns["state"].append(state)
        columns["value_json"].append(text)

    decoded = query
    if fields and _extractable(fields):
        decoded = query.exclude(annotation__schema__version=newest)
        members = {f"m{i}": JsonMember("values", name) for i, (name, _) in enumerate(fields)}
        current = query.filter(annotation__schema__version=newest).annotate(**members)
        for row in current.values_list(*keys, *members).iterator(chunk_size=2000):
            for (name, kind), text in zip(fields, row[len(keys) :], strict=True):
                if text is None:
                    continue
                value, text = _member_value(kind, text)
                if value is not None:
                    add(*row[: len(keys)], name, kind, value, text)
    for *head, values in decoded.values_list(*keys, "values").iterator(chunk_size=2000):
        if head[2] != newest:
            values = translate(values or {}, head[2])
        for name, kind in fields:
            value = (values or {}).get(name)
            if value is not None:
                add(*head, name, kind, value, canonical_json(value))
    frame = pd.DataFrame(columns, columns=[*LABEL_COLUMNS, "value_json"])
    frame["_item_order"] = pd.to_numeric(frame["item_id"]) if len(frame) else pd.Series(dtype="int64")
    frame = frame.sort_values(["_item_order", "annotator", "field"], kind="stable").drop(
        columns="_item_order"
    )
    return frame.astype({"schema_version": "int64", "revision": "int64"})


def _member_value(kind: str, text: str) -> tuple[Any, str]:
    """(value, canonical JSON) of one field's JSON text; a canonical trace is not decoded at all."""
    if kind == "trace":
        samples = canonical_trace(text)
        if samples is not None:
            return samples, text
    value = json.loads(text)
    return value, (canonical_json(value) if value is not None else text)


def _tracks(project_id: int, items: pd.DataFrame, with_data: bool) -> pd.DataFrame:
    """The newest track of each (item, pre-labeler, kind); ``data`` is the Parquet file as a DataFrame."""
    wanted = set(items["item_id"])
    rows = (
        Track.objects.filter(asset__project_id=project_id, asset__status=AssetStatus.READY)
        .order_by("asset_id", "prelabeler", "kind", "-created_at", "-id")
        .values_list("asset_id", "prelabeler", "version", "kind", "storage_key")
    )
    records, seen = [], set()
    for asset_id, prelabeler, version, kind, key in rows.iterator(chunk_size=2000):
        if (asset_id, prelabeler, kind) in seen or str(asset_id) not in wanted:
            continue
        seen.add((asset_id, prelabeler, kind))
        data = _track_data(key) if with_data else None
        records.append((str(asset_id), prelabeler, version, kind, key, data))
    columns = list(zip(*records, strict=True)) if records else [()] * len(TRACK_COLUMNS)
    return pd.DataFrame(
        {name: pd.Series(list(col), dtype=object) for name, col in zip(TRACK_COLUMNS, columns, strict=True)}
    )


def _track_data(key: str) -> pd.DataFrame:
    with local_copy(key) as path:
        return pq.read_table(path).to_pandas()
