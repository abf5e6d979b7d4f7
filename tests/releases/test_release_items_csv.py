"""``items.csv``: one flat row per item, checked against values computed from the annotations made here."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import statistics
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from annotation.models import Assignment
from annotation.services import schema_publish
from annotation.services.assignments import annotation_settings_set, assignments_generate
from ingest.models import AssetStatus, MediaAsset
from projects.models import Role
from projects.services import membership_set
from releases.exports.bundle import ReleaseBundle
from releases.exports.items_csv import write_items_csv
from releases.services.build import bundle_build
from releases.services.snapshot import snapshot_read
from releases.services.versions import VersionRequest, version_create
from tests.factories import UserFactory
from tests.releases.test_release_fixtures import save

pytestmark = pytest.mark.django_db

ITEM_COLUMNS = [
    "item_id", "split", "kind", "duration_seconds", "subject", "speaker", "dialogue_id", "turn", "sha256",
    "original_name", "text",
]  # fmt: skip
DEFINITION = {
    "fields": [
        {
            "name": "mood", "kind": "categorical", "scope": "item", "mode": "hard",
            "classes": [{"id": "happy"}, {"id": "neutral"}, {"id": "sad"}],
        },
        {
            "name": "vad", "kind": "dimensional", "scope": "item",
            "ratings": [
                {"name": "valence", "min": 1, "max": 9, "step": 1},
                {"name": "arousal", "min": 1, "max": 9, "step": 1},
            ],
        },
        {
            "name": "feel", "kind": "trace", "scope": "time", "rate_hz": 10,
            "dimensions": [
                {"name": "valence", "min": -1, "max": 1},
                {"name": "arousal", "min": -1, "max": 1},
            ],
        },
    ]
}  # fmt: skip
FIELDS = ["mood", "vad", "feel"]
# per labelled item, per annotator: (mood class, valence, arousal)
LABELS = [
    [("happy", 3, 5), ("happy", 4, 6), ("sad", 3, 2)],
    [("neutral", 7, 1), ("sad", 8, 1), ("sad", 6, 4)],
    [("sad", 2, 9), ("happy", 5, 8), ("happy", 9, 9)],
]
METADATA = [
    {"subject": "s0", "session": 0, "site": {"city": "Oslo"}, "consented": True, "extra": {"a": 1}},
    {"subject": "s1", "session": 1, "site": "lab", "consented": False, "extra": [1, 2]},
    {"subject": "s2", "session": 2, "weight": 0.1, "extra": {"b": 2}},
    {"subject": "s3", "session": 3},  # the item nobody labels
]


def trace(item: int, annotator: int) -> list[list[float]]:
    base = 0.1 * (item - 1) + 0.05 * annotator
    return [[round(t / 10, 1), round(base + 0.01 * t, 3), round(-base, 3)] for t in range(40)]


def make_item(project, n: int) -> MediaAsset:
    return MediaAsset.objects.create(
        project=project, kind="video", status=AssetStatus.READY, duration_seconds=4.0,
        original_name=f"clip{n}.mp4", sha256=hashlib.sha256(f"{project.pk}-{n}".encode()).hexdigest(),
        metadata=METADATA[n],
    )  # fmt: skip


def labelled(project) -> list[MediaAsset]:
    """Three items labelled by three annotators, then a fourth item with no assignment at all."""
    schema_publish(project=project, definition=DEFINITION, user=project.created_by)
    annotation_settings_set(project=project, overlap=3, strategy="round_robin")
    assets = [make_item(project, n) for n in range(3)]
    users = []
    for i in range(3):
        user = UserFactory(username=f"rater{project.pk}-{i}")
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
        users.append(user)
    assignments_generate(project=project)
    for assignment in Assignment.objects.filter(project=project).select_related("annotator"):
        item, annotator = assets.index(assignment.item), users.index(assignment.annotator)
        mood, valence, arousal = LABELS[item][annotator]
        values = {
            "mood": {"class": mood},
            "vad": {"valence": valence, "arousal": arousal},
            "feel": trace(item, annotator),
        }
        save(assignment, values)
    return [*assets, make_item(project, 3)]


def bundle_of(project) -> ReleaseBundle:
    version = version_create(
        project=project, user=project.created_by, request=VersionRequest(), enqueue=False
    )
    snapshot = snapshot_read(project_id=project.pk, filters={})
    return bundle_build(version=version, snapshot=snapshot, n_resamples=20)


def written(bundle: ReleaseBundle, out_dir: Path) -> bytes:
    out_dir.mkdir(parents=True, exist_ok=True)
    write_items_csv(bundle, out_dir)
    return (out_dir / "items.csv").read_bytes()


def rows_of(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_columns_come_in_the_specified_order(project, tmp_path):
    labelled(project)
    header, _ = rows_of(written(bundle_of(project), tmp_path))
    assert header[: len(ITEM_COLUMNS)] == ITEM_COLUMNS
    meta = [c for c in header if c.startswith("meta.")]
    # "extra" never holds a scalar, so it stays in items.jsonl only
    assert meta == ["meta.consented", "meta.session", "meta.site", "meta.subject", "meta.weight"]
    assert header[len(ITEM_COLUMNS) : len(ITEM_COLUMNS) + len(meta)] == meta
    labels = header[len(ITEM_COLUMNS) + len(meta) :]
    assert labels and all(c.split(".")[0] in FIELDS for c in labels)
    owners = [c.split(".")[0] for c in labels]
    assert sorted(set(owners), key=owners.index) == FIELDS
    assert owners == sorted(owners, key=FIELDS.index)  # each field's columns are contiguous
    for name in FIELDS:
        own = [c for c in labels if c.split(".")[0] == name]
        assert own[:2] == [f"{name}.method", f"{name}.n_annotations"]
        assert own[2:] == sorted(own[2:]) and own[2:]
    assert {"mood.class", "mood.votes.happy", "mood.distribution.sad", "vad.mean.valence"} <= set(labels)
    assert "vad.median.arousal" in labels and "feel.dimensions" in labels
    assert any(c.startswith("feel.lags_s.valence.") for c in labels)
    assert any(c.startswith("feel.ewe_weights.arousal.") for c in labels)
    assert len(header) == len(set(header))


def test_item_fields_metadata_and_splits_are_written(project, tmp_path):
    items = labelled(project)
    bundle = bundle_of(project)
    _, rows = rows_of(written(bundle, tmp_path))
    assert [row["item_id"] for row in rows] == [str(item.pk) for item in items]
    for row, item, meta in zip(rows, items, METADATA, strict=True):
        assert row["split"] == bundle.splits[str(item.pk)] and row["split"] in {"train", "validation", "test"}
        assert row["kind"] == "video" and float(row["duration_seconds"]) == 4.0
        assert row["sha256"] == item.sha256 and row["original_name"] == item.original_name
        assert row["subject"] == meta["subject"] and row["meta.subject"] == meta["subject"]
        assert int(row["meta.session"]) == meta["session"]
        assert row["turn"] == "" and row["speaker"] == "" and row["text"] == ""
    assert [row["meta.consented"] for row in rows] == ["true", "false", "", ""]
    assert [row["meta.weight"] for row in rows] == ["", "", "0.1", ""]
    assert json.loads(rows[0]["meta.site"]) == {"city": "Oslo"} and rows[1]["meta.site"] == "lab"
    assert rows[0]["meta.site"] == '{"city":"Oslo"}'  # canonical JSON: no spaces


def test_majority_labels_and_means_match_the_annotations(project, tmp_path):
    items = labelled(project)
    frame = pd.read_csv(io.BytesIO(written(bundle_of(project), tmp_path)), dtype={"item_id": str})
    by_id = frame.set_index("item_id")
    for item, labels in zip(items, LABELS, strict=False):
        row = by_id.loc[str(item.pk)]
        moods = Counter(mood for mood, _, _ in labels)
        assert row["mood.class"] == moods.most_common(1)[0][0]
        assert row["mood.n_annotations"] == 3 and row["vad.n_annotations"] == 3
        for cls in ("happy", "neutral", "sad"):
            assert row[f"mood.distribution.{cls}"] == pytest.approx(moods[cls] / 3)
        assert row["vad.mean.valence"] == pytest.approx(statistics.mean(v for _, v, _ in labels))
        assert row["vad.mean.arousal"] == pytest.approx(statistics.mean(a for _, _, a in labels))
        assert row["vad.median.valence"] == statistics.median(v for _, v, _ in labels)


def test_an_item_nobody_labeled_has_empty_label_cells(project, tmp_path):
    items = labelled(project)
    header, rows = rows_of(written(bundle_of(project), tmp_path))
    unlabelled = next(row for row in rows if row["item_id"] == str(items[3].pk))
    label_columns = [c for c in header if c.split(".")[0] in FIELDS]
    assert label_columns and all(unlabelled[c] == "" for c in label_columns)
    assert unlabelled["sha256"] == items[3].sha256 and unlabelled["meta.subject"] == "s3"


def test_a_trace_fields_series_never_appear(project, tmp_path):
    labelled(project)
    bundle = bundle_of(project)
    assert isinstance(bundle.aggregated["feel"]["value"].iloc[0]["times"], np.ndarray)
    data = written(bundle, tmp_path)
    header, rows = rows_of(data)
    feel = [c for c in header if c.startswith("feel.")]
    assert feel and not [c for c in feel if c.rsplit(".", 1)[-1] in ("mean", "times", "ewe")]
    assert not [c for c in feel if c.split(".")[1] in ("mean", "times", "ewe")]
    assert max(len(line) for line in data.decode().splitlines()) < 2000


def test_the_same_bundle_gives_the_same_bytes_with_unix_line_ends(project, tmp_path):
    labelled(project)
    bundle = bundle_of(project)
    first = written(bundle, tmp_path / "a")
    assert first == written(bundle, tmp_path / "b")
    assert first == written(bundle_of(project), tmp_path / "c")
    assert b"\r" not in first and first.endswith(b"\n")


def test_leaves_are_flattened_by_type(project, tmp_path):
    """Hand-made values: every cell rule, checked one leaf at a time."""
    items = labelled(project)
    bundle = bundle_of(project)
    first, second = str(items[0].pk), str(items[1].pk)
    vad = pd.DataFrame({
        "item_id": [first, second],
        "value": [
            {
                "nan": float("nan"), "inf": float("-inf"), "none": None, "yes": True, "no": np.bool_(False),
                "third": 1 / 3, "big": 1e22, "np": np.float64(0.25), "n": np.int64(7), "text": "a,\"b\"\nc",
                "list": [1, float("nan"), np.float64(2.5)], "tuple": ("x", True), "series": np.arange(5.0),
                "deep": {"er": {"est": 2}},
            },
            {"only_here": "x"},
        ],
        "method": ["m", "m"],
        "n_annotations": [np.int64(2), 1],
    })  # fmt: skip
    changed = dataclasses.replace(bundle, aggregated={**bundle.aggregated, "vad": vad})
    header, rows = rows_of(written(changed, tmp_path))
    leaves = [c for c in header if c.startswith("vad.")][2:]
    expected = sorted(
        f"vad.{k}"
        for k in (
            "nan", "inf", "none", "yes", "no", "third", "big", "np", "n", "text", "list", "tuple",
            "deep.er.est", "only_here",
        )
    )  # fmt: skip
    assert leaves == expected
    row = next(r for r in rows if r["item_id"] == first)
    assert row["vad.nan"] == row["vad.inf"] == row["vad.none"] == ""
    assert (row["vad.yes"], row["vad.no"]) == ("true", "false")
    assert float(row["vad.third"]) == 1 / 3 and row["vad.third"] == repr(1 / 3)
    assert row["vad.big"] == "1e+22" and row["vad.np"] == "0.25" and row["vad.n"] == "7"
    assert row["vad.text"] == 'a,"b"\nc'
    assert json.loads(row["vad.list"]) == [1, None, 2.5] and row["vad.list"] == "[1,null,2.5]"
    assert row["vad.tuple"] == '["x",true]' and row["vad.deep.er.est"] == "2"
    assert row["vad.only_here"] == "" and row["vad.n_annotations"] == "2" and row["vad.method"] == "m"
    other = next(r for r in rows if r["item_id"] == second)
    assert other["vad.only_here"] == "x" and other["vad.third"] == "" and other["vad.n_annotations"] == "1"
    third = next(r for r in rows if r["item_id"] == str(items[2].pk))
    assert all(third[c] == "" for c in header if c.startswith("vad."))
