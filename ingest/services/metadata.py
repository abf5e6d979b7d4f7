"""Validation of per-item metadata supplied as JSON (subject, session, personality scores...).

Whatever passes is plain JSON that every database stores: no NaN or Infinity (not
JSON at all), no NUL characters or lone surrogates (PostgreSQL's ``jsonb`` refuses
both), and at most 64 KiB once written compactly.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_METADATA_BYTES = 64 * 1024
MAX_RAW_BYTES = 4 * MAX_METADATA_BYTES  # pretty-printed input may be larger than its compact form
MAX_DEPTH = 32


class MetadataError(ValueError):
    """Metadata that cannot be stored; the message says why, for the client."""


def parse_metadata(raw: str | bytes | dict | None) -> dict[str, Any]:
    """Accept a JSON object (as text or already decoded); anything else is a clear error."""
    if raw is None or raw == "" or raw == b"":
        return {}
    if isinstance(raw, dict):
        value: Any = raw
    elif isinstance(raw, str | bytes):
        value = _loads(raw)
    else:
        raise MetadataError("metadata must be a JSON object sent as text, not a file")
    if not isinstance(value, dict):
        raise MetadataError(f"metadata must be a JSON object, got {_json_type(value)}")
    _check(value, depth=0)
    encoded = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    if len(encoded.encode("utf-8")) > MAX_METADATA_BYTES:
        raise MetadataError(f"metadata is larger than {MAX_METADATA_BYTES // 1024} KiB")
    return value


def _loads(raw: str | bytes) -> Any:
    if len(raw) > MAX_RAW_BYTES:
        raise MetadataError(f"metadata is larger than {MAX_METADATA_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise MetadataError("metadata is not valid UTF-8 text") from exc
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise MetadataError(
            f"metadata is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise MetadataError(f"metadata is nested more than {MAX_DEPTH} levels deep") from exc


def _refuse_constant(name: str) -> Any:
    raise MetadataError(f"metadata contains {name}, which is not a JSON number; use null or a number")


def _check(value: Any, *, depth: int) -> None:
    """Refuse what JSON or PostgreSQL cannot hold, walking nested objects and arrays."""
    if depth > MAX_DEPTH:
        raise MetadataError(f"metadata is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise MetadataError("metadata keys must be text")
            _check_text(key)
            _check(item, depth=depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            _check(item, depth=depth + 1)
    elif isinstance(value, str):
        _check_text(value)
    elif isinstance(value, float) and not math.isfinite(value):
        raise MetadataError("metadata contains NaN or Infinity, which are not JSON numbers")
    elif value is not None and not isinstance(value, bool | int | float):
        raise MetadataError(f"metadata cannot hold a value of type {type(value).__name__}")


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise MetadataError("metadata text must not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MetadataError("metadata text contains an invalid Unicode character (a lone surrogate)") from exc


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
