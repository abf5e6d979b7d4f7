"""Categorical consensus: majority vote and its ties, per-class majority, mean distributions, Dawid-Skene."""

import numpy as np
import pytest

from releases.aggregation import AggregationOptions, aggregate_field
from tests.releases.label_rows import frame, label_rows

CLASSES = [{"id": "joy"}, {"id": "sad"}, {"id": "anger"}]
HARD = {"name": "emotion", "kind": "categorical", "mode": "hard", "scope": "item", "classes": CLASSES}


def _hard(values: dict) -> dict:
    result = aggregate_field(HARD, frame(label_rows("emotion", "categorical", values)))
    return dict(zip(result["item_id"], result["value"], strict=True))


def test_majority_vote_counts_votes_and_keeps_the_mean_one_hot_distribution():
    out = _hard({(1, "A01"): {"class": "sad"}, (1, "A02"): {"class": "sad"}, (1, "A03"): {"class": "joy"}})
    assert out["1"]["class"] == "sad"
    assert out["1"]["tie"] is False
    assert out["1"]["votes"] == {"sad": 2, "joy": 1}
    assert out["1"]["distribution"] == pytest.approx({"joy": 1 / 3, "sad": 2 / 3, "anger": 0.0})


def test_a_tie_keeps_the_alphabetically_first_class_and_is_flagged():
    out = _hard({(1, "A01"): {"class": "sad"}, (1, "A02"): {"class": "joy"}})
    assert out["1"]["class"] == "joy"  # "joy" < "sad"
    assert out["1"]["tie"] is True


def test_tie_break_none_leaves_a_tie_without_a_class():
    labels = frame(
        label_rows("emotion", "categorical", {(1, "A01"): {"class": "sad"}, (1, "A02"): {"class": "joy"}})
    )
    result = aggregate_field(HARD, labels, options=AggregationOptions(tie_break="none"))
    assert result["value"][0]["class"] is None
    assert result["value"][0]["tie"] is True


def test_only_the_latest_revision_of_an_annotator_counts():
    rows = label_rows("emotion", "categorical", {(1, "A01"): {"class": "sad"}, (1, "A02"): {"class": "joy"}})
    newer = {**rows[0], "value": {"class": "joy"}, "revision": 2}
    result = aggregate_field(HARD, frame([*rows, newer]))
    assert result["value"][0]["votes"] == {"joy": 2}
    assert result["n_annotations"][0] == 2


def test_multi_chooses_classes_marked_by_more_than_half_and_flags_exactly_half():
    field = {**HARD, "name": "m", "mode": "multi"}
    values = {
        (1, "A01"): {"classes": ["joy", "sad"]},
        (1, "A02"): {"classes": ["joy"]},
        (1, "A03"): {"classes": ["joy", "anger"]},
        (1, "A04"): {"classes": ["sad"]},
    }
    value = aggregate_field(field, frame(label_rows("m", "categorical", values)))["value"][0]
    assert value["classes"] == ["joy"]  # 3 of 4
    assert value["tie"] is True and value["tied_classes"] == ["sad"]  # 2 of 4
    assert value["votes"] == {"joy": 3, "sad": 2, "anger": 1}


def test_soft_label_is_the_mean_distribution_with_hard_labels_as_one_hot():
    field = {**HARD, "name": "s", "mode": "soft"}
    values = {
        (1, "A01"): {"distribution": {"joy": 0.6, "sad": 0.4}},
        (1, "A02"): {"distribution": {"joy": 0.2, "anger": 0.8}},
        (1, "A03"): {"class": "sad"},
    }
    value = aggregate_field(field, frame(label_rows("s", "categorical", values)))["value"][0]
    expected = {"joy": (0.6 + 0.2 + 0) / 3, "sad": (0.4 + 0 + 1) / 3, "anger": (0 + 0.8 + 0) / 3}
    assert value["distribution"] == pytest.approx(expected)


def _spammer_design() -> tuple[dict, dict]:
    """A01 always right, A02 wrong on every fourth item, A03 a spammer answering at random (seeded)."""
    rng = np.random.default_rng(7)
    cycle = ["joy", "sad", "anger"]
    truth, values = {}, {}
    for i in range(120):
        true = cycle[i % 3]
        truth[str(i)] = true
        values[(i, "A01")] = {"class": true}
        values[(i, "A02")] = {"class": cycle[(i + 1) % 3] if i % 4 == 0 else true}
        values[(i, "A03")] = {"class": cycle[int(rng.integers(0, 3))]}
    return truth, values


def test_dawid_skene_recovers_the_truth_where_a_spammer_outvotes_it():
    truth, values = _spammer_design()
    labels = frame(label_rows("emotion", "categorical", values))
    majority = aggregate_field(HARD, labels)
    ds = aggregate_field(HARD, labels, options=AggregationOptions(dawid_skene=True))
    wrong_by_majority = [
        i for i, v in zip(majority["item_id"], majority["value"], strict=True) if v["class"] != truth[i]
    ]
    assert wrong_by_majority  # where the spammer sides with A02's mistake, or all three differ
    assert {i: v["class"] for i, v in zip(ds["item_id"], ds["value"], strict=True)} == truth
    assert ds["method"][0].startswith("Dawid-Skene")
    assert sum(ds["value"][0]["posterior"].values()) == pytest.approx(1.0)


def test_dawid_skene_is_deterministic_whatever_the_row_order():
    _, values = _spammer_design()
    labels = frame(label_rows("emotion", "categorical", values))
    options = AggregationOptions(dawid_skene=True)
    first = aggregate_field(HARD, labels, options=options)
    second = aggregate_field(HARD, labels.sample(frac=1.0, random_state=3), options=options)
    assert first.to_dict("records") == second.to_dict("records")


def test_an_unknown_tie_break_is_a_clear_error():
    with pytest.raises(ValueError, match="tie_break"):
        AggregationOptions(tie_break="coin")
