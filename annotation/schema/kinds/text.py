"""``text``: a free-text explanation, or (``"format": "tags"``) open-vocabulary words.

Definition: optional ``min_length``/``max_length`` (characters, counted without surrounding
blanks; for tags they bound each tag), ``format`` (``free`` default, or ``tags``), and for tags
``min_tags``/``max_tags``.
Value: a string, or for tags a list of distinct strings.
"""

from __future__ import annotations

from typing import Any

from ..common import check_int
from ..errors import ErrorCollector, describe, join
from .base import KindSpec

FORMATS = ("free", "tags")
MAX_TEXT_CHARS = 100_000
DEFAULT_MAX_CHARS = 10_000
DEFAULT_MAX_TAG_CHARS = 64
DEFAULT_MAX_TAGS = 20


def check_definition(field: dict, path: str, errors: ErrorCollector) -> None:
    fmt = field.get("format", "free")
    if fmt not in FORMATS:
        shown = f"'{fmt}'" if isinstance(fmt, str) else describe(fmt)
        errors.add(join(path, "format"), f"must be one of {', '.join(FORMATS)}, got {shown}")
    low = check_int(field, "min_length", path, errors, low=0, high=MAX_TEXT_CHARS)
    high = check_int(field, "max_length", path, errors, low=1, high=MAX_TEXT_CHARS)
    default_max = DEFAULT_MAX_TAG_CHARS if fmt == "tags" else DEFAULT_MAX_CHARS
    longest = high if "max_length" in field else default_max
    if low is not None and longest is not None and low > longest:
        errors.add(join(path, "min_length"), f"must not exceed max_length ({longest}), got {low}")
    for key in ("min_tags", "max_tags"):
        if key in field and fmt != "tags":
            errors.add(join(path, key), 'only applies to fields with "format": "tags"')
    if fmt == "tags":
        fewest = check_int(field, "min_tags", path, errors, low=0, high=100)
        most = check_int(field, "max_tags", path, errors, low=1, high=100)
        most = most if "max_tags" in field else DEFAULT_MAX_TAGS
        if fewest is not None and most is not None and fewest > most:
            errors.add(join(path, "min_tags"), f"must not exceed max_tags ({most}), got {fewest}")


def check_value(field: dict, value: Any, path: str, errors: ErrorCollector, duration: float | None) -> None:
    if field.get("format", "free") == "tags":
        _check_tags(field, value, path, errors)
    elif not isinstance(value, str):
        errors.add(path, f"must be a string, got {describe(value)}")
    else:
        _check_length(field, value, path, errors, default_max=DEFAULT_MAX_CHARS)


def _check_length(field: dict, text: str, path: str, errors: ErrorCollector, *, default_max: int) -> None:
    if "\x00" in text:
        errors.add(path, "must not contain NUL characters")
    length = len(text.strip())
    low, high = field.get("min_length", 0), field.get("max_length", default_max)
    if length < low:
        errors.add(path, f"is {length} characters long; at least {low} are required")
    elif length > high:
        errors.add(path, f"is {length} characters long; at most {high} are allowed")


def _check_tags(field: dict, value: Any, path: str, errors: ErrorCollector) -> None:
    if not isinstance(value, list):
        errors.add(path, f"must be a list of words, got {describe(value)}")
        return
    fewest, most = field.get("min_tags", 0), field.get("max_tags", DEFAULT_MAX_TAGS)
    if len(value) < fewest:
        errors.add(path, f"needs at least {fewest} tags, got {len(value)}")
    elif len(value) > most:
        errors.add(path, f"allows at most {most} tags, got {len(value)}")
    seen: set[str] = set()
    for index, tag in enumerate(value):
        tag_path = join(path, index)
        if not isinstance(tag, str):
            errors.add(tag_path, f"must be a string, got {describe(tag)}")
            continue
        folded = tag.strip().casefold()
        if not folded:
            errors.add(tag_path, "must not be blank")
        elif folded in seen:
            errors.add(tag_path, f"'{tag.strip()}' is listed twice")
        else:
            seen.add(folded)
            _check_length(field, tag, tag_path, errors, default_max=DEFAULT_MAX_TAG_CHARS)


SPEC = KindSpec(
    name="text",
    scopes=("item", "time"),
    required_keys=(),
    optional_keys=("min_length", "max_length", "format", "min_tags", "max_tags"),
    check_definition=check_definition,
    check_value=check_value,
    members=lambda field: [],
    member_word="member",
)
