"""``items.jsonl``: one line per item with its metadata, checksum, split and labels.

Each line holds the item's fields, ``split``, ``labels`` (aggregated, per field) and ``raw``
(per field, per pseudonymous annotator, the value exactly as annotated). Raw values are spliced
in from the snapshot's canonical JSON, so a trace of thousands of samples is serialised once for
the whole release rather than once per format.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from pathlib import Path

from .bundle import ReleaseBundle
from .common import canonical_json, is_plain_json, json_safe

ITEM_FIELDS = (
    "item_id", "kind", "duration_seconds", "subject", "speaker", "dialogue_id", "turn", "sha256",
    "original_name", "text", "metadata",
)  # fmt: skip


def item_records(bundle: ReleaseBundle) -> list[dict]:
    """The items' exported fields, in release order (by item id)."""
    items = bundle.snapshot.items
    columns = [items[name].tolist() for name in ITEM_FIELDS]
    records = [dict(zip(ITEM_FIELDS, row, strict=True)) for row in zip(*columns, strict=True)]
    return [record if is_plain_json(record) else json_safe(record) for record in records]


def raw_json_by_item(bundle: ReleaseBundle) -> dict[str, str]:
    """item_id -> ``{"field":{"A01":value,...},...}`` as canonical JSON text (sorted keys)."""
    labels = bundle.snapshot.labels
    grouped: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item_id, annotator, name, text in zip(
        labels["item_id"], labels["annotator"], labels["field"], labels["value_json"], strict=True
    ):
        grouped[item_id][name].append(f"{json.dumps(annotator)}:{text}")
    out = {}
    for item_id, fields in grouped.items():
        parts = [
            f"{json.dumps(name)}:{{{','.join(sorted(entries))}}}" for name, entries in sorted(fields.items())
        ]
        out[item_id] = "{" + ",".join(parts) + "}"
    return out


def write_items_jsonl(bundle: ReleaseBundle, out_dir: Path, raw: dict[str, str]) -> None:
    aggregated = bundle.aggregated_json_by_item()
    lines = [item_line(bundle, record, aggregated, raw) for record in item_records(bundle)]
    with open(out_dir / "items.jsonl", "w", encoding="utf-8", newline="\n") as handle:
        handle.write("".join(lines))


def item_line(
    bundle: ReleaseBundle, record: dict, aggregated: dict[str, dict[str, str]], raw: dict[str, str]
) -> str:
    """One line of ``items.jsonl``: the record's members, ``split`` and ``labels``, sorted, then ``raw``."""
    item_id = record["item_id"]
    head = {key: canonical_json(value) for key, value in record.items()}
    head["split"] = canonical_json(bundle.splits.get(item_id))
    head["labels"] = json_object(aggregated.get(item_id, {}))
    text = json_object(head)
    return f'{text[:-1]},"raw":{raw.get(item_id, "{}")}}}\n'


def json_object(members: dict[str, str]) -> str:
    """``canonical_json`` of a dict whose values are given as canonical JSON text already."""
    return "{" + ",".join(f"{_key_json(key)}:{members[key]}" for key in sorted(members)) + "}"


@cache
def _key_json(key: str) -> str:
    """A member name as JSON text: the same few names on every line, so each is encoded once."""
    return canonical_json(key)
