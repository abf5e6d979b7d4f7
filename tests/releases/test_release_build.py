"""Building a release end to end: files, manifest, downloads, reproducibility, an empty project."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from releases.models import VersionState
from tests.conftest import client_for
from tests.releases.test_release_fixtures import build, labelled_project

pytestmark = pytest.mark.django_db


def stored(version, path: str) -> bytes:
    with default_storage.open(f"{version.storage_prefix}/{path}", "rb") as handle:
        return handle.read()


def test_a_build_writes_every_format_and_a_manifest_that_matches_the_stored_bytes(project):
    labelled = labelled_project(project)
    version = build(project, version="1.0.0")
    assert version.state == VersionState.READY, version.error
    assert version.progress == 100 and version.built_at is not None
    assert version.counts == {"items": 3, "annotators": 3, "annotations": 9}
    paths = [entry["path"] for entry in version.files]
    ids = [str(item.pk) for item in labelled]
    expected = {
        "items.jsonl", "labels.csv", "manifest.json", "report.json", "report.html", "splits.json",
        "schema.json", "tracks.json", "prelabel_quality.json", "parquet/labels.parquet",
        *(f"eaf/{i}.eaf" for i in ids),
    }  # fmt: skip
    assert expected <= set(paths) and paths == sorted(paths)
    assert version.storage_prefix == f"releases/{project.pk}/1.0.0"
    for entry in version.files:
        data = stored(version, entry["path"])
        assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"], entry[
            "path"
        ]
    manifest = json.loads(stored(version, "manifest.json"))
    assert manifest["version"] == "1.0.0" and manifest["counts"] == version.counts
    assert [e for e in version.files if e["path"] != "manifest.json"] == manifest["files"]


def test_items_and_labels_carry_pseudonyms_splits_and_aggregated_values(project):
    labelled = labelled_project(project)
    version = build(project, version="1.0.0")
    lines = [json.loads(line) for line in stored(version, "items.jsonl").decode().splitlines()]
    assert [line["item_id"] for line in lines] == [str(item.pk) for item in labelled]
    first = lines[0]
    assert first["sha256"] == labelled[0].sha256 and first["metadata"] == {"subject": "s0", "session": 0}
    assert first["subject"] == "s0" and first["split"] in {"train", "validation", "test"}
    assert sorted(first["raw"]) == ["emotion", "events", "vad", "valence_trace"]
    assert sorted(first["raw"]["vad"]) == ["A01", "A02", "A03"]
    assert first["raw"]["vad"]["A01"] == {"valence": 3, "arousal": 5}
    assert set(first["labels"]) == {"emotion", "events", "vad", "valence_trace"}
    assert first["labels"]["vad"]["median"]["valence"] == 3  # ratings 3, 4, 3
    assert first["labels"]["vad"]["mean"]["valence"] == pytest.approx(10 / 3)
    splits = json.loads(stored(version, "splits.json"))
    assert {line["item_id"]: line["split"] for line in lines} == splits["items"]
    rows = list(csv.DictReader(io.StringIO(stored(version, "labels.csv").decode())))
    assert len(rows) == 3 * 3 * 4
    assert list(rows[0]) == ["item_id", "annotator", "field", "value"]
    assert {row["annotator"] for row in rows} == {"A01", "A02", "A03"}
    body = stored(version, "items.jsonl").decode() + stored(version, "labels.csv").decode()
    assert "coder" not in body  # usernames never leave the database


def test_the_same_inputs_give_byte_identical_files(project):
    labelled_project(project)
    first = build(project, version="1.0.0")
    second = build(project, version="1.0.1")
    a = {e["path"]: e["sha256"] for e in first.files}
    b = {e["path"]: e["sha256"] for e in second.files}
    assert a.keys() == b.keys()
    assert {p: h for p, h in a.items() if p != "manifest.json"} == {
        p: h for p, h in b.items() if p != "manifest.json"
    }
    one, two = json.loads(stored(first, "manifest.json")), json.loads(stored(second, "manifest.json"))
    assert one.pop("version") == "1.0.0" and two.pop("version") == "1.0.1"
    assert one == two
    assert second.diff["label_changes"] == 0 and second.diff["items_added"] == []


def test_the_zip_download_is_deterministic_and_holds_every_listed_file(project, owner_client):
    labelled_project(project)
    version = build(project, version="1.0.0")
    first = b"".join(owner_client.get(f"/api/versions/{version.pk}/download/").streaming_content)
    second = owner_client.get(f"/api/versions/{version.pk}/download/")
    assert second["Content-Type"] == "application/zip"
    assert f"project{project.pk}-1.0.0.zip" in second["Content-Disposition"]
    assert b"".join(second.streaming_content) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    root = f"project{project.pk}-1.0.0/"
    assert [info.filename for info in archive.infolist()] == [root + e["path"] for e in version.files]
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    for entry in version.files:
        assert hashlib.sha256(archive.read(root + entry["path"])).hexdigest() == entry["sha256"]


def test_single_files_and_the_report_are_served_and_unknown_paths_are_404(project, owner_client):
    labelled_project(project)
    version = build(project, version="1.0.0")
    response = owner_client.get(f"/api/versions/{version.pk}/files/labels.csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored(version, "labels.csv")
    for bad in ("../1.0.0/labels.csv", "nope.txt", "eaf/../../../settings.py", "%2e%2e/manifest.json"):
        assert owner_client.get(f"/api/versions/{version.pk}/files/{bad}").status_code == 404, bad
    report = owner_client.get(f"/api/versions/{version.pk}/report/")
    assert report.status_code == 200
    assert report.json() == json.loads(stored(version, "report.json"))
    assert [f["name"] for f in report.json()["fields"]] == ["emotion", "vad", "events", "valence_trace"]
    detail = client_for(project.created_by).get(f"/api/versions/{version.pk}/").json()
    assert (
        detail["state"] == "ready" and detail["files"] == version.files and detail["diff"]["previous"] is None
    )


def test_a_project_without_annotations_gives_a_release_with_an_undefined_report(project):
    from annotation.services import schema_publish
    from tests.releases.test_release_fixtures import DEFINITION, make_item

    schema_publish(project=project, definition=DEFINITION, user=project.created_by)
    make_item(project, 0)
    version = build(project)
    assert version.state == VersionState.READY, version.error
    assert version.version == "1.0.0"
    assert version.counts == {"items": 1, "annotators": 0, "annotations": 0}
    report = json.loads(stored(version, "report.json"))
    assert report["counts"]["annotations"] == 0
    measures = [m for field in report["fields"] for m in field["measures"]]
    assert measures and all(m["value"] is None and m["undefined_reason"] for m in measures)
    assert stored(version, "labels.csv").decode() == "item_id,annotator,field,value\n"
    line = json.loads(stored(version, "items.jsonl").decode())
    assert line["raw"] == {} and line["labels"] == {}


def test_a_project_without_a_schema_or_items_still_builds(project):
    version = build(project)
    assert version.state == VersionState.READY, version.error
    assert version.counts == {"items": 0, "annotators": 0, "annotations": 0}
    assert stored(version, "items.jsonl") == b""
