"""The release's files read back with the tools users will open them with: HF datasets, pympi, CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from pympi.Elan import Eaf

from tests.releases.test_release_fixtures import build, labelled_project

pytestmark = pytest.mark.django_db


def local(version, path: str) -> Path:
    return Path(default_storage.path(f"{version.storage_prefix}/{path}"))


def test_hf_datasets_loads_the_parquet_splits_and_the_label_table(project, tmp_path, monkeypatch):
    labelled = labelled_project(project)
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    version = build(project, version="1.0.0")
    splits = json.loads(local(version, "splits.json").read_text())["items"]
    files = {
        split: str(local(version, f"parquet/{split}.parquet"))
        for split in ("train", "validation", "test")
        if local(version, f"parquet/{split}.parquet").exists()
    }
    assert set(files) == set(splits.values())
    loaded = datasets.load_dataset("parquet", data_files=files, cache_dir=str(tmp_path / "hf"))
    assert sum(loaded[split].num_rows for split in files) == 3
    rows = {row["item_id"]: row for split in files for row in loaded[split]}
    assert {item_id: rows[item_id]["split"] for item_id in rows} == splits
    row = rows[str(labelled[0].pk)]
    assert row["sha256"] == labelled[0].sha256
    assert json.loads(row["label_vad"])["median"] == {"valence": 3, "arousal": 5}
    assert sorted(json.loads(row["raw_labels"])["emotion"]) == ["A01", "A02", "A03"]
    table = datasets.load_dataset(
        "parquet",
        data_files={"labels": str(local(version, "parquet/labels.parquet"))},
        cache_dir=str(tmp_path / "hf"),
    )["labels"]
    assert table.num_rows == 36
    assert set(table.column_names) == {"item_id", "annotator", "field", "kind", "value"}


def test_eaf_files_read_back_with_one_tier_per_annotator_and_field(project):
    labelled = labelled_project(project)
    version = build(project, version="1.0.0")
    eaf = Eaf(str(local(version, f"eaf/{labelled[1].pk}.eaf")))
    tiers = sorted(eaf.get_tier_names())
    assert tiers == ["events@A01", "events@A02", "events@A03", "events@consensus"]
    raw = json.loads(local(version, "items.jsonl").read_text().splitlines()[1])["raw"]["events"]
    for annotator in ("A01", "A02", "A03"):
        read = sorted(eaf.get_annotation_data_for_tier(f"events@{annotator}"))
        expected = sorted(
            (round(s["start"] * 1000), round(s["end"] * 1000), s["class"]) for s in raw[annotator]
        )
        assert [(start, end, value) for start, end, value, *_ in read] == expected
    consensus = eaf.get_annotation_data_for_tier("events@consensus")
    assert {value for *_, value in consensus} <= {"laugh", "sigh"} and consensus


def test_transcripts_and_tracks_come_from_the_newest_asr_track(project):
    labelled = labelled_project(project)
    import pyarrow as pa

    from models_zoo.models import PrelabelJob, Track
    from models_zoo.services.track_files import track_file_write

    item = labelled[0]
    job = PrelabelJob.objects.create(
        asset=item, prelabeler="asr", version="1", params_hash="x", state="succeeded"
    )
    table = pa.table({"time": [0.5, 2.0], "start": [0.5, 2.0], "end": [1.5, 3.0], "text": ["hello", "a < b"]})
    key = track_file_write(key=f"test-tracks/{item.pk}/segments.parquet", table=table)
    Track.objects.create(asset=item, job=job, kind="segments", prelabeler="asr", version="1", storage_key=key,
                         row_count=2)  # fmt: skip
    version = build(project, version="1.0.0")
    vtt = local(version, f"transcripts/{item.pk}.vtt").read_text()
    assert (
        vtt
        == "WEBVTT\n\n1\n00:00:00.500 --> 00:00:01.500\nhello\n\n2\n00:00:02.000 --> 00:00:03.000\na &lt; b\n"
    )
    copied = local(version, f"tracks/{item.pk}/asr__segments.parquet").read_bytes()
    assert copied == Path(default_storage.path(key)).read_bytes()
    listed = json.loads(local(version, "tracks.json").read_text())
    assert listed == [{"item_id": str(item.pk), "prelabeler": "asr", "version": "1", "kind": "segments",
                       "path": f"tracks/{item.pk}/asr__segments.parquet"}]  # fmt: skip


def test_original_media_is_copied_when_asked(project):
    labelled = labelled_project(project)
    from django.core.files.base import ContentFile

    item = labelled[2]
    item.original_file = default_storage.save(
        f"test-media/{item.pk}/original", ContentFile(b"fake video bytes")
    )
    item.save(update_fields=["original_file"])
    version = build(project, version="1.0.0", include_media="original")
    assert local(version, f"media/{item.pk}/original.mp4").read_bytes() == b"fake video bytes"
    assert not local(version, f"media/{labelled[0].pk}").exists()  # no stored original, nothing copied
