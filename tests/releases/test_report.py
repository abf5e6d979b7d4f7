"""The agreement report: measures per kind, per-annotator and per-item tables, confusion, HTML."""

import json

import numpy as np
import pandas as pd
import pytest

from releases.agreement import icc_table, krippendorff_alpha
from releases.report import build_report, render_report_html
from releases.report.traces import _item_sums, icc_from_sums
from tests.releases.label_rows import frame, items_frame, label_rows

CLASSES = [{"id": "joy"}, {"id": "sad"}]
HARD = {"name": "emotion", "kind": "categorical", "mode": "hard", "scope": "item", "classes": CLASSES}
SAM = {
    "name": "sam",
    "kind": "dimensional",
    "scope": "item",
    "ratings": [{"name": "valence", "min": 1, "max": 9, "step": 1}, {"name": "arousal", "min": -1, "max": 1}],
}
TRACE = {
    "name": "tr",
    "kind": "trace",
    "scope": "time",
    "rate_hz": 2,
    "dimensions": [{"name": "v", "min": -1, "max": 1}],
}


def _hard_labels():
    table = {
        1: {"A01": "joy", "A02": "joy", "A03": "sad"},
        2: {"A01": "sad", "A02": "sad", "A03": "sad"},
        3: {"A01": "joy", "A02": "joy", "A03": "joy"},
        4: {"A01": "sad", "A02": "joy"},
    }
    values = {(i, a): {"class": c} for i, row in table.items() for a, c in row.items()}
    return table, frame(label_rows("emotion", "categorical", values))


def _field(report, name):
    return next(f for f in report["fields"] if f["name"] == name)


def _measure(field, name):
    return next(m for m in field["measures"] if m["measure"] == name)


def test_categorical_measures_match_the_agreement_functions_on_the_same_table():
    table, labels = _hard_labels()
    report = build_report({"fields": [HARD]}, labels, items_frame(table), n_resamples=50)
    field = _field(report, "emotion")
    matrix = pd.DataFrame(table).T.reindex(columns=["A01", "A02", "A03"])
    direct = krippendorff_alpha(matrix, level="nominal", categories=["joy", "sad"], n_resamples=50)
    alpha = _measure(field, "krippendorff_alpha_nominal")
    assert alpha["value"] == pytest.approx(direct.value)
    assert alpha["ci"]["low"] == pytest.approx(direct.ci.low) and alpha["ci"]["n_resamples"] == 50
    assert alpha["observed"] is not None and alpha["expected"] is not None
    assert "incomplete design" in _measure(field, "fleiss_kappa")["undefined_reason"]
    assert _measure(field, "mean_pairwise_cohen_kappa")["value"] is not None
    assert field["level"] == "nominal"


def test_confusion_counts_every_ordered_pair_of_annotators_per_item():
    table, labels = _hard_labels()
    field = _field(build_report({"fields": [HARD]}, labels, items_frame(table), n_resamples=0), "emotion")
    # item 1: joy-joy x2, joy-sad x2, sad-joy x2; item 2: sad-sad x6; item 3: joy-joy x6;
    # item 4: joy-sad, sad-joy
    assert field["confusion"]["classes"] == ["joy", "sad"]
    assert field["confusion"]["matrix"] == [[8, 3], [3, 6]]


def test_per_item_ambiguity_lists_the_most_ambiguous_first_and_every_item():
    table, labels = _hard_labels()
    field = _field(build_report({"fields": [HARD]}, labels, items_frame(table), n_resamples=0), "emotion")
    order = [row["item_id"] for row in field["per_item"]]
    assert order[0] == "4"  # 1 vs 1: the most disagreement there is
    assert set(order[-2:]) == {"2", "3"}  # unanimous
    values = [row["ambiguity"] for row in field["per_item"]]
    assert values == sorted(values, reverse=True)
    assert {row["item_id"]: row["n_annotations"] for row in field["per_item"]}["4"] == 2


