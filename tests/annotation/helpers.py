"""Small builders shared by the label-schema tests."""

from __future__ import annotations

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
