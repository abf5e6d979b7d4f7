"""One consistent read of a project into the release tables (contracts §1).

Everything is read with ``values_list`` querysets streamed by ``iterator``: no model instance
per row, so 10,000 items with three annotations each stay a handful of queries. The label rows
are the latest revision of each annotation whose assignment is in one of the chosen review
states, translated to the newest schema version (``translation``), one row per
(item, annotator, field). ``value_json`` holds each value once as canonical JSON so every
export writes the same text without serialising it again.

Each revision's values are read as the JSON text the database holds (``JsonText``) and decoded
with orjson, several times faster than the ``json`` module that a ``JSONField`` would use. A trace
is turned into a read-only float array (samples x columns, ``trace_values``) that the aggregation,
the statistics and the trace files use; its ``value_json`` is the small reference that the other
tables of a release carry instead of the samples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import orjson
import pandas as pd
import pyarrow.parquet as pq
from django.db.models import F, Func, TextField

from annotation.models import AnnotationRevision, LabelSchema
from ingest.models import AssetStatus, MediaAsset
from ingest.services.local_files import local_copy
from models_zoo.models import Track

from .pseudonyms import annotator_pseudonyms
from .trace_values import trace_array, trace_reference
from .translation import translator
from .versions import review_states_of

ITEM_COLUMNS = [
    "item_id", "kind", "duration_seconds", "subject", "speaker", "dialogue_id", "turn", "sha256",
    "original_name", "text", "metadata", "original_file", "proxy_file",
]  # fmt: skip
LABEL_COLUMNS = ["item_id", "annotator", "field", "kind", "value", "schema_version", "revision", "state"]
TRACK_COLUMNS = ["item_id", "prelabeler", "version", "kind", "storage_key", "data"]


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, no NaN: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


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


class JsonText(Func):
    """A JSON column as the text the database holds, so that orjson, not ``json``, decodes it."""

    output_field = TextField()

    def __init__(self, column: str) -> None:
        super().__init__(F(column))

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST({sql} AS TEXT)", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::text", params


def _decoded(text: str | None) -> dict:
    """A revision's values from their JSON text; orjson first, ``json`` for what orjson refuses."""
    if not text:
        return {}
    try:
        values = orjson.loads(text)
    except orjson.JSONDecodeError:  # e.g. an integer beyond 64 bits
        values = json.loads(text)
    return values if isinstance(values, dict) else {}


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

    rows = query.annotate(values_text=JsonText("values")).values_list(*keys, "values_text")
    for *head, text in rows.iterator(chunk_size=2000):
        values = _decoded(text)
        if head[2] != newest:
            values = translate(values, head[2])
        for name, kind in fields:
            value = values.get(name)
            if value is not None:
                add(*head, name, kind, *_decoded_value(name, kind, value))
    # plain Python objects, not Arrow-backed strings: every writer and statistic walks these columns
    # value by value, and iterating an Arrow string column builds a new str per element each time
    frame = pd.DataFrame(
        {name: pd.Series(values, dtype=object) for name, values in columns.items()},
        columns=[*LABEL_COLUMNS, "value_json"],
    )
    frame["_item_order"] = (
        pd.to_numeric(frame["item_id"]).astype("int64") if len(frame) else pd.Series(dtype="int64")
    )
    frame = frame.sort_values(["_item_order", "annotator", "field"], kind="stable").drop(
        columns="_item_order"
    )
    return frame.astype({"schema_version": "int64", "revision": "int64"})


def _decoded_value(name: str, kind: str, value: Any) -> tuple[Any, str]:
    """The same for a value decoded (and translated) in Python."""
    if kind == "trace":
        samples = trace_array(value)
        if samples is not None:
            return samples, trace_reference(name, samples)
    return value, canonical_json(value)


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
