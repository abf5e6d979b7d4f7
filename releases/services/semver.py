"""Semantic version numbers X.Y.Z (no pre-release or build suffixes): parse, compare, bump."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

SEMVER = re.compile(r"(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})")
BUMPS = ("major", "minor", "patch")
FIRST_VERSION = (1, 0, 0)


def parse_version(text: object) -> tuple[int, int, int]:
    """``"1.2.0"`` -> ``(1, 2, 0)``; anything else is a ValidationError naming the rule."""
    match = SEMVER.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValidationError(
            f"'{text}' is not a version of the form X.Y.Z (three whole numbers without leading zeros, "
            "e.g. 1.2.0)."
        )
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def format_version(parts: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in parts)


def bump_version(previous: tuple[int, int, int] | None, bump: str) -> tuple[int, int, int]:
    """The next number after ``previous``; the first version of a project is 1.0.0 whatever the bump."""
    if bump not in BUMPS:
        raise ValidationError(f"bump must be one of {', '.join(BUMPS)}, got '{bump}'.")
    if previous is None:
        return FIRST_VERSION
    major, minor, patch = previous
    if bump == "major":
        return (major + 1, 0, 0)
    if bump == "minor":
        return (major, minor + 1, 0)
    return (major, minor, patch + 1)
