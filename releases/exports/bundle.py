"""Everything the writers need about one release, computed once by the build service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..services.snapshot import Snapshot


@dataclass
class ReleaseBundle:
    project_id: int
    project_name: str
    version: str
    notes: str
    filters: dict
    include_media: str
    seed: int
    dawid_skene: bool
    snapshot: Snapshot
    aggregated: dict[str, pd.DataFrame]
    splits: dict[str, str]
    stratify_field: str | None
    report: dict[str, Any]
    report_html: str
    prelabel_quality: list[dict] = field(default_factory=list)

    _aggregated_json: dict[str, dict[str, str]] | None = field(default=None, init=False, repr=False)

    def aggregated_json_by_item(self) -> dict[str, dict[str, str]]:
        """item_id -> {field: the aggregated value as canonical JSON}, fields sorted.

        Computed once per release: items.jsonl and the split Parquet files write the same text, and
        a trace consensus of thousands of floats is worth serialising only once.
        """
        if self._aggregated_json is None:
            from .common import canonical_json, json_safe

            # a trace consensus is built from plain floats, lists and strings (``_trace_value``)
            plain = {
                f["name"] for f in self.snapshot.definition.get("fields", []) if f.get("kind") == "trace"
            }
            out: dict[str, dict[str, str]] = {}
            for name, frame in sorted(self.aggregated.items()):
                for item_id, value in zip(frame["item_id"], frame["value"], strict=True):
                    text = _plain_json(value) if name in plain else None
                    out.setdefault(str(item_id), {})[name] = text or canonical_json(json_safe(value))
            self._aggregated_json = out
        return self._aggregated_json


def _plain_json(value: Any) -> str | None:
    """``canonical_json`` of a value with nothing for ``json_safe`` to change, else None.

    Encoding refuses NaN, infinities and numpy integers; ``json_safe`` would have changed those, so
    they are left to it. Keys must be strings (``json_safe`` writes ``True`` where JSON writes
    ``true``).
    """
    from .common import canonical_json

    if not isinstance(value, dict) or not all(isinstance(k, str) for k in _keys(value)):
        return None
    try:
        return canonical_json(value)
    except (TypeError, ValueError):
        return None


def _keys(value: Any):
    """Every dict key inside ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, dict | list | tuple):
                yield from _keys(item)