def test_per_annotator_rows_cover_everyone_including_an_annotator_without_labels():
    table, labels = _hard_labels()
    report = build_report({"fields": [HARD]}, labels, items_frame(table), n_resamples=0, annotators=["A04"])
    rows = {r["annotator"]: r for r in _field(report, "emotion")["per_annotator"]}
    assert set(rows) == {"A01", "A02", "A03", "A04"}
    assert rows["A04"]["value"] is None and "labeled no item" in rows["A04"]["undefined_reason"]
    assert rows["A01"]["n_items"] == 4 and rows["A03"]["n_items"] == 3
    assert rows["A01"]["measure"] == "krippendorff_alpha_nominal_versus_rest"


def test_dimensional_measures_name_the_rating_and_include_ordinal_ones_for_stepped_scales():
    rng = np.random.default_rng(0)
    values = {
        (i, a): {"valence": int(rng.integers(1, 10)), "arousal": float(rng.uniform(-1, 1))}
        for i in range(12)
        for a in ("A01", "A02", "A03")
    }
    report = build_report(
        {"fields": [SAM]},
        frame(label_rows("sam", "dimensional", values)),
        items_frame(range(12)),
        n_resamples=20,
    )
    names = {m["measure"] for m in _field(report, "sam")["measures"]}
    assert {"krippendorff_alpha_interval valence", "icc(2,1) valence", "icc(3,k) arousal"} <= names
    assert {"krippendorff_alpha_ordinal valence", "mean_pairwise_cohen_kappa_linear valence"} <= names
    assert "krippendorff_alpha_ordinal arousal" not in names  # continuous scale


def _trace_labels(n_items=4):
    rng = np.random.default_rng(1)
    values = {}
    for i in range(n_items):
        base = np.sin(np.arange(0, 5, 0.5) + i)
        for a in ("A01", "A02", "A03")[: 3 if i else 2]:
            noisy = np.clip(base + rng.normal(0, 0.2, base.size), -1, 1)
            values[(i, a)] = [[float(t), float(v)] for t, v in zip(np.arange(0, 5, 0.5), noisy, strict=True)]
    return frame(label_rows("tr", "trace", values))


def test_trace_measures_ccc_and_icc_with_item_level_intervals_and_an_overlay():
    report = build_report({"fields": [TRACE]}, _trace_labels(), items_frame(range(4)), n_resamples=30)
    field = _field(report, "tr")
    ccc = _measure(field, "mean_pairwise_ccc v")
    icc = _measure(field, "icc(2,1) v")
    assert 0 < ccc["value"] <= 1 and icc["value"] is not None
    assert icc["ci"]["method"].startswith("percentile bootstrap, items (whole traces)")
    overlay = field["trace_overlay"]
    assert overlay["item_id"] == "1"  # three annotators; item 0 has two
    assert set(overlay["series"]) == {"A01", "A02", "A03"}
    assert len(overlay["times"]) == len(overlay["consensus"]) == 10
    assert any("lag" in note for note in report["notes"])


def test_icc_from_item_sums_reproduces_icc_table_on_the_stacked_frames():
    rng = np.random.default_rng(2)
    values = rng.normal(size=(30, 3)) + rng.normal(size=(30, 1))
    clusters = np.repeat(np.arange(6), 5)
    point = icc_table(values, n_resamples=0)
    from_sums = icc_from_sums(np.ones((1, 6)), _item_sums(values - values.mean(), clusters), 3)[0]
    assert from_sums == pytest.approx([r.value for r in point.values()])


