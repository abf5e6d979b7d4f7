"""``segments`` fields: spans with a class (and intensity) inside the media's duration."""

from .helpers import field_errors, value_errors


def segments(**extra) -> dict:
    return {
        "name": "ah",
        "kind": "segments",
        "scope": "time",
        "classes": [{"id": "ambivalent"}, {"id": "hesitant", "intensity": {"min": 1, "max": 3, "step": 1}}],
        **extra,
    }


def test_a_segments_field_is_valid():
    assert field_errors(segments()) == []
    assert field_errors(segments(overlap=True, min_duration_s=0.5, intensity={"min": 0, "max": 1})) == []


def test_it_rejects_bad_segment_options():
    assert field_errors(segments(overlap="no", min_duration_s=0, classes=[])) == [
        "fields[0].classes: needs at least 1 classes, got 0",
        "fields[0].overlap: must be true or false, got a string",
        "fields[0].min_duration_s: must be a positive number of seconds, got a number",
    ]


def test_valid_segments():
    value = [
        {"start": 0, "end": 1.5, "class": "ambivalent"},
        {"start": 1.5, "end": 4.0, "class": "hesitant", "intensity": 2},
    ]
    assert value_errors(segments(), value, duration=4.0) == []
    assert value_errors(segments(), [], duration=4.0) == []


def test_times_must_lie_within_the_media():
    value = [
        {"start": -0.5, "end": 1, "class": "ambivalent"},
        {"start": 2, "end": 2, "class": "ambivalent"},
        {"start": 3, "end": 10.5, "class": "ambivalent"},
        {"start": "3", "end": 4, "class": "ambivalent"},
    ]
    assert value_errors(segments(), value, duration=10.0) == [
        "ah[0].start: must be at least 0, got -0.5",
        "ah[1].end: must be after start (2), got 2",
        "ah[2].end: 10.5 is past the end of the media (10.0 s)",
        "ah[3].start: must be a number of seconds, got a string",
    ]


def test_without_a_known_duration_only_order_is_checked():
    assert value_errors(segments(), [{"start": 100, "end": 200, "class": "ambivalent"}]) == []


def test_classes_and_intensity_are_checked():
    value = [
        {"start": 0, "end": 1, "class": "bored"},
        {"start": 1, "end": 2, "class": "ambivalent", "intensity": 1},
        {"start": 2, "end": 3, "class": "hesitant", "intensity": 5},
        {"start": 3, "end": 4, "label": "hesitant"},
    ]
    assert value_errors(segments(), value, duration=4) == [
        "ah[0].class: unknown class 'bored'",
        "ah[1].intensity: class 'ambivalent' has no intensity scale",
        "ah[2].intensity: 5 is outside the scale 1..3",
        "ah[3].class: is required",
        "ah[3].label: unknown key 'label'; expected one of: class, end, intensity, start",
    ]


def test_overlaps_are_refused_unless_allowed():
    value = [
        {"start": 0, "end": 10, "class": "ambivalent"},
        {"start": 2, "end": 3, "class": "hesitant"},
        {"start": 5, "end": 6, "class": "hesitant"},
        {"start": 10, "end": 11, "class": "hesitant"},
    ]
    assert value_errors(segments(), value, duration=20) == [
        "ah[1]: overlaps item 0 (which ends at 10)",
        "ah[2]: overlaps item 0 (which ends at 10)",
    ]
    assert value_errors(segments(overlap=True), value, duration=20) == []


def test_minimum_duration():
    value = [{"start": 0, "end": 0.1, "class": "ambivalent"}]
    assert value_errors(segments(min_duration_s=0.2), value, duration=5) == [
        "ah[0]: lasts 0.1 s, shorter than the minimum 0.2 s"
    ]
