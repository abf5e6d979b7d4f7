"""What a new version removes or renames, and the class mapping that must account for it."""

from annotation.schema.mapping import check_class_mapping


def emotion(*ids: str, name: str = "emotion", kind: str = "categorical") -> dict:
    if kind == "dimensional":
        return {
            "name": name,
            "kind": kind,
            "scope": "item",
            "ratings": [{"name": i, "min": 1, "max": 9} for i in ids],
        }
    return {"name": name, "kind": kind, "scope": "item", "mode": "hard", "classes": [{"id": i} for i in ids]}


def check(old: list[dict], new: list[dict], mapping=None):
    result = check_class_mapping({"fields": old}, {"fields": new}, mapping)
    return [str(e) for e in result.errors], result.unmapped


def test_adding_classes_and_fields_needs_no_mapping():
    old = [emotion("joy", "anger")]
    new = [emotion("joy", "anger", "fear"), emotion("low", "high", name="arousal")]
    assert check(old, new) == ([], [])


def test_removing_or_renaming_a_class_needs_a_mapping():
    errors, unmapped = check([emotion("joy", "anger", "happy")], [emotion("joy", "rage")])
    assert unmapped == ["emotion.anger", "emotion.happy"]
    assert errors == [
        "class_mapping[\"emotion.anger\"]: class 'anger' of field 'emotion' was removed or renamed: "
        "map it to a class of 'emotion' in the new version, or to null to drop its labels",
        "class_mapping[\"emotion.happy\"]: class 'happy' of field 'emotion' was removed or renamed: "
        "map it to a class of 'emotion' in the new version, or to null to drop its labels",
    ]


def test_a_complete_mapping_is_accepted():
    mapping = {"emotion.anger": "rage", "emotion.happy": None}
    assert check([emotion("joy", "anger", "happy")], [emotion("joy", "rage")], mapping) == ([], [])


def test_mapping_targets_must_exist():
    errors, unmapped = check([emotion("joy", "anger")], [emotion("joy", "rage")], {"emotion.anger": "fury"})
    assert unmapped == []
    assert errors == ["class_mapping[\"emotion.anger\"]: 'emotion' has no class 'fury'"]


def test_unneeded_keys_are_refused_so_no_label_changes_meaning_silently():
    mapping = {"emotion.joy": "rage", "emotion.pride": None, "mood": None, "emotion.anger": "rage"}
    errors, _ = check([emotion("joy", "anger")], [emotion("joy", "rage")], mapping)
    assert errors == [
        "class_mapping[\"emotion.joy\"]: class 'joy' of field 'emotion' is still in the new version; only "
        "removed or renamed ones are mapped",
        "class_mapping[\"emotion.pride\"]: field 'emotion' had no class 'pride'",
        "class_mapping.mood: the previous version has no field 'mood'",
    ]


def test_a_removed_or_renamed_field_needs_a_mapping():
    errors, unmapped = check(
        [emotion("joy", "anger"), emotion("a", "b", name="mood")], [emotion("joy", "anger")]
    )
    assert unmapped == ["mood"]
    assert errors == [
        "class_mapping.mood: field 'mood' was removed or renamed: map it to a categorical field of the new "
        "version, or to null to drop its labels"
    ]
    assert check([emotion("a", "b", name="mood")], [emotion("joy", "anger")], {"mood": None}) == ([], [])


def test_a_renamed_field_carries_its_classes_and_maps_the_rest():
    old = [emotion("calm", "tense", name="mood")]
    new = [emotion("calm", "stressed", name="affect")]
    errors, unmapped = check(old, new, {"mood": "affect"})
    assert unmapped == ["mood.tense"]
    assert check(old, new, {"mood": "affect", "mood.tense": "stressed"}) == ([], [])


def test_fields_only_move_to_a_field_of_the_same_kind():
    old = [emotion("calm", "tense", name="mood")]
    new = [emotion("valence", name="affect", kind="dimensional")]
    errors, _ = check(old, new, {"mood": "affect", "mood.calm": None})
    assert errors == [
        "class_mapping.mood: 'affect' is a dimensional field but 'mood' was categorical; "
        "labels can only move to a field of the same kind",
        "class_mapping[\"mood.calm\"]: map field 'mood' itself to a field of the new version first",
    ]


def test_changing_a_fields_kind_counts_as_removal():
    old = [emotion("valence", "arousal", name="vad", kind="dimensional")]
    new = [emotion("pos", "neg", name="vad")]
    errors, unmapped = check(old, new)
    assert unmapped == ["vad"]
    assert errors == [
        "class_mapping.vad: field 'vad' changed kind from dimensional to categorical: "
        "map it to a dimensional field of the new version, or to null to drop its labels"
    ]


def test_removed_ratings_and_units_count_like_classes():
    old = [emotion("valence", "arousal", name="vad", kind="dimensional")]
    errors, unmapped = check(old, [emotion("valence", name="vad", kind="dimensional")])
    assert unmapped == ["vad.arousal"]
    old_facs = [
        {"name": "aus", "kind": "facs", "scope": "item", "units": [{"code": "AU6"}, {"code": "AU12"}]}
    ]
    new_facs = [{"name": "aus", "kind": "facs", "scope": "item", "units": [{"code": "AU12"}]}]
    errors, unmapped = check(old_facs, new_facs)
    assert unmapped == ["aus.AU6"]
    assert errors[0].endswith(
        "unit 'AU6' of field 'aus' was removed or renamed: map it to a unit of 'aus' in the "
        "new version, or to null to drop its labels"
    )


def test_mapping_values_must_be_ids_or_null():
    errors, _ = check([emotion("joy", "anger")], [emotion("joy")], {"emotion.anger": 3})
    assert errors == ['class_mapping["emotion.anger"]: must be a new id or null, got a number']
    errors, _ = check([emotion("joy", "anger")], [emotion("joy")], ["emotion.anger"])
    assert errors == ["class_mapping: must be an object of old id -> new id or null, got a list"]
