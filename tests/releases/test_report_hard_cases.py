"""Every hard case from the issue gives a defined value or null with a reason: never NaN, never an error."""

import json
import math
import re

import numpy as np
import pytest

from releases.report import build_report, render_report_html
from tests.releases.label_rows import frame, items_frame, label_rows

DEFINITION = {
    "fields": [
        {
            "name": "hard",
            "kind": "categorical",
            "mode": "hard",
            "scope": "item",
            "classes": [{"id": "joy"}, {"id": "sad"}],
        },
        {
            "name": "multi",
            "kind": "categorical",
            "mode": "multi",
            "scope": "item",
            "classes": [{"id": "joy"}, {"id": "sad"}],
        },
        {
            "name": "soft",
            "kind": "categorical",
            "mode": "soft",
            "scope": "item",
            "classes": [{"id": "joy"}, {"id": "sad"}],
        },
        {
            "name": "sam",
            "kind": "dimensional",
            "scope": "item",
            "ratings": [
                {"name": "valence", "min": 1, "max": 9, "step": 1},
                {"name": "arousal", "min": -1, "max": 1},
            ],
        },
        {
            "name": "tr",
            "kind": "trace",
            "scope": "time",
            "rate_hz": 2,
            "dimensions": [{"name": "v", "min": -1, "max": 1}],
        },
        {"name": "ev", "kind": "segments", "scope": "time", "classes": [{"id": "laugh"}, {"id": "sigh"}]},
        {
            "name": "au",
            "kind": "facs",
            "scope": "item",
            "units": [{"code": "AU12"}, {"code": "AD19", "intensity": False}],
        },
        {"name": "why", "kind": "text", "scope": "item"},
    ]
}
CLASSES = ("joy", "sad")
TIMES = np.arange(0, 4.5, 0.5)


def _values(c: int) -> dict[str, object]:
    """Each field's value for "answer" c (0 or 1): equal answers give equal values in every field."""
    return {
        "hard": {"class": CLASSES[c]},
        "multi": {"classes": [CLASSES[c]]},
        "soft": {"distribution": {"joy": 0.8 - 0.6 * c, "sad": 0.2 + 0.6 * c}},
        "sam": {"valence": 2 + 5 * c, "arousal": -0.5 + c},
        "tr": [[float(t), float(np.sin(t + 2 * c) * 0.9)] for t in TIMES],
        "ev": [{"start": 0.5, "end": 1.5 + c, "class": ("laugh", "sigh")[c]}],
        "au": {"AU12": "BD"[c]} if c else {"AD19": True},
        "why": f"answer {c}",
    }


def _labels(table: dict[int, dict[str, int]], *, version_of=lambda item: 1):
    rows = []
    kinds = {f["name"]: f["kind"] for f in DEFINITION["fields"]}
    for item, answers in table.items():
        for annotator, c in answers.items():
            for name, value in _values(c).items():
                rows += label_rows(
                    name, kinds[name], {(item, annotator): value}, schema_version=version_of(item)
                )
    return frame(rows)


CASES = {
    "incomplete design": {
        1: {"A01": 0, "A02": 0},
        2: {"A02": 1, "A03": 1},
        3: {"A01": 0, "A03": 1},
        4: {"A01": 1, "A02": 1, "A03": 1},
    },
    "single annotation per item": {1: {"A01": 0}, 2: {"A02": 1}, 3: {"A03": 0}},
    "annotator with nothing": {1: {"A01": 0, "A02": 0}, 2: {"A01": 1, "A02": 1}, 3: {"A01": 0, "A02": 1}},
    "no annotations": {},
    "perfect agreement": {
        1: {"A01": 0, "A02": 0, "A03": 0},
        2: {"A01": 1, "A02": 1, "A03": 1},
        3: {"A01": 0, "A02": 0, "A03": 0},
    },
    "single class": {1: {"A01": 0, "A02": 0, "A03": 0}, 2: {"A01": 0, "A02": 0, "A03": 0}},
}


def _report(case: str, **kwargs):
    table = CASES[case]
    return build_report(
        DEFINITION, _labels(table), items_frame(range(1, 5), duration=4.0), n_resamples=25, **kwargs
    )


def _field(report, name):
    return next(f for f in report["fields"] if f["name"] == name)


def _measure(report, field, measure):
    return next(m for m in _field(report, field)["measures"] if m["measure"] == measure)


