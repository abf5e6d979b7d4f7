"""Pre-labeler tracks against the human consensus on the same items."""

import numpy as np
import pandas as pd
import pytest

from releases.aggregation import AggregationOptions, aggregate_field
from releases.quality import prelabel_quality, sample_windows, to_field_scale
from releases.report import build_report
from tests.releases.label_rows import frame, items_frame, label_rows

TRACE = {
    "name": "tr",
    "kind": "trace",
    "scope": "time",
    "rate_hz": 2,
    "dimensions": [{"name": "valence", "min": -1, "max": 1}],
}
SAM = {
    "name": "sam",
    "kind": "dimensional",
    "scope": "item",
    "ratings": [{"name": "valence", "min": 1, "max": 5, "step": 1}],
}
SEGMENTS = {"name": "ev", "kind": "segments", "scope": "time", "classes": [{"id": "speech"}]}
FACS = {"name": "au", "kind": "facs", "scope": "item", "units": [{"code": "AU6"}, {"code": "AU12"}]}


def _tracks(rows):
    return pd.DataFrame(rows, columns=["item_id", "prelabeler", "version", "kind", "data"])


def test_vad_scale_maps_linearly_onto_the_fields_scale():
    assert to_field_scale(np.array([1.0, 5.0, 9.0]), -1, 1).tolist() == [-1.0, 0.0, 1.0]
    assert to_field_scale(np.array([3.0]), 1, 5).tolist() == [2.0]


def test_track_windows_are_sampled_at_the_consensus_times_and_faces_averaged():
    track = pd.DataFrame({"time": [0.0, 0.0, 2.0], "end": [2.0, 2.0, 4.0], "valence": [2.0, 4.0, 7.0]})
    assert sample_windows(track, "valence", np.array([0.0, 1.5, 2.0, 3.9, 4.0])).tolist()[:4] == [
        3.0,
        3.0,
        7.0,
        7.0,
    ]
    assert np.isnan(sample_windows(track, "valence", np.array([4.0])))[0]


def test_a_vad_track_that_follows_the_consensus_trace_has_ccc_one():
    times = np.arange(0, 4, 0.5)
    values, tracks = {}, []
    for item in range(3):
        human = np.sin(times + item) * 0.8
        for annotator in ("A01", "A02"):
            values[(item, annotator)] = [[float(t), float(v)] for t, v in zip(times, human, strict=True)]
        # one window per half second on the 1..9 scale: 5 + 4 * v
        data = pd.DataFrame({"time": times, "end": times + 0.5, "valence": 5 + 4 * human})
        tracks.append((str(item), "vad_fused", "1.0", "vad_fused", data))
    labels = frame(label_rows("tr", "trace", values))
    aggregated = {"tr": aggregate_field(TRACE, labels, options=AggregationOptions(lag_compensation=False))}
    rows = prelabel_quality({"fields": [TRACE]}, aggregated, _tracks(tracks))
    assert len(rows) == 1
    assert rows[0]["prelabeler"] == "vad_fused" and rows[0]["measure"].startswith("ccc valence")
    assert rows[0]["value"] == pytest.approx(1.0) and rows[0]["n_items"] == 3


def test_dimensional_ratings_are_compared_with_the_track_mean_per_item():
    values = {(i, a): {"valence": v} for i, v in enumerate([1, 3, 5, 2]) for a in ("A01", "A02")}
    aggregated = {"sam": aggregate_field(SAM, frame(label_rows("sam", "dimensional", values)))}
    # 1..9 -> 1..5: x' = 1 + (x - 1) / 2, so the track holds 2 v - 1 (two windows with that mean)
    tracks = [
        (
            str(i),
            "vad_text",
            "2",
            "vad_text",
            pd.DataFrame({"time": [0.0, 1.0], "valence": [2 * v - 2, 2 * v]}),
        )
        for i, v in enumerate([1, 3, 5, 2])
    ]
    rows = prelabel_quality({"fields": [SAM]}, aggregated, _tracks(tracks))
    assert rows[0]["value"] == pytest.approx(1.0)
    assert rows[0]["n_items"] == 4


