"""Segments by frame majority, FACS per-unit majority, text and time-scoped fields, empty input."""

import pandas as pd

from releases.aggregation import AggregationOptions, aggregate_field
from tests.releases.label_rows import frame, label_rows

SEGMENTS = {
    "name": "events",
    "kind": "segments",
    "scope": "time",
    "classes": [{"id": "laugh"}, {"id": "sigh"}],
}
ONE_SECOND = AggregationOptions(frame_s=1.0)


def _segments(values, options=ONE_SECOND):
    return aggregate_field(SEGMENTS, frame(label_rows("events", "segments", values)), options=options)


def test_frame_majority_is_merged_back_into_segments():
    values = {
        (1, "A01"): [{"start": 0, "end": 3, "class": "laugh"}],
        (1, "A02"): [{"start": 1, "end": 4, "class": "laugh"}],
        (1, "A03"): [{"start": 1, "end": 2, "class": "sigh"}],
    }
    # frames (centres 0.5, 1.5, 2.5, 3.5): -/laugh/laugh/- by 2 of 3 votes each
    assert _segments(values)["value"][0] == [{"start": 1.0, "end": 3.0, "class": "laugh", "tie": False}]


def test_a_frame_tie_with_background_stays_background_and_a_class_tie_is_flagged():
    values = {
        (1, "A01"): [{"start": 0, "end": 2, "class": "laugh"}],
        (1, "A02"): [{"start": 1, "end": 2, "class": "sigh"}],
    }
    # frame 0: laugh vs nothing (tie -> background); frame 1: laugh vs sigh (tie -> "laugh", flagged)
    assert _segments(values)["value"][0] == [{"start": 1.0, "end": 2.0, "class": "laugh", "tie": True}]


def test_the_grid_ends_at_the_given_duration():
    values = {(1, "A01"): [{"start": 0, "end": 1, "class": "laugh"}], (1, "A02"): []}
    result = aggregate_field(
        SEGMENTS, frame(label_rows("events", "segments", values)), options=ONE_SECOND, durations={"1": 5.0}
    )
    assert result["value"][0] == []  # laugh vs nothing on frame 0 is a tie: background
    assert result["n_annotations"][0] == 2


def test_facs_unit_present_by_majority_with_the_lower_median_intensity():
    field = {
        "name": "au",
        "kind": "facs",
        "scope": "item",
        "units": [{"code": "AU6"}, {"code": "AU12"}, {"code": "AD19", "intensity": False}],
    }
    values = {
        (1, "A01"): {"AU12": "C", "AD19": True},
        (1, "A02"): {"AU12": "E"},
        (1, "A03"): {"AU12": "B", "AU6": "A"},
        (1, "A04"): {"AD19": True},
    }
    value = aggregate_field(field, frame(label_rows("au", "facs", values)))["value"][0]
    assert value["units"] == {"AU12": "C"}  # 3 of 4; letters B, C, E -> C
    assert value["ties"] == ["AD19"]  # 2 of 4
    assert value["votes"] == {"AU6": 1, "AU12": 3, "AD19": 2}


def test_text_is_collected_not_aggregated():
    field = {"name": "why", "kind": "text", "scope": "item"}
    result = aggregate_field(field, frame(label_rows("why", "text", {(1, "A02"): "b", (1, "A01"): "a"})))
    assert result["value"][0] == {"annotators": {"A01": "a", "A02": "b"}}
    assert result["method"][0].startswith("not aggregated")


def test_time_scoped_hard_labels_are_voted_like_segments():
    field = {
        "name": "mood",
        "kind": "categorical",
        "mode": "hard",
        "scope": "time",
        "classes": [{"id": "calm"}],
    }
    span = [{"start": 0, "end": 2, "value": {"class": "calm"}}]
    result = aggregate_field(
        field,
        frame(label_rows("mood", "categorical", {(1, "A01"): span, (1, "A02"): span})),
        options=ONE_SECOND,
    )
    assert result["value"][0] == [{"start": 0.0, "end": 2.0, "class": "calm", "tie": False}]
    assert "segments" in result["method"][0]


def test_other_time_scoped_fields_say_they_are_not_aggregated():
    field = {
        "name": "sam",
        "kind": "dimensional",
        "scope": "time",
        "ratings": [{"name": "v", "min": 1, "max": 9}],
    }
    span = [{"start": 0, "end": 2, "value": {"v": 3}}]
    result = aggregate_field(field, frame(label_rows("sam", "dimensional", {(1, "A01"): span})))
    assert result["method"][0].startswith("not aggregated: time-scoped dimensional")
    assert result["value"][0] == {"annotators": {"A01": span}}


def test_no_labels_give_an_empty_table_with_the_contract_columns():
    result = aggregate_field(SEGMENTS, frame())
    assert list(result.columns) == ["item_id", "value", "method", "n_annotations"]
    assert result.empty


def test_rows_without_a_value_do_not_count_as_annotations():
    rows = label_rows(
        "events", "segments", {(1, "A01"): [{"start": 0, "end": 1, "class": "laugh"}], (1, "A02"): None}
    )
    result = aggregate_field(SEGMENTS, pd.DataFrame(rows), options=ONE_SECOND)
    assert result["n_annotations"][0] == 1
    assert result["value"][0] == [{"start": 0.0, "end": 1.0, "class": "laugh", "tie": False}]
