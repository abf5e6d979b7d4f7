"""The schema document as a whole: its shape, field names, kinds, scopes, context and metadata."""

from annotation.schema import validate_schema

from .helpers import field_errors, schema_errors, schema_with

EKMAN = {
    "name": "emotion",
    "kind": "categorical",
    "scope": "item",
    "mode": "hard",
    "classes": [{"id": "joy"}, {"id": "anger"}],
}


def test_a_minimal_schema_is_valid():
    assert validate_schema(schema_with(EKMAN)) == []


def test_it_rejects_a_schema_that_is_not_an_object():
    assert schema_errors([EKMAN]) == ["a label schema must be an object, got a list"]


def test_it_requires_fields_and_rejects_unknown_top_level_keys():
    assert schema_errors({"feilds": []}) == [
        "fields: is required",
        "feilds: unknown key 'feilds'; expected one of: context, description, fields, item_metadata, title",
    ]


def test_it_needs_at_least_one_field():
    assert schema_errors({"fields": []}) == ["fields: needs at least 1 fields, got 0"]


def test_it_reports_unknown_and_missing_kinds():
    errors = schema_errors(
        schema_with(EKMAN, {"name": "x", "kind": "slider", "scope": "item"}, {"name": "y"})
    )
    kinds = "categorical, dimensional, segments, trace, facs, text"
    assert errors == [
        f"fields[1].kind: unknown kind 'slider'; expected one of: {kinds}",
        f"fields[2].kind: is required; expected one of: {kinds}",
    ]


def test_it_rejects_duplicate_and_malformed_field_names():
    errors = schema_errors(schema_with(EKMAN, {**EKMAN}, {**EKMAN, "name": "Emotion Two"}))
    assert errors == [
        "fields[1].name: duplicate field name 'emotion' (first used at fields[0])",
        "fields[2].name: 'Emotion Two' must start with a lower-case letter and hold only lower-case letters, "
        "digits and '_' (at most 64)",
    ]


def test_it_rejects_unknown_keys_on_a_field_and_missing_scope():
    field = {k: v for k, v in EKMAN.items() if k != "scope"} | {"colour": "red"}
    assert field_errors(field) == [
        "fields[0].scope: is required",
        "fields[0].colour: unknown key 'colour'; expected one of: "
        "classes, description, intensity, kind, label, mode, name, required, scope, window_s",
    ]


def test_scope_must_be_item_or_time_and_fit_the_kind():
    assert field_errors({**EKMAN, "scope": "frame"}) == [
        "fields[0].scope: must be 'item' or 'time', got 'frame'"
    ]
    segments = {"name": "s", "kind": "segments", "scope": "item", "classes": [{"id": "a"}]}
    assert field_errors(segments) == [
        'fields[0].scope: a \'segments\' field is always over time: use "scope": "time"'
    ]


def test_window_s_only_applies_to_time_scoped_item_kinds():
    assert field_errors({**EKMAN, "window_s": 0.2}) == [
        "fields[0].window_s: only applies to categorical, dimensional, facs or text fields "
        'with "scope": "time"'
    ]
    assert field_errors({**EKMAN, "scope": "time", "window_s": 0}) == [
        "fields[0].window_s: must be a number of seconds above 0 and at most 3600, got 0"
    ]
    assert field_errors({**EKMAN, "scope": "time", "window_s": 0.2}) == []


def test_label_description_and_required_are_checked():
    assert field_errors({**EKMAN, "label": "", "required": "yes", "description": 3}) == [
        "fields[0].label: must not be blank",
        "fields[0].description: must be a string, got a number",
        "fields[0].required: must be true or false, got a string",
    ]


def test_every_error_of_a_schema_is_reported_at_once():
    definition = {
        "title": "",
        "fields": [
            {**EKMAN, "classes": [{"id": "joy"}, {"id": "joy"}]},
            {"name": "va", "kind": "trace", "scope": "time", "rate_hz": -5, "dimensions": []},
            {"name": "why", "kind": "text", "scope": "item", "min_length": 10, "max_length": 5},
        ],
    }
    assert schema_errors(definition) == [
        "title: must not be blank",
        "fields[0].classes[1].id: duplicate class id 'joy' (first used at index 0)",
        "fields[0].classes[1].label: duplicate class label 'joy' (first used at index 0)",
        "fields[1].rate_hz: must be a number above 0 and at most 1000, got -5",
        "fields[1].dimensions: needs at least 1 dimensions, got 0",
        "fields[2].min_length: must not exceed max_length (5), got 10",
    ]


def test_context_and_item_metadata_are_validated():
    definition = schema_with(EKMAN) | {
        "context": {"dialogue_turns_before": 99, "show_speaker": 1, "show_metadata": ["speaker", "bad key"]},
        "item_metadata": [
            {"key": "personality.openness", "type": "number"},
            {"key": "personality.openness", "type": "float"},
            {"type": "string"},
        ],
    }
    assert schema_errors(definition) == [
        "context.dialogue_turns_before: must be between 0 and 50, got 99",
        "context.show_speaker: must be true or false, got a number",
        "context.show_metadata[1]: 'bad key' must be a metadata key: "
        "letters, digits and '_', with '.' between nested keys",
        "item_metadata[1].type: must be one of string, number, integer, boolean, got a string",
        "item_metadata[1].key: duplicate metadata key 'personality.openness'",
        "item_metadata[2].key: is required",
    ]


def test_nan_and_booleans_are_not_numbers():
    rating = {"name": "v", "min": float("nan"), "max": True}
    field = {"name": "vad", "kind": "dimensional", "scope": "item", "ratings": [rating]}
    assert field_errors(field) == [
        "fields[0].ratings[0].min: must be a number, got a non-finite number",
        "fields[0].ratings[0].max: must be a number, got a boolean",
    ]
