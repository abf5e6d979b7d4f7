"""``categorical`` fields: definitions (classes, modes, intensity scales) and hard/multi/soft values."""

from .helpers import field_errors, value_errors

INTENSITY = {
    "min": 1,
    "max": 3,
    "step": 1,
    "labels": [{"value": 1, "label": "weak"}, {"value": 3, "label": "strong"}],
}


def categorical(mode: str, **extra) -> dict:
    return {
        "name": "emotion",
        "kind": "categorical",
        "scope": "item",
        "mode": mode,
        "classes": [
            {"id": "joy", "label": "Joy", "key": "j", "intensity": INTENSITY},
            {"id": "anger", "label": "Anger", "key": "a", "intensity": INTENSITY},
            {"id": "neutral", "label": "Neutral", "key": "n"},
        ],
        **extra,
    }


def test_each_mode_with_per_class_intensity_is_valid():
    for mode in ("hard", "multi", "soft"):
        assert field_errors(categorical(mode)) == []


def test_it_rejects_an_unknown_mode_and_missing_classes():
    field = {"name": "emotion", "kind": "categorical", "scope": "item", "mode": "fuzzy"}
    assert field_errors(field) == [
        "fields[0].classes: is required",
        "fields[0].mode: must be one of hard, multi, soft, got 'fuzzy'",
    ]


def test_hard_and_soft_need_two_classes_multi_one():
    one = [{"id": "joy"}]
    assert field_errors(categorical("hard", classes=one)) == [
        "fields[0].classes: needs at least 2 classes, got 1"
    ]
    assert field_errors(categorical("soft", classes=one)) == [
        "fields[0].classes: needs at least 2 classes, got 1"
    ]
    assert field_errors(categorical("multi", classes=one)) == []


def test_class_ids_labels_and_keys_must_be_unique_and_well_formed():
    classes = [
        {"id": "joy", "label": "Joy", "key": "j"},
        {"id": "joy", "label": "JOY ", "key": "J"},
        {"id": "bad id", "key": "xy"},
        {"label": "No id"},
        "anger",
    ]
    assert field_errors(categorical("hard", classes=classes)) == [
        "fields[0].classes[1].id: duplicate class id 'joy' (first used at index 0)",
        "fields[0].classes[1].label: duplicate class label 'JOY ' (first used at index 0)",
        "fields[0].classes[1].key: duplicate shortcut key 'J' (first used at index 0)",
        "fields[0].classes[2].id: 'bad id' must start with a letter or digit and hold only letters, digits, "
        "'_' or '-' (at most 64)",
        "fields[0].classes[2].key: must be a single printable character, got a string",
        "fields[0].classes[3].id: is required",
        "fields[0].classes[4]: a class must be an object, got a string",
    ]


def test_intensity_scales_are_checked_on_classes_and_on_the_field():
    classes = [
        {"id": "joy", "intensity": {"min": 3, "max": 1}},
        {"id": "anger", "intensity": {"min": 0, "max": 1, "step": 0.3}},
        {
            "id": "fear",
            "intensity": {"min": 1, "max": 5, "step": 1, "labels": [{"value": 2.5, "label": "x"}]},
        },
    ]
    field = categorical("hard", classes=classes, intensity={"min": 1, "max": 5, "steps": 1})
    assert field_errors(field) == [
        "fields[0].classes[0].intensity.max: must be greater than min (3), got 1",
        "fields[0].classes[1].intensity.step: max - min (1) is not a whole number of steps of 0.3",
        "fields[0].classes[2].intensity.labels[0].value: 2.5 is not on the scale's step of 1 from 1",
        "fields[0].intensity.steps: unknown key 'steps'; expected one of: labels, max, min, step",
    ]


def test_hard_values():
    field = categorical("hard")
    assert value_errors(field, {"class": "joy", "intensity": 3}) == []
    assert value_errors(field, {"class": "neutral"}) == []
    assert value_errors(field, {"class": "pride"}) == ["emotion.class: unknown class 'pride'"]
    assert value_errors(field, {"class": "neutral", "intensity": 1}) == [
        "emotion.intensity: class 'neutral' has no intensity scale"
    ]
    assert value_errors(field, {"class": "joy", "intensity": 4}) == [
        "emotion.intensity: 4 is outside the scale 1..3"
    ]
    assert value_errors(field, "joy") == ["emotion: a hard label must be an object, got a string"]


def test_multi_values():
    field = categorical("multi")
    assert value_errors(field, {"classes": ["joy", "anger"], "intensity": {"joy": 2}}) == []
    assert value_errors(field, {"classes": []}) == []
    assert value_errors(field, {"classes": ["joy", "joy", "pride"], "intensity": {"anger": 1}}) == [
        "emotion.classes[1]: class 'joy' is listed twice",
        "emotion.classes[2]: unknown class 'pride'",
        "emotion.intensity.anger: class 'anger' is not among the chosen classes; give intensity only for "
        "chosen classes",
    ]


def test_soft_values_must_be_a_distribution_over_known_classes():
    field = categorical("soft")
    assert value_errors(field, {"distribution": {"joy": 0.7, "anger": 0.3}}) == []
    assert value_errors(field, {"distribution": {"joy": 1 / 3, "anger": 1 / 3, "neutral": 1 / 3}}) == []
    assert value_errors(field, {"distribution": {"joy": 0.6, "anger": 0.3}}) == [
        "emotion.distribution: probabilities must sum to 1 (within 1e-06), got 0.9"
    ]
    assert value_errors(field, {"distribution": {"joy": 0.7000001, "anger": 0.3}}) == []
    assert value_errors(field, {"distribution": {"joy": 0.70001, "anger": 0.3}}) == [
        "emotion.distribution: probabilities must sum to 1 (within 1e-06), got 1.00001"
    ]
    assert value_errors(field, {"distribution": {"joy": 1.5, "anger": -0.5, "pride": 0}}) == [
        "emotion.distribution.joy: must be a probability between 0 and 1, got 1.5",
        "emotion.distribution.anger: must be a probability between 0 and 1, got -0.5",
        "emotion.distribution.pride: unknown class 'pride'",
    ]


def test_soft_intensity_only_for_classes_with_probability():
    field = categorical("soft")
    value = {"distribution": {"joy": 1.0, "anger": 0.0}, "intensity": {"joy": 2, "anger": 1}}
    assert value_errors(field, value) == [
        "emotion.intensity.anger: class 'anger' has probability 0; give intensity only for chosen classes"
    ]


def test_field_level_intensity_applies_unless_a_class_opts_out():
    field = categorical(
        "hard",
        classes=[{"id": "joy"}, {"id": "neutral", "intensity": None}],
        intensity={"min": 0, "max": 1},
    )
    assert value_errors(field, {"class": "joy", "intensity": 0.37}) == []
    assert value_errors(field, {"class": "neutral", "intensity": 0.5}) == [
        "emotion.intensity: class 'neutral' has no intensity scale"
    ]
