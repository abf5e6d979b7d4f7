"""Validation of per-item metadata supplied as JSON (subject, session, personality scores...)."""

from __future__ import annotations

import json
from typing import Any

MAX_METADATA_BYTES = 64 * 1024


class MetadataError(ValueError):
    """Metadata that cannot be stored; the message says why, for the client."""


def parse_metadata(raw: str | bytes | dict | None) -> dict[str, Any]:
    """Accept a JSON object (as text or already decoded); anything else is a clear error."""
    if raw is None or raw == "" or raw == b"":
        return {}
    if isinstance(raw, dict):
        value: Any = raw
    else:
        text = raw.decode("utf-8", errors="strict") if isinstance(raw, bytes) else raw
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MetadataError(
                f"metadata is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from exc
    if not isinstance(value, dict):
        raise MetadataError(f"metadata must be a JSON object, got {type(value).__name__}")
    encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
    if len(encoded.encode("utf-8")) > MAX_METADATA_BYTES:
        raise MetadataError(f"metadata is larger than {MAX_METADATA_BYTES // 1024} KiB")
    return value