def _assert_well_formed(report):
    text = json.dumps(report, allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text
    for field in report["fields"]:
        assert field["measures"], field["name"]
        for m in field["measures"] + field["per_annotator"] + field["prelabel_quality"]:
            if m["value"] is None:
                assert m["undefined_reason"], (field["name"], m)
            else:
                assert math.isfinite(m["value"]) and not m["undefined_reason"]
        for row in field["per_item"]:
            assert row["ambiguity"] is None or math.isfinite(row["ambiguity"])
    html = render_report_html(report)
    assert "<script" not in html and not re.search(r"\bnan\b", html, re.IGNORECASE)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_case_gives_values_or_reasons_in_strict_json(case):
    _assert_well_formed(_report(case))


def test_incomplete_design_has_alpha_and_says_why_fleiss_is_undefined():
    report = _report("incomplete design")
    assert _measure(report, "hard", "krippendorff_alpha_nominal")["value"] is not None
    assert "incomplete design" in _measure(report, "hard", "fleiss_kappa")["undefined_reason"]
    assert "complete items x annotators" in _measure(report, "sam", "icc(2,1) valence")["undefined_reason"]


def test_single_annotation_per_item_is_undefined_for_lack_of_pairs():
    report = _report("single annotation per item")
    reason = _measure(report, "hard", "krippendorff_alpha_nominal")["undefined_reason"]
    assert reason == "no item was rated by two or more annotators"
    assert _measure(report, "tr", "mean_pairwise_ccc v")["value"] is None


def test_an_annotator_who_labeled_nothing_is_listed_with_the_reason():
    table = CASES["annotator with nothing"]
    labels = _labels(table)
    empty = label_rows("hard", "categorical", {(1, "A03"): None})  # opened, never answered
    report = build_report(
        DEFINITION,
        frame(labels.to_dict("records"), empty),
        items_frame([1, 2, 3]),
        n_resamples=10,
        annotators=["A04"],
    )
    _assert_well_formed(report)
    for name in ("hard", "sam", "tr", "ev", "au"):
        rows = {r["annotator"]: r for r in _field(report, name)["per_annotator"]}
        for absent in ("A03", "A04"):
            assert rows[absent]["value"] is None and rows[absent]["n_items"] == 0, (name, absent)
            assert "no item" in rows[absent]["undefined_reason"]
    assert report["counts"]["annotators"] == 2


def test_no_annotations_at_all():
    report = _report("no annotations")
    assert report["counts"] == {"items": 4, "annotators": 0, "annotations": 0}
    assert any("no annotations" in note for note in report["notes"])
    for field in report["fields"]:
        assert all(m["value"] is None for m in field["measures"]), field["name"]
        assert field["per_item"] == [] and field["confusion"] is None and field["trace_overlay"] is None


def test_mixed_schema_versions_are_stated():
    table = CASES["incomplete design"]
    report = build_report(
        DEFINITION, _labels(table, version_of=lambda item: 1 + item % 2), items_frame(table), n_resamples=10
    )
    _assert_well_formed(report)
    assert any("schema versions 1, 2" in note for note in report["notes"])
    assert _field(report, "hard")["schema_versions"] == [1, 2]


def test_perfect_agreement_is_one():
    report = _report("perfect agreement")
    for field, measure in [
        ("hard", "krippendorff_alpha_nominal"),
        ("hard", "fleiss_kappa"),
        ("hard", "mean_pairwise_cohen_kappa"),
        ("sam", "krippendorff_alpha_interval valence"),
        ("sam", "icc(2,1) valence"),
        ("tr", "mean_pairwise_ccc v"),
        ("ev", "frame_alpha_nominal"),
        ("ev", "mean_pairwise_temporal_iou_f1"),
    ]:
        assert _measure(report, field, measure)["value"] == pytest.approx(1.0), (field, measure)
    assert _measure(report, "soft", "mean_pairwise_jensen_shannon")["value"] == pytest.approx(0.0)


def test_a_single_class_used_by_everyone_is_undefined_with_the_reason():
    report = _report("single class")
    alpha = _measure(report, "hard", "krippendorff_alpha_nominal")
    assert alpha["value"] is None and "same class ('joy')" in alpha["undefined_reason"]
    assert alpha["observed"] == 0.0 and alpha["expected"] == 0.0
    assert "chance agreement is 1" in _measure(report, "hard", "fleiss_kappa")["undefined_reason"]
