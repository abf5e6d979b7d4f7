"""What changed since the previous ready version, read from that version's own stored files.

Items are compared by id: added, removed, or changed (a different sha256 or metadata). Labels
are compared per (item, annotator, field) on their canonical JSON text from ``labels.csv``:
``label_changes`` counts keys present in both whose value differs; labels that appear or
disappear are counted separately. Reading the previous release from storage, not the database,
keeps the diff right after live items or annotations were deleted. A trace is compared on its
reference (sample count and sha256 of the samples); a release of the first format, whose
``labels.csv`` holds the samples as JSON, has its traces turned into the same reference first.
"""

from __future__ import annotations

import csv
import io
import json

from django.core.files.storage import default_storage

from ..models import DatasetVersion, VersionState
from .snapshot import Snapshot, canonical_json
from .trace_values import trace_from_text, trace_reference


def previous_ready(*, version: DatasetVersion) -> DatasetVersion | None:
    return (
        DatasetVersion.objects.filter(project_id=version.project_id, state=VersionState.READY)
        .exclude(pk=version.pk)
        .filter(_below(version))
        .order_by("-major", "-minor", "-patch")
        .first()
    )


def _below(version: DatasetVersion):
    from django.db.models import Q

    major, minor, patch = version.major, version.minor, version.patch
    return Q(major__lt=major) | Q(major=major, minor__lt=minor) | Q(major=major, minor=minor, patch__lt=patch)


def _read_text(key: str) -> str:
    with default_storage.open(key, "rb") as handle:
        return handle.read().decode("utf-8")


def _stored_items(prefix: str) -> dict[str, tuple[str, str]]:
    out = {}
    for line in _read_text(f"{prefix}/items.jsonl").splitlines():
        record = json.loads(line)
        out[record["item_id"]] = (record["sha256"], canonical_json(record.get("metadata") or {}))
    return out


def _stored_labels(prefix: str, trace_fields: set[str]) -> dict[tuple[str, str, str], str]:
    reader = csv.DictReader(io.StringIO(_read_text(f"{prefix}/labels.csv")))
    return {
        (row["item_id"], row["annotator"], row["field"]): _comparable(
            row["field"], row["value"], trace_fields
        )
        for row in reader
    }


def _comparable(field: str, text: str, trace_fields: set[str]) -> str:
    """A stored label's text as this release format writes it (traces as references)."""
    if field not in trace_fields or not text.startswith("[["):
        return text
    samples = trace_from_text(text)
    return trace_reference(field, samples) if samples is not None else text


def version_diff(*, version: DatasetVersion, snapshot: Snapshot) -> dict:
    previous = previous_ready(version=version)
    items = snapshot.items
    current_items = {
        item_id: (sha, canonical_json(metadata or {}))
        for item_id, sha, metadata in zip(items["item_id"], items["sha256"], items["metadata"], strict=True)
    }
    labels = snapshot.labels
    current_labels = dict(
        zip(
            zip(labels["item_id"], labels["annotator"], labels["field"], strict=True),
            labels["value_json"],
            strict=True,
        )
    )
    if previous is None:
        return {
            "previous": None, "items_added": _sorted(current_items), "items_removed": [], "items_changed": [],
            "label_changes": 0, "labels_added": len(current_labels), "labels_removed": 0,
            "summary": f"First version: {len(current_items)} items, {len(current_labels)} labels.",
        }  # fmt: skip
    old_items = _stored_items(previous.storage_prefix)
    traces = {f["name"] for f in snapshot.definition.get("fields", []) if f.get("kind") == "trace"}
    old_labels = _stored_labels(previous.storage_prefix, traces)
    added = _sorted(set(current_items) - set(old_items))
    removed = _sorted(set(old_items) - set(current_items))
    changed = _sorted(k for k in set(current_items) & set(old_items) if current_items[k] != old_items[k])
    label_changes = sum(1 for k, v in current_labels.items() if k in old_labels and old_labels[k] != v)
    labels_added = sum(1 for k in current_labels if k not in old_labels)
    labels_removed = sum(1 for k in old_labels if k not in current_labels)
    summary = (
        f"Since {previous.version}: {_n(len(added), 'item')} added, {len(removed)} removed, "
        f"{len(changed)} changed; "
        f"{_n(label_changes, 'label')} changed, {labels_added} added, {labels_removed} removed."
    )
    return {
        "previous": previous.version, "items_added": added, "items_removed": removed,
        "items_changed": changed,
        "label_changes": label_changes, "labels_added": labels_added, "labels_removed": labels_removed,
        "summary": summary,
    }  # fmt: skip


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _sorted(ids) -> list[str]:
    return sorted(ids, key=lambda i: (int(i), i) if i.isdigit() else (1 << 62, i))
