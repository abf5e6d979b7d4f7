"""A built-in schema template: a ready definition plus the words that help an owner pick it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Template:
    slug: str
    title: str
    description: str
    citation: str
    definition: dict = field(repr=False)

    def build(self) -> dict:
        """A fresh copy, so that publishing or editing one never alters the template itself."""
        return copy.deepcopy(self.definition)


def scale_labels(*pairs: tuple[float, str]) -> list[dict]:
    return [{"value": value, "label": label} for value, label in pairs]


def classes(*entries: tuple[str, str]) -> list[dict]:
    """Classes from (id, label) pairs."""
    return [{"id": cls_id, "label": label} for cls_id, label in entries]


def sam_rating(name: str, label: str, low: str, high: str) -> dict:
    """A Self-Assessment-Manikin style 1-9 rating."""
    return {
        "name": name,
        "label": label,
        "min": 1,
        "max": 9,
        "step": 1,
        "labels": scale_labels((1, low), (5, "neutral"), (9, high)),
    }
