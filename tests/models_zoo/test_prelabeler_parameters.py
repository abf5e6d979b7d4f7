"""Parameter descriptions in the registry: what the browser's run form is built from."""

from __future__ import annotations

import pytest

from models_zoo.registry import prelabeler_classes

pytestmark = pytest.mark.django_db


def test_every_parameter_is_described_with_its_default_bounds_and_choices(owner_client):
    listed = {p["name"]: p for p in owner_client.get("/api/prelabelers/").json()}
    for cls in prelabeler_classes().values():
        entry = listed[cls.name]
        described = {p["name"]: p for p in entry["parameters"]}
        assert list(described) == list(cls.default_params), cls.name
        for name, default in cls.default_params.items():
            param = described[name]
            assert param["default"] == default == entry["default_params"][name]
            low, high = cls.param_ranges.get(name, (None, None))
            assert (param["min"], param["max"]) == (low, high), (cls.name, name)
            if cls.name == "asr" and name == "engine":
                continue  # its choices are the installed engines (next test)
            assert param["choices"] == list(cls.param_choices.get(name, ()))
            expected = {bool: "boolean", int: "integer", float: "number"}.get(type(default))
            assert param["type"] == (expected or ("choice" if param["choices"] else "text")), (cls.name, name)


def test_the_asr_engine_is_a_choice_and_beam_size_a_bounded_integer(owner_client):
    listed = {p["name"]: p for p in owner_client.get("/api/prelabelers/").json()}
    asr = {p["name"]: p for p in listed["asr"]["parameters"]}
    assert asr["engine"]["type"] == "choice"
    assert asr["engine"]["choices"][0] == ""  # the configured engine
    assert {"faster-whisper", "openai-whisper"} <= set(asr["engine"]["choices"])
    assert asr["beam_size"] == {
        "name": "beam_size", "type": "integer", "default": 5, "min": 1, "max": 10, "choices": []
    }  # fmt: skip


def test_a_value_outside_the_choices_is_refused_when_requested(make_ready, pattern_mp4, owner_client):
    asset = make_ready(pattern_mp4)
    url = f"/api/media/{asset.pk}/prelabel/"
    refused = owner_client.post(
        url, {"name": "action_units", "params": {"subject": "everyone"}}, format="json"
    )
    assert refused.status_code == 400
    assert "must be one of 'main', 'all'" in str(refused.json()["params"])
