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

    def aggregated_by_item(self) -> dict[str, dict[str, Any]]:
        """item_id -> {field: aggregated value}, JSON-safe."""
        from .common import json_safe

        out: dict[str, dict[str, Any]] = {}
        for name, frame in sorted(self.aggregated.items()):
            for item_id, value in zip(frame["item_id"], frame["value"], strict=True):
                out.setdefault(str(item_id), {})[name] = json_safe(value)
        return out
