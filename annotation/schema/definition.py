"""Validation of a whole label-schema definition.

A definition is a JSON object::

    {"title": "...", "description": "...",
     "fields": [{"name": "emotion", "kind": "categorical", "scope": "item", ...}, ...],
     "context": {"dialogue_turns_before": 3, "show_speaker": true, "show_metadata": ["speaker"]},
     "item_metadata": [{"key": "personality.openness", "type": "number"}]}

``context`` says what the labeling page shows beside an item (earlier dialogue turns, the
speaker, chosen metadata); ``item_metadata`` declares per-item metadata the corpus records
(subject personality, demographics) so that exports and splits know what to expect.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .common import (
    FIELD_NAME,
    FIELD_NAME_RULE,
    MAX_DESCRIPTION_CHARS,
    check_bool,
    check_int,
    check_list,
    check_name,
    check_object,
    check_text,
    is_number,
)
from .errors import ErrorCollector, SchemaError, describe, join
from .kinds import KINDS

SCOPES = ("item", "time")
COMMON_REQUIRED = ("name", "kind", "scope")
COMMON_OPTIONAL = ("label", "description", "required", "window_s")
MAX_FIELDS = 64
MAX_DEFINITION_BYTES = 512 * 1024
MAX_WINDOW_S = 3600
METADATA_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
METADATA_KEY_RULE = "must be a metadata key: letters, digits and '_', with '.' between nested keys"
METADATA_TYPES = ("string", "number", "integer", "boolean")
MAX_CONTEXT_TURNS = 50


def validate_schema(definition: Any) -> list[SchemaError]:
    """Every problem of a definition, each with the JSON path where it sits; [] when valid."""
    errors = ErrorCollector()
    if not check_object(
        definition,
        "",
        errors,
        required=("fields",),
        optional=("title", "description", "context", "item_metadata"),
        what="a label schema",
    ):
        return errors.result()
    size = len(json.dumps(definition, ensure_ascii=False, default=str).encode("utf-8"))
    if size > MAX_DEFINITION_BYTES:
        errors.add("", f"the schema is {size} bytes; at most {MAX_DEFINITION_BYTES} are allowed")
        return errors.result()
    check_text(definition, "title", "", errors)
    check_text(definition, "description", "", errors, limit=MAX_DESCRIPTION_CHARS)
    if "fields" in definition:
        _check_fields(definition["fields"], errors)
    if "context" in definition:
        _check_context(definition["context"], errors)
    if "item_metadata" in definition:
        _check_item_metadata(definition["item_metadata"], errors)
    return errors.result()


def _check_fields(fields: Any, errors: ErrorCollector) -> None:
    if not check_list(fields, "fields", errors, min_items=1, max_items=MAX_FIELDS, what="fields"):
        return
    names: dict[str, int] = {}
    for index, field in enumerate(fields):
        path = join("fields", index)
        name = _check_field(field, path, errors)
        if name is None:
            continue
        if name in names:
            errors.add(
                join(path, "name"), f"duplicate field name '{name}' (first used at fields[{names[name]}])"
            )
        else:
            names[name] = index


def _check_field(field: Any, path: str, errors: ErrorCollector) -> str | None:
    """Check one field; return its name when the name itself is valid (for the uniqueness check)."""
    if not isinstance(field, dict):
        errors.add(path, f"a field must be an object, got {describe(field)}")
        return None
    kind = field.get("kind")
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        shown = f"'{kind}'" if isinstance(kind, str) else describe(kind)
        message = "is required" if "kind" not in field else f"unknown kind {shown}"
        errors.add(join(path, "kind"), f"{message}; expected one of: {', '.join(KINDS)}")
        name = field.get("name")
        return name if isinstance(name, str) and FIELD_NAME.match(name) else None
    check_object(
        field,
        path,
        errors,
        required=COMMON_REQUIRED + spec.required_keys,
        optional=COMMON_OPTIONAL + spec.optional_keys,
        what="a field",
    )
    name = field.get("name")
    name_ok = "name" in field and check_name(
        name, join(path, "name"), errors, pattern=FIELD_NAME, rule=FIELD_NAME_RULE
    )
    check_text(field, "label", path, errors)
    check_text(field, "description", path, errors, limit=MAX_DESCRIPTION_CHARS)
    check_bool(field, "required", path, errors)
    _check_scope(field, spec, path, errors)
    spec.check_definition(field, path, errors)
    return name if name_ok else None


def _check_scope(field: dict, spec, path: str, errors: ErrorCollector) -> None:
    scope = field.get("scope")
    if "scope" in field:
        if scope not in SCOPES:
            shown = f"'{scope}'" if isinstance(scope, str) else describe(scope)
            errors.add(join(path, "scope"), f"must be 'item' or 'time', got {shown}")
        elif scope not in spec.scopes:
            errors.add(
                join(path, "scope"), f'a \'{spec.name}\' field is always over time: use "scope": "time"'
            )
    if "window_s" not in field:
        return
    window = field["window_s"]
    if spec.timed_value or scope != "time":
        errors.add(
            join(path, "window_s"),
            'only applies to categorical, dimensional, facs or text fields with "scope": "time"',
        )
    elif not is_number(window) or not 0 < window <= MAX_WINDOW_S:
        shown = window if is_number(window) else describe(window)
        errors.add(
            join(path, "window_s"),
            f"must be a number of seconds above 0 and at most {MAX_WINDOW_S}, got {shown}",
        )


def _check_context(context: Any, errors: ErrorCollector) -> None:
    if not check_object(
        context,
        "context",
        errors,
        optional=("dialogue_turns_before", "dialogue_turns_after", "show_speaker", "show_metadata"),
        what="context",
    ):
        return
    for key in ("dialogue_turns_before", "dialogue_turns_after"):
        check_int(context, key, "context", errors, low=0, high=MAX_CONTEXT_TURNS)
    check_bool(context, "show_speaker", "context", errors)
    if "show_metadata" in context:
        keys = context["show_metadata"]
        keys_path = "context.show_metadata"
        if check_list(keys, keys_path, errors, min_items=0, max_items=64, what="metadata keys"):
            for index, key in enumerate(keys):
                check_name(key, join(keys_path, index), errors, pattern=METADATA_KEY, rule=METADATA_KEY_RULE)


def _check_item_metadata(entries: Any, errors: ErrorCollector) -> None:
    if not check_list(entries, "item_metadata", errors, min_items=0, max_items=128, what="metadata entries"):
        return
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        path = join("item_metadata", index)
        if not check_object(
            entry,
            path,
            errors,
            required=("key", "type"),
            optional=("label", "description", "required"),
            what="a metadata entry",
        ):
            continue
        check_text(entry, "label", path, errors)
        check_text(entry, "description", path, errors, limit=MAX_DESCRIPTION_CHARS)
        check_bool(entry, "required", path, errors)
        if "type" in entry and entry["type"] not in METADATA_TYPES:
            errors.add(
                join(path, "type"),
                f"must be one of {', '.join(METADATA_TYPES)}, got {describe(entry['type'])}",
            )
        key = entry.get("key")
        if "key" in entry and check_name(
            key, join(path, "key"), errors, pattern=METADATA_KEY, rule=METADATA_KEY_RULE
        ):
            if key in seen:
                errors.add(join(path, "key"), f"duplicate metadata key '{key}'")
            else:
                seen[key] = index