def test_soft_segments_facs_and_text_fields_get_their_own_measures():
    definition = {
        "fields": [
            {**HARD, "name": "soft", "mode": "soft"},
            {"name": "ev", "kind": "segments", "scope": "time", "classes": [{"id": "laugh"}]},
            {"name": "au", "kind": "facs", "scope": "item", "units": [{"code": "AU12"}]},
            {"name": "why", "kind": "text", "scope": "item"},
        ]
    }
    rows = []
    for i in range(4):
        for a, p in (("A01", 0.9), ("A02", 0.7)):
            rows += label_rows("soft", "categorical", {(i, a): {"distribution": {"joy": p, "sad": 1 - p}}})
            rows += label_rows("ev", "segments", {(i, a): [{"start": 1, "end": 2, "class": "laugh"}]})
            rows += label_rows("au", "facs", {(i, a): {"AU12": "B"} if i % 2 else {}})
            rows += label_rows("why", "text", {(i, a): "because"})
    report = build_report(definition, frame(rows), items_frame(range(4), duration=4.0), n_resamples=10)
    soft = {m["measure"] for m in _field(report, "soft")["measures"]}
    assert soft == {"mean_pairwise_jensen_shannon", "krippendorff_alpha_expected_class"}
    segments = _field(report, "ev")
    assert _measure(segments, "frame_alpha_nominal")["value"] == pytest.approx(1.0)
    assert _measure(segments, "mean_pairwise_temporal_iou_f1")["value"] == pytest.approx(1.0)
    assert segments["confusion"]["classes"] == ["(none)", "laugh"]
    assert _measure(_field(report, "au"), "krippendorff_alpha_nominal AU12 (presence)")[
        "value"
    ] == pytest.approx(1.0)
    text = _field(report, "why")
    assert text["level"] is None and text["measures"][0]["value"] is None
    assert "collected" in text["measures"][0]["undefined_reason"]


def test_the_report_is_strict_json_and_the_same_seed_gives_the_same_report():
    table, labels = _hard_labels()
    definition = {"fields": [HARD, TRACE]}
    both = frame(labels.to_dict("records"), _trace_labels().to_dict("records"))
    first = build_report(definition, both, items_frame(range(5)), seed=4, n_resamples=40)
    again = build_report(definition, both, items_frame(range(5)), seed=4, n_resamples=40)
    assert json.dumps(first, allow_nan=False, sort_keys=True) == json.dumps(
        again, allow_nan=False, sort_keys=True
    )
    assert first["format"] == "affectlab-agreement-report/1"
    # an annotation is one annotator's labels of one item, whatever the number of fields
    pairs = set(zip(both["item_id"], both["annotator"], strict=True))
    assert first["counts"] == {"items": 5, "annotators": 3, "annotations": len(pairs)}
    assert len(pairs) == 13  # 11 hard labels + 11 traces, 9 of them on the same (item, annotator)


def test_html_is_self_contained_and_escapes_hostile_labels_and_annotator_ids():
    hostile = '<script>alert("x")</script>'
    field = {**HARD, "label": hostile, "classes": [{"id": "<b>joy</b>"}, {"id": "sad"}]}
    values = {
        (1, hostile): {"class": "<b>joy</b>"},
        (1, "A02"): {"class": "sad"},
        (2, hostile): {"class": "sad"},
        (2, "A02"): {"class": "sad"},
    }
    report = build_report(
        {"fields": [field, TRACE]},
        frame(label_rows("emotion", "categorical", values), _trace_labels().to_dict("records")),
        items_frame([1, 2]),
        n_resamples=10,
    )
    html = render_report_html(report)
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert "<b>joy</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;joy&lt;/b&gt;" in html
    assert "<svg" in html and "src=" not in html and "href=" not in html


def test_the_aggregation_description_follows_the_method_used():
    from releases.aggregation import AggregationOptions, aggregate_field

    table, labels = _hard_labels()
    aggregated = {"emotion": aggregate_field(HARD, labels, options=AggregationOptions(dawid_skene=True))}
    report = build_report(
        {"fields": [HARD]}, labels, items_frame(table), n_resamples=0, aggregated=aggregated
    )
    aggregation = _field(report, "emotion")["aggregation"]
    assert aggregation["method"].startswith("Dawid-Skene")
    assert aggregation["description"].startswith("Dawid-Skene")
