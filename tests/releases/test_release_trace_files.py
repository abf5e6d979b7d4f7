"""Traces are stored once, in Parquet: raw samples as annotated, the consensus on its grid."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from django.core.files.storage import default_storage

from annotation.models import AnnotationRevision
from releases.models import VersionState
from tests.releases.test_release_fixtures import build, labelled_project, save, values_for

pytestmark = pytest.mark.django_db
RAW, CONSENSUS = "traces/valence_trace.parquet", "traces/valence_trace.consensus.parquet"


def local(version, path: str) -> Path:
    return Path(default_storage.path(f"{version.storage_prefix}/{path}"))


def stored_traces(project) -> dict[tuple[str, str], list]:
    """(item_id, user id) -> the trace exactly as saved."""
    revisions = AnnotationRevision.objects.filter(annotation__assignment__project=project).select_related(
        "annotation__assignment"
    )
    return {
        (str(r.annotation.assignment.item_id), r.annotation.assignment.annotator_id): r.values[
            "valence_trace"
        ]
        for r in revisions
    }


def test_the_raw_file_holds_every_trace_exactly_and_the_tables_refer_to_it(project):
    labelled_project(project, items=3, annotators=3)
    version = build(project, version="1.0.0")
    assert version.state == VersionState.READY, version.error
    assert {RAW, CONSENSUS} <= {entry["path"] for entry in version.files}
    rows = pq.read_table(local(version, RAW)).to_pylist()
    assert len(rows) == 9
    saved = sorted(json.dumps(v) for v in stored_traces(project).values())
    from_file = sorted(json.dumps([list(s) for s in zip(r["time"], r["valence"], strict=True)]) for r in rows)
    assert from_file == saved  # every sample, bit for bit (JSON of the same floats)
    by_key = {(r["item_id"], r["annotator"]): r for r in rows}
    references = [
        row for row in csv.DictReader(io.StringIO(local(version, "labels.csv").read_text()))
        if row["field"] == "valence_trace"
    ]  # fmt: skip
    assert len(references) == 9
    for row in references:
        reference = json.loads(row["value"])
        assert reference["file"] == RAW and reference["samples"] == 100
        assert len(by_key[(row["item_id"], row["annotator"])]["time"]) == 100
    text = local(version, "items.jsonl").read_text()
    assert "[[0.0," not in text  # no trace's samples are repeated in the JSON lines


def test_the_consensus_file_is_the_mean_of_the_lag_compensated_traces(project):
    items = labelled_project(project, items=3, annotators=3)
    version = build(project, version="1.0.0")
    consensus = {row["item_id"]: row for row in pq.read_table(local(version, CONSENSUS)).to_pylist()}
    records = {
        json.loads(line)["item_id"]: json.loads(line)
        for line in local(version, "items.jsonl").read_text().splitlines()
    }
    for index, item in enumerate(items):
        row = consensus[str(item.pk)]
        assert row["n_annotations"] == 3
        assert row["time"] == pytest.approx([t / 10 for t in range(100)])
        lags = records[str(item.pk)]["labels"]["valence_trace"]["lags_s"]
        shifted = []
        for annotator in range(3):
            samples = np.array(values_for(index, annotator)["valence_trace"])[:, 1]
            steps = round(lags[f"A0{annotator + 1}"] * 10)
            shifted.append(np.r_[samples[steps:], np.full(steps, np.nan)])  # advanced by its lag
        expected = np.nanmean(np.vstack(shifted), axis=0)
        assert row["mean_valence"] == pytest.approx(expected.tolist(), abs=1e-12)
        assert len(row["ewe_valence"]) == 100


def test_hf_datasets_loads_the_trace_files(project, tmp_path, monkeypatch):
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    labelled_project(project, items=2, annotators=2)
    version = build(project, version="1.0.0")

    def load(path: str):  # two tables with their own columns: one dataset each
        files = {"train": str(local(version, path))}
        return datasets.load_dataset("parquet", data_files=files, cache_dir=str(tmp_path / "hf"))["train"]

    raw, consensus = load(RAW), load(CONSENSUS)
    assert raw.num_rows == 4 and len(raw[0]["valence"]) == 100
    assert consensus.num_rows == 2 and len(consensus[0]["mean_valence"]) == 100


def test_the_diff_reads_a_first_format_release_and_counts_only_real_trace_changes(project):
    items = labelled_project(project, items=2, annotators=2)
    first = build(project, version="1.0.0")
    path = local(first, "labels.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    samples = {(r["item_id"], r["annotator"]): r for r in pq.read_table(local(first, RAW)).to_pylist()}
    for row in rows:  # rewrite it as the first format stored it: the samples as canonical JSON
        if row["field"] == "valence_trace":
            trace = samples[(row["item_id"], row["annotator"])]
            pairs = [[t, v] for t, v in zip(trace["time"], trace["valence"], strict=True)]
            row["value"] = json.dumps(pairs, separators=(",", ":"))
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["item_id", "annotator", "field", "value"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    second = build(project, version="1.1.0")
    assert second.diff["label_changes"] == 0, second.diff
    assignment = items[0].assignments.order_by("annotator_id").first()
    changed = values_for(0, 0)
    changed["valence_trace"][50][1] = 0.777
    save(assignment, changed)
    third = build(project, version="1.2.0")
    assert third.diff["label_changes"] == 1, third.diff


def test_traces_are_written_in_bounded_row_groups_with_the_same_rows(project, monkeypatch):
    """Small batch limits (rows and samples) split the files into row groups; the rows are unchanged."""
    from releases.exports import traces as trace_writer

    labelled_project(project, items=3, annotators=3)
    whole = build(project, version="1.0.0")
    monkeypatch.setattr(trace_writer, "ROW_GROUP", 2)
    monkeypatch.setattr(trace_writer, "BATCH_SAMPLES", 150)  # each trace has 100 samples
    split = build(project, version="1.1.0")
    assert split.state == VersionState.READY, split.error
    for path, rows, groups in ((RAW, 9, 9), (CONSENSUS, 3, 3)):
        assert pq.ParquetFile(local(whole, path)).num_row_groups == 1
        in_groups = pq.ParquetFile(local(split, path))
        assert in_groups.num_row_groups == groups  # 100 + 100 samples exceed 150: one row each
        assert in_groups.read().to_pylist() == pq.read_table(local(whole, path)).to_pylist()
        assert in_groups.metadata.num_rows == rows


def test_row_ranges_respect_both_limits_and_never_leave_a_row_out(monkeypatch):
    from releases.exports import traces as trace_writer

    monkeypatch.setattr(trace_writer, "ROW_GROUP", 3)
    monkeypatch.setattr(trace_writer, "BATCH_SAMPLES", 10)
    lengths = [4, 4, 4, 20, 1, 1, 1, 1, 0]
    ranges = list(trace_writer._ranges(lengths))
    assert ranges == [(0, 2), (2, 3), (3, 4), (4, 7), (7, 9)]
    assert list(trace_writer._ranges([])) == []
