"""``facs`` fields: declared action units, intensities A-E, per item or per segment."""

from .helpers import field_errors, value_errors


def facs(scope: str = "item") -> dict:
    return {
        "name": "aus",
        "kind": "facs",
        "scope": scope,
        "units": [
            {"code": "AU6", "label": "Cheek raiser"},
            {"code": "AU12", "label": "Lip corner puller"},
            {"code": "AD19", "label": "Tongue show", "intensity": False},
        ],
    }


def test_a_facs_field_is_valid_per_item_and_per_segment():
    assert field_errors(facs()) == []
    assert field_errors(facs("time")) == []


def test_it_rejects_bad_unit_lists():
    field = facs()
    field["units"] = [
        {"code": "AU12"},
        {"code": "AU12"},
        {"code": "lip corner"},
        {"code": "AU1", "intensity": "yes"},
        {"label": "no code"},
    ]
    assert field_errors(field) == [
        "fields[0].units[1].code: duplicate unit code 'AU12' (first used at index 0)",
        "fields[0].units[2].code: 'lip corner' must look like a FACS code: "
        "1-3 capital letters then 1-3 digits (AU12, AD19, M55)",
        "fields[0].units[3].intensity: must be true or false, got a string",
        "fields[0].units[4].code: is required",
    ]
    assert field_errors({**facs(), "units": []}) == ["fields[0].units: needs at least 1 units, got 0"]


def test_values_with_intensities():
    assert value_errors(facs(), {"AU6": "B", "AU12": "E", "AD19": True}) == []
    assert value_errors(facs(), {}) == []
    assert value_errors(facs(), {"AU6": "F", "AU12": 3, "AU4": "A", "AD19": "A"}) == [
        "aus.AU6: intensity must be one of A, B, C, D, E, got 'F'",
        "aus.AU12: intensity must be one of A, B, C, D, E, got a number",
        "aus.AU4: unknown action unit 'AU4'",
        "aus.AD19: 'AD19' is scored present or absent: use true, got 'A'",
    ]
    assert value_errors(facs(), ["AU6"]) == [
        "aus: must be an object of unit code -> intensity (A-E), got a list"
    ]


def test_per_segment_values():
    value = [
        {"start": 0.0, "end": 1.2, "value": {"AU12": "C"}},
        {"start": 1.0, "end": 2.0, "value": {"AU12": "Z"}},
    ]
    assert value_errors(facs("time"), value, duration=3.0) == [
        "aus[1].value.AU12: intensity must be one of A, B, C, D, E, got 'Z'",
        "aus[1]: overlaps item 0 (which ends at 1.2)",
    ]
