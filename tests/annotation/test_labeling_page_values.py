"""Values the labeling page writes: window grids up to the media's end, optional ratings, soft intensity."""

from annotation.schema import validate_schema, validate_values
from annotation.templates_builtin import TEMPLATES

from .helpers import WINDOWED, dimensional, field_errors, nine_point, value_errors


def test_the_last_window_may_end_at_the_end_of_the_media():
    value = [
        {"start": 0.0, "end": 0.8, "value": {"class": "calm"}},
        {"start": 0.8, "end": 1.05, "value": {"class": "upset"}},
    ]
    assert value_errors(WINDOWED, value, duration=1.05) == []


def test_ends_off_the_grid_are_still_refused_before_the_end_of_the_media():
    value = [{"start": 0.0, "end": 0.95, "value": {"class": "calm"}}]
    assert value_errors(WINDOWED, value, duration=1.05) == [
        "state[0].end: 0.95 is not on the 0.2 s window grid"
    ]
    assert value_errors(WINDOWED, [{"start": 0.0, "end": 1.05, "value": {"class": "calm"}}]) == [
        "state[0].end: 1.05 is not on the 0.2 s window grid"
    ]


def test_a_starting_point_at_the_end_of_the_media_is_not_excused():
    value = [{"start": 0.95, "end": 1.05, "value": {"class": "calm"}}]
    assert value_errors(WINDOWED, value, duration=1.05) == [
        "state[0].start: 0.95 is not on the 0.2 s window grid"
    ]


def test_grid_times_computed_by_multiplication_are_on_the_grid():
    """The page writes i * window_s (rounded to 15 significant digits) for an hour of windows."""
    spans = [
        {"start": float(f"{i * 0.2:.15g}"), "end": float(f"{(i + 1) * 0.2:.15g}"), "value": {"class": "calm"}}
        for i in range(0, 18_000, 7)
    ]
    assert value_errors(WINDOWED, spans, duration=3600) == []


def ratings(*extra: dict) -> dict:
    return dimensional("vad", nine_point("valence"), nine_point("arousal"), *extra)


def test_a_rating_marked_optional_may_be_left_out():
    field = ratings(nine_point("dominance", required=False))
    assert value_errors(field, {"valence": 3, "arousal": 5}) == []
    assert value_errors(field, {"valence": 3, "arousal": 5, "dominance": 7}) == []
    assert value_errors(field, {"valence": 3, "dominance": 7}) == ["vad.arousal: is required"]
    assert value_errors(field, {"valence": 3, "arousal": 5, "dominance": 10}) == [
        "vad.dominance: 10 is outside the scale 1..9"
    ]


def test_ratings_stay_required_by_default():
    assert value_errors(ratings(), {"valence": 3}) == ["vad.arousal: is required"]


def test_the_required_flag_of_a_rating_must_be_a_boolean():
    field = ratings({"name": "dominance", "min": 1, "max": 9, "required": "no"})
    assert field_errors(field) == ["fields[0].ratings[2].required: must be true or false, got a string"]


SOFT = {
    "name": "emotion",
    "kind": "categorical",
    "scope": "item",
    "mode": "soft",
    "intensity": {"min": 1, "max": 5, "step": 1},
    "classes": [
        {"id": "joy"},
        {"id": "sadness", "intensity": {"min": 0, "max": 1}},
        {"id": "neutral", "intensity": None},
    ],
}


def test_soft_labels_carry_an_intensity_per_chosen_class():
    value = {
        "distribution": {"joy": 0.6, "sadness": 0.4, "neutral": 0.0},
        "intensity": {"joy": 4, "sadness": 0.35},
    }
    assert value_errors(SOFT, value) == []
    assert validate_values({"fields": [SOFT]}, {"emotion": value}, complete=True) == []


def test_soft_intensity_follows_the_class_scales():
    value = {
        "distribution": {"joy": 0.6, "sadness": 0.2, "neutral": 0.2},
        "intensity": {"joy": 4.5, "sadness": 2, "neutral": 1},
    }
    assert value_errors(SOFT, value) == [
        "emotion.intensity.joy: 4.5 is not on the scale's step of 1 from 1",
        "emotion.intensity.sadness: 2 is outside the scale 0..1",
        "emotion.intensity.neutral: class 'neutral' has no intensity scale",
    ]
    zero = {"distribution": {"joy": 1.0, "sadness": 0.0}, "intensity": {"sadness": 0.5}}
    assert value_errors(SOFT, zero) == [
        "emotion.intensity.sadness: class 'sadness' has probability 0; give intensity only for chosen classes"
    ]


def test_built_in_templates_stay_valid():
    for slug, template in TEMPLATES.items():
        assert validate_schema(template.definition) == [], slug
