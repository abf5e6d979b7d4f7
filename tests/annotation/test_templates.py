"""Built-in templates: each validates and carries what its corpus needs."""

import pytest

from annotation.schema import validate_schema, validate_value
from annotation.templates_builtin import TEMPLATES

EXPECTED = {
    "sewa-continuous",
    "bah-ambivalence",
    "cped-dialogue",
    "mdpe-deception",
    "calmed-windows",
    "facs-coder",
    "soft-label-compound",
    "emer-open-vocabulary",
    "speech-emotion-40",
    "ekman-7",
}


def fields_of(slug: str) -> dict[str, dict]:
    return {field["name"]: field for field in TEMPLATES[slug].build()["fields"]}


def test_all_ten_templates_exist():
    assert set(TEMPLATES) == EXPECTED


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_template_validates_and_is_described(slug):
    template = TEMPLATES[slug]
    assert validate_schema(template.build()) == []
    assert template.title and template.description and template.citation
    assert "http" not in template.citation


def test_build_returns_an_independent_copy():
    first = TEMPLATES["ekman-7"].build()
    first["fields"].clear()
    assert len(TEMPLATES["ekman-7"].build()["fields"]) == 1


def test_sewa_has_three_continuous_traces():
    fields = fields_of("sewa-continuous")
    assert [(f["kind"], f["dimensions"][0]["name"]) for f in fields.values()] == [
        ("trace", "valence"),
        ("trace", "arousal"),
        ("trace", "liking"),
    ]


def test_bah_has_segments_and_a_video_level_label():
    fields = fields_of("bah-ambivalence")
    assert fields["ah_segments"]["kind"] == "segments"
    assert fields["video_label"]["scope"] == "item" and fields["video_label"]["mode"] == "hard"


def test_cped_has_13_emotions_and_dialogue_context():
    template = TEMPLATES["cped-dialogue"].build()
    assert len(fields_of("cped-dialogue")["emotion"]["classes"]) == 13
    assert template["context"]["dialogue_turns_before"] > 0 and template["context"]["show_speaker"] is True


def test_mdpe_records_personality_without_showing_it():
    template = TEMPLATES["mdpe-deception"].build()
    keys = {entry["key"] for entry in template["item_metadata"]}
    assert {"subject_id", "personality.openness", "personality.neuroticism"} <= keys
    assert "context" not in template
    assert set(fields_of("mdpe-deception")) >= {"deception", "emotion"}


def test_calmed_labels_200_ms_windows_with_4_classes():
    state = fields_of("calmed-windows")["state"]
    assert state["window_s"] == 0.2 and len(state["classes"]) == 4
    value = [
        {"start": 0.0, "end": 0.2, "value": {"class": "calm"}},
        {"start": 0.2, "end": 0.4, "value": {"class": "positive"}},
    ]
    assert validate_value(state, value, duration=1.0) == []


def test_facs_coder_has_22_aus_10_descriptors_and_atypicality():
    fields = fields_of("facs-coder")
    aus, ads = fields["action_units"]["units"], fields["action_descriptors"]["units"]
    assert len(aus) == 22 and all(u.get("intensity", True) for u in aus)
    assert len(ads) == 10 and not any(u.get("intensity", True) for u in ads)
    assert fields["atypicality"]["kind"] == "dimensional"


def test_soft_label_corpus_has_basic_and_compound_emotions_with_vad():
    fields = fields_of("soft-label-compound")
    ids = [c["id"] for c in fields["emotion"]["classes"]]
    assert fields["emotion"]["mode"] == "soft" and len(ids) == 22
    assert {"happy", "happily_surprised", "awed"} <= set(ids)
    assert [r["name"] for r in fields["vad"]["ratings"]] == ["valence", "arousal", "dominance"]
    assert (
        validate_value(fields["emotion"], {"distribution": {"happily_surprised": 0.6, "surprised": 0.4}})
        == []
    )


def test_emer_has_open_vocabulary_and_an_explanation():
    fields = fields_of("emer-open-vocabulary")
    assert fields["emotions"]["format"] == "tags"
    assert fields["explanation"]["min_length"] >= 20


def test_speech_benchmark_has_40_categories_with_intensity_levels():
    field = fields_of("speech-emotion-40")["emotions"]
    assert field["mode"] == "multi" and len(field["classes"]) == 40
    assert validate_value(field, {"classes": ["awe", "relief"], "intensity": {"awe": 2}}) == []
    assert [str(e) for e in validate_value(field, {"classes": ["awe"], "intensity": {"awe": 3}})] == [
        "emotions.intensity.awe: 3 is outside the scale 1..2"
    ]


def test_ekman_7_is_hard_with_number_keys():
    field = fields_of("ekman-7")["emotion"]
    assert field["mode"] == "hard"
    assert [c["key"] for c in field["classes"]] == ["1", "2", "3", "4", "5", "6", "7"]
