"""``dimensional`` fields: named ratings on declared scales, and rating values."""

from .helpers import field_errors, value_errors

SAM = {
    "min": 1,
    "max": 9,
    "step": 1,
    "labels": [{"value": 1, "label": "unpleasant"}, {"value": 9, "label": "pleasant"}],
}


def vad(**extra) -> dict:
    return {
        "name": "vad",
        "kind": "dimensional",
        "scope": "item",
        "ratings": [
            {"name": "valence", **SAM},
            {"name": "arousal", "min": -1, "max": 1},
            {"name": "dominance", "min": 0, "max": 1, "step": 0.25},
        ],
        **extra,
    }


def test_sam_and_continuous_ratings_are_valid():
    assert field_errors(vad()) == []


def test_it_rejects_bad_ratings():
    ratings = [
        {"name": "valence", "min": 1, "max": 9, "step": 2},
        {"name": "valence", "min": 5, "max": 5},
        {"name": "Arousal", "min": 1, "max": 9, "step": 0},
        {"name": "x", "max": 3, "labels": [{"value": 1}]},
        {
            "name": "y",
            "min": -1,
            "max": 1,
            "labels": [{"value": 0, "label": "mid"}, {"value": 0, "label": "zero"}],
        },
    ]
    assert field_errors(vad(ratings=ratings)) == [
        "fields[0].ratings[1].name: duplicate rating name 'valence' (first used at index 0)",
        "fields[0].ratings[1].max: must be greater than min (5), got 5",
        "fields[0].ratings[2].name: 'Arousal' must start with a lower-case letter and hold only lower-case "
        "letters, digits and '_' (at most 64)",
        "fields[0].ratings[2].step: must be a positive number or null, got a number",
        "fields[0].ratings[3].min: is required",
        "fields[0].ratings[4].labels[1].value: duplicate label for value 0",
    ]


def test_missing_ratings_list():
    field = {"name": "vad", "kind": "dimensional", "scope": "item"}
    assert field_errors(field) == ["fields[0].ratings: is required"]
    assert field_errors({**field, "ratings": []}) == ["fields[0].ratings: needs at least 1 ratings, got 0"]


def test_values_within_scale_and_on_step():
    field = vad()
    assert value_errors(field, {"valence": 7, "arousal": -0.35, "dominance": 0.75}) == []
    assert value_errors(field, {"valence": 7.0, "arousal": 1, "dominance": 0}) == []
    assert value_errors(field, {"valence": 10, "arousal": 0.5, "dominance": 0.3}) == [
        "vad.valence: 10 is outside the scale 1..9",
        "vad.dominance: 0.3 is not on the scale's step of 0.25 from 0",
    ]


def test_every_rating_is_required_and_unknown_ones_rejected():
    assert value_errors(vad(), {"valence": 5, "liking": 3, "arousal": "high"}) == [
        "vad.dominance: is required",
        "vad.liking: unknown rating 'liking'; expected one of: valence, arousal, dominance",
        "vad.arousal: must be a number, got a string",
    ]
    assert value_errors(vad(), [5, 5, 5]) == ["vad: must be an object of rating name -> number, got a list"]
