"""Text spliced into the release files from stored JSON is exactly what encoding the whole would give."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from django.core.files.storage import default_storage

from releases.models import VersionState
from releases.services.snapshot import canonical_json
from tests.releases.test_release_fixtures import build, labelled_project

pytestmark = pytest.mark.django_db


def stored(version, path: str) -> bytes:
    with default_storage.open(f"{version.storage_prefix}/{path}", "rb") as handle:
        return handle.read()


def test_every_json_text_in_the_files_is_canonical(project):
    labelled_project(project, items=4, annotators=3)
    version = build(project, version="1.0.0")
    assert version.state == VersionState.READY, version.error
    lines = stored(version, "items.jsonl").decode().splitlines()
    assert len(lines) == 4
    for line in lines:
        record = json.loads(line)
        raw = record.pop("raw")  # the raw labels come last, after the sorted item fields
        assert line == f'{canonical_json(record)[:-1]},"raw":{canonical_json(raw)}}}'
        summary = record["labels"]["valence_trace"]
        assert summary["file"] == "traces/valence_trace.consensus.parquet" and summary["frames"] == 100
        assert not {"times", "mean", "ewe"} & set(summary)
    rows = list(csv.DictReader(io.StringIO(stored(version, "labels.csv").decode())))
    assert rows and all(row["value"] == canonical_json(json.loads(row["value"])) for row in rows)
    for entry in version.files:
        if entry["path"].startswith("parquet/") and entry["path"] != "parquet/labels.parquet":
            with default_storage.open(f"{version.storage_prefix}/{entry['path']}", "rb") as handle:
                table = pq.read_table(handle).to_pylist()
            for row in table:
                for name in ("label_emotion", "label_vad", "label_valence_trace", "raw_labels", "metadata"):
                    assert row[name] == canonical_json(json.loads(row[name]))
