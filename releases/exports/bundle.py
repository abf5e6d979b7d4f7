"""Everything the writers need about one release, computed once by the build service."""

from __future__ import annotations

from concurrent.futures import Future
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
    pending_report: Future | None = field(default=None, repr=False)

    _aggregated_json: dict[str, dict[str, str]] | None = field(default=None, init=False, repr=False)

    def settle(self) -> None:
        """Wait for the agreement report when it is still being computed, and take it in.

        An error raised while computing it is raised here, so the build fails with its reason.
        """
        if self.pending_report is not None:
            self.report, self.report_html = self.pending_report.result()
            self.pending_report = None

    def aggregated_json_by_item(self) -> dict[str, dict[str, str]]:
        """item_id -> {field: the aggregated value as canonical JSON}, fields sorted.

        Computed once per release: items.jsonl and the split Parquet files write the same text. A
        trace consensus is summarised (``trace_summary``): its samples are in the field's
        consensus file.
        """
        if self._aggregated_json is None:
            from .common import canonical_json_safe

            traces = {
                f["name"] for f in self.snapshot.definition.get("fields", []) if f.get("kind") == "trace"
            }
            out: dict[str, dict[str, str]] = {}
            for name, frame in sorted(self.aggregated.items()):
                for item_id, value in zip(frame["item_id"], frame["value"], strict=True):
                    if name in traces:
                        value = trace_summary(name, value)
                    out.setdefault(str(item_id), {})[name] = canonical_json_safe(value)
            self._aggregated_json = out
        return self._aggregated_json


def trace_summary(field_name: str, value: Any) -> Any:
    """A trace consensus without its samples: where they are, how many frames, lags and weights."""
    if not isinstance(value, dict):
        return value
    from ..services.trace_values import consensus_file

    summary = {k: v for k, v in value.items() if k not in ("times", "mean", "ewe")}
    summary["file"] = consensus_file(field_name)
    summary["frames"] = len(value.get("times") if value.get("times") is not None else [])
    return summary