def test_speech_segments_against_consensus_segments_by_temporal_iou_f1():
    values = {
        (i, a): [{"start": 1.0, "end": 3.0, "class": "speech"}] for i in range(2) for a in ("A01", "A02")
    }
    aggregated = {"ev": aggregate_field(SEGMENTS, frame(label_rows("ev", "segments", values)))}
    hit = pd.DataFrame({"time": [1.0], "start": [1.0], "end": [2.9]})
    miss = pd.DataFrame({"time": [5.0], "start": [5.0], "end": [6.0]})
    tracks = _tracks(
        [
            ("0", "voice_activity", "1", "speech_segments", hit),
            ("1", "voice_activity", "1", "speech_segments", miss),
        ]
    )
    rows = prelabel_quality({"fields": [SEGMENTS]}, aggregated, tracks)
    # item 0: one match; item 1: none -> F1 = 2 * 1 / (2 + 2)
    assert rows[0]["value"] == pytest.approx(0.5)
    assert rows[0]["measure"] == "temporal_iou_f1 (any class) vs consensus segments"


def test_au_events_against_consensus_presence():
    values = {(0, a): {"AU12": "C"} for a in ("A01", "A02")} | {(1, a): {"AU6": "B"} for a in ("A01", "A02")}
    aggregated = {"au": aggregate_field(FACS, frame(label_rows("au", "facs", values)))}
    events = {"0": ["AU12"], "1": ["AU6"]}
    tracks = _tracks(
        [
            (i, "action_units", "1", "au_events", pd.DataFrame({"time": [0.0] * len(a), "au": a}))
            for i, a in events.items()
        ]
    )
    rows = prelabel_quality({"fields": [FACS]}, aggregated, tracks)
    assert rows[0]["value"] == pytest.approx(1.0) and rows[0]["n_items"] == 2


def test_a_track_on_other_items_is_undefined_with_the_reason():
    values = {(0, a): [[0.0, 0.1], [0.5, 0.2]] for a in ("A01", "A02")}
    aggregated = {"tr": aggregate_field(TRACE, frame(label_rows("tr", "trace", values)))}
    data = pd.DataFrame({"time": [0.0], "end": [1.0], "valence": [5.0]})
    rows = prelabel_quality(
        {"fields": [TRACE]}, aggregated, _tracks([("99", "vad_fused", "1", "vad_fused", data)])
    )
    assert rows[0]["value"] is None
    assert "no item has both" in rows[0]["undefined_reason"]


def test_unrelated_tracks_and_no_tracks_give_no_rows():
    aggregated = {"tr": aggregate_field(TRACE, frame())}
    asr = pd.DataFrame({"time": [0.0], "start": [0.0], "end": [1.0], "text": ["hi"]})
    assert (
        prelabel_quality({"fields": [TRACE]}, aggregated, _tracks([("1", "asr", "1", "segments", asr)])) == []
    )
    assert prelabel_quality({"fields": [TRACE]}, aggregated, _tracks([])) == []


def test_the_report_carries_pre_label_quality_per_field():
    values = {(i, a): {"valence": v} for i, v in enumerate([1, 3, 5]) for a in ("A01", "A02")}
    tracks = _tracks(
        [
            (str(i), "vad_fused", "1", "vad_fused", pd.DataFrame({"time": [0.0], "valence": [2.0 * v - 1]}))
            for i, v in enumerate([1, 3, 5])
        ]
    )
    report = build_report(
        {"fields": [SAM]},
        frame(label_rows("sam", "dimensional", values)),
        items_frame(range(3)),
        n_resamples=10,
        tracks=tracks,
    )
    quality = report["fields"][0]["prelabel_quality"]
    assert len(quality) == 1 and quality[0]["value"] == pytest.approx(1.0)
    assert "field" not in quality[0]
