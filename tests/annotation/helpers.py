"""Small builders shared by the label-schema tests (and the browser tests that publish schemas)."""

from __future__ import annotations

from typing import Any

from annotation.schema import validate_schema, validate_value


def schema_with(*fields: dict) -> dict:
    return {"fields": list(fields)}


def schema_errors(definition: object) -> list[str]:
    return [str(error) for error in validate_schema(definition)]


def field_errors(field: dict) -> list[str]:
    """Errors of a one-field schema, for checking a kind's definition rules."""
    return schema_errors(schema_with(field))


def value_errors(field: dict, value: object, duration: float | None = None) -> list[str]:
    assert validate_schema(schema_with(field)) == [], "the field under test must itself be valid"
    return [str(error) for error in validate_value(field, value, duration=duration)]


def categorical(
    name: str, *classes: str, mode: str = "hard", scope: str = "item", labelled: bool = False, **extra: Any
) -> dict:
    """A categorical field; ``labelled`` gives each class its capitalised id as the label pages show."""
    choices = [{"id": cls, "label": cls.capitalize()} if labelled else {"id": cls} for cls in classes]
    return {"name": name, "kind": "categorical", "scope": scope, "mode": mode, "classes": choices, **extra}


def nine_point(name: str, **extra: Any) -> dict:
    """A rating on the 1..9 whole-step scale of the Self-Assessment Manikin."""
    return {"name": name, "min": 1, "max": 9, "step": 1, **extra}


def dimensional(name: str, *ratings: dict, scope: str = "item", **extra: Any) -> dict:
    return {"name": name, "kind": "dimensional", "scope": scope, "ratings": list(ratings), **extra}


# Hard classes on a 0.2 s window grid, the time-scoped field the labeling page's grid writes.
WINDOWED = categorical("state", "calm", "upset", scope="time", window_s=0.2)
