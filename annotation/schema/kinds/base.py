"""What every field kind provides: its keys, its checks, and its class-like members."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ErrorCollector

DefinitionCheck = Callable[[dict, str, ErrorCollector], None]
ValueCheck = Callable[[dict, Any, str, ErrorCollector, float | None], None]


@dataclass(frozen=True)
class KindSpec:
    """One field kind.

    ``check_definition`` runs only after the common keys (name, kind, scope, unknown keys) passed.
    ``check_value`` validates one value; for item-level kinds used with scope ``time`` the
    caller wraps it in timed spans. ``members`` lists the ids whose removal or renaming changes
    what stored labels mean (classes, action units, ratings, trace dimensions).
    """

    name: str
    scopes: tuple[str, ...]
    required_keys: tuple[str, ...]
    optional_keys: tuple[str, ...]
    check_definition: DefinitionCheck
    check_value: ValueCheck
    members: Callable[[dict], list[str]]
    member_word: str
    timed_value: bool = False
