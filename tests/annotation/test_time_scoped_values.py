"""Item-level kinds over time: spans of values, optionally on a fixed window grid."""

from annotation.schema import validate_values

from .helpers import WINDOWED, categorical, dimensional, nine_point, value_errors


def test_spans_on_the_window_grid_are_valid():
    value = [
        {"start": 0.0, "end": 0.2, "value": {"class": "calm"}},
        {"start": 0.2, "end": 1.0, "value": {"class": "upset"}},
        {"start": 1.4, "end": 1.6, "value": {"class": "calm"}},
    ]
    assert value_errors(WINDOWED, value, duration=2.0) == []


def test_spans_off_the_grid_or_with_bad_values_are_refused():
    value = [
        {"start": 0.1, "end": 0.2, "value": {"class": "calm"}},
        {"start": 0.2, "end": 0.5, "value": {"class": "bored"}},
        {"start": 0.4, "end": 0.6, "value": {"class": "calm"}},
        {"start": 0.6, "end": 0.8},
    ]
    assert value_errors(WINDOWED, value, duration=2.0) == [
        "state[0].start: 0.1 is not on the 0.2 s window grid",
        "state[1].end: 0.5 is not on the 0.2 s window grid",
        "state[1].value.class: unknown class 'bored'",
        "state[3].value: is required",
        "state[2]: overlaps item 1 (which ends at 0.5)",
    ]


def test_time_scoped_ratings_use_the_rating_rules():
    field = dimensional("vad", nine_point("valence"), scope="time")
    value = [
        {"start": 0, "end": 2.5, "value": {"valence": 3}},
        {"start": 2.5, "end": 4, "value": {"valence": 0}},
    ]
    assert value_errors(field, value, duration=4) == ["vad[1].value.valence: 0 is outside the scale 1..9"]
    assert value_errors(field, {"valence": 3}) == [
        "vad: must be a list of spans {start, end, value}, got an object"
    ]


def test_a_whole_annotation_is_checked_field_by_field():
    definition = {
        "fields": [
            WINDOWED,
            {"name": "why", "kind": "text", "scope": "item", "required": False},
            categorical("overall", "calm", "upset"),
        ]
    }
    draft = {"state": [{"start": 0, "end": 0.2, "value": {"class": "calm"}}], "mood": "x"}
    assert [str(e) for e in validate_values(definition, draft, duration=1)] == [
        "mood: unknown field 'mood'; expected one of: state, why, overall"
    ]
    assert [str(e) for e in validate_values(definition, {"state": []}, complete=True)] == [
        "overall: is required"
    ]
    assert [str(e) for e in validate_values(definition, "x")] == [
        "an annotation must be an object of field name -> value, got a string"
    ]
