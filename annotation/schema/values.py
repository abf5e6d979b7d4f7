"""Validation of annotation values against the fields of a (valid) schema.

Item-level kinds used with ``"scope": "time"`` take a list of spans, each carrying one value
of the kind: ``[{"start": 0.0, "end": 0.2, "value": {"class": "calm"}}, ...]``. Such spans never
overlap, and with ``window_s`` they start and end on the window grid (a span may also end at the
end of the media, where the last window is shorter).
"""

from __future__ import annotations

from typing import Any

from .common import check_object
from .errors import ErrorCollector, SchemaError, describe, join
from .kinds import KINDS
from .spans import as_list, check_grid, check_no_overlap, check_span

MAX_SPANS = 100_000


def validate_value(
    field: dict, value: Any, *, duration: float | None = None, path: str | None = None
) -> list[SchemaError]:
    """Problems of one field's value; ``duration`` (seconds) bounds times when the media has one."""
    errors = ErrorCollector()
    check_field_value(field, value, path if path is not None else field["name"], errors, duration)
    return errors.result()


def validate_values(
    definition: dict, values: Any, *, duration: float | None = None, complete: bool = False
) -> list[SchemaError]:
    """Problems of a whole annotation ``{field name: value}``.

    With ``complete`` every field marked required (the default) must be present; drafts and
    autosaves pass ``complete=False`` and may hold any subset of fields.
    """
    errors = ErrorCollector()
    if not isinstance(values, dict):
        errors.add("", f"an annotation must be an object of field name -> value, got {describe(values)}")
        return errors.result()
    fields = {field["name"]: field for field in definition["fields"]}
    for name, value in values.items():
        if name not in fields:
            errors.add(join("", str(name)), f"unknown field '{name}'; expected one of: {', '.join(fields)}")
        else:
            check_field_value(fields[name], value, join("", name), errors, duration)
    if complete:
        for name, field in fields.items():
            if field.get("required", True) and name not in values:
                errors.add(join("", name), "is required")
    return errors.result()


def check_field_value(
    field: dict, value: Any, path: str, errors: ErrorCollector, duration: float | None
) -> None:
    spec = KINDS[field["kind"]]
    if spec.timed_value or field["scope"] == "item":
        spec.check_value(field, value, path, errors, duration)
    else:
        _check_timed_spans(field, value, path, errors, duration)


def _check_timed_spans(
    field: dict, value: Any, path: str, errors: ErrorCollector, duration: float | None
) -> None:
    spans = as_list(value, path, errors, "spans {start, end, value}")
    if spans is None:
        return
    if len(spans) > MAX_SPANS:
        errors.add(path, f"allows at most {MAX_SPANS} spans, got {len(spans)}")
        return
    spec = KINDS[field["kind"]]
    window = field.get("window_s")
    bounds: list[tuple[int, float, float]] = []
    for index, span in enumerate(spans):
        span_path = join(path, index)
        if not check_object(span, span_path, errors, required=("start", "end", "value"), what="a span"):
            continue
        interval = check_span(span, span_path, errors, duration)
        if interval is not None:
            bounds.append((index, *interval))
            if window is not None:
                check_grid(interval, window, span_path, errors, duration)
        if "value" in span:
            spec.check_value(field, span["value"], join(span_path, "value"), errors, duration)
    check_no_overlap(bounds, path, errors)
