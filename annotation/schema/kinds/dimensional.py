"""``dimensional``: named ratings, each on its own scale (SAM 1-9, continuous -1..1, Likert 1-5).

Definition: ``"ratings": [{"name": "valence", "min": 1, "max": 9, "step": 1, "labels": [...]}]``
(``step`` absent or null = continuous). Value: ``{"valence": 7, "arousal": 3}`` with every
declared rating present, except those marked ``"required": false``: a protocol may let annotators
skip a rating (dominance, say) without skipping the field.
"""

from __future__ import annotations

from typing import Any

from ..common import (
    FIELD_NAME,
    FIELD_NAME_RULE,
    SCALE_KEYS,
    check_bool,
    check_list,
    check_name,
    check_object,
    check_scale_keys,
    check_text,
    scale_problem,
)
from ..errors import ErrorCollector, describe, join
from .base import KindSpec

MAX_RATINGS = 32


def check_definition(field: dict, path: str, errors: ErrorCollector) -> None:
    if "ratings" not in field:
        return
    ratings_path = join(path, "ratings")
    ratings = field["ratings"]
    if not check_list(ratings, ratings_path, errors, min_items=1, max_items=MAX_RATINGS, what="ratings"):
        return
    names: dict[str, int] = {}
    for index, rating in enumerate(ratings):
        rating_path = join(ratings_path, index)
        if not check_object(
            rating,
            rating_path,
            errors,
            required=("name", "min", "max"),
            optional=("label", "description", "step", "labels", "required"),
            what="a rating",
        ):
            continue
        check_text(rating, "label", rating_path, errors)
        check_text(rating, "description", rating_path, errors, limit=5000)
        check_bool(rating, "required", rating_path, errors)
        name = rating.get("name")
        name_path = join(rating_path, "name")
        if "name" in rating and check_name(name, name_path, errors, pattern=FIELD_NAME, rule=FIELD_NAME_RULE):
            if name in names:
                errors.add(name_path, f"duplicate rating name '{name}' (first used at index {names[name]})")
            else:
                names[name] = index
        check_scale_keys(rating, rating_path, errors)


def rating_names(field: dict) -> list[str]:
    return [r["name"] for r in field.get("ratings", []) if isinstance(r, dict) and "name" in r]


def check_value(field: dict, value: Any, path: str, errors: ErrorCollector, duration: float | None) -> None:
    if not isinstance(value, dict):
        errors.add(path, f"must be an object of rating name -> number, got {describe(value)}")
        return
    ratings = {r["name"]: r for r in field["ratings"]}
    for name, rating in ratings.items():
        if rating.get("required", True) and name not in value:
            errors.add(join(path, name), "is required")
    for name, number in value.items():
        item_path = join(path, name)
        if name not in ratings:
            errors.add(item_path, f"unknown rating '{name}'; expected one of: {', '.join(ratings)}")
            continue
        scale = {key: ratings[name][key] for key in SCALE_KEYS if key in ratings[name]}
        problem = scale_problem(number, scale)
        if problem:
            errors.add(item_path, problem)


SPEC = KindSpec(
    name="dimensional",
    scopes=("item", "time"),
    required_keys=("ratings",),
    optional_keys=(),
    check_definition=check_definition,
    check_value=check_value,
    members=rating_names,
    member_word="rating",
)
