"""``build_report``: the agreement report of a release, as one JSON-ready dict (see contracts §4).

Each field gets the measures that fit its kind (one module per kind), computed on the latest value of
each annotator, with bootstrap intervals from one seed so that every interval in a report is drawn from
the same item resamples. Nothing in the result is NaN or infinite: a figure that cannot be computed is
null with its reason, and a field whose labels cannot be read at all says so instead of failing the
release.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from releases.aggregation import AggregationOptions, aggregate_field
from releases.aggregation.rows import by_item, latest_values
from releases.aggregation.traces import consensus_statement
from releases.quality import prelabel_quality
from releases.report.categorical import hard_stats, multi_stats, soft_stats
from releases.report.common import FieldStats, Settings, undefined_dict
from releases.report.dimensional import dimensional_stats
from releases.report.facs import facs_stats
from releases.report.segments import segment_stats
from releases.report.text import text_stats
from releases.report.traces import trace_stats

FORMAT = "affectlab-agreement-report/1"

DESCRIPTIONS = {
    "categorical:hard": "Majority vote per item; a tie keeps the alphabetically-first tied class and is "
    "flagged. The soft label (mean of one-hot labels) is given beside it.",
    "categorical:multi": "A class is chosen when more than half of the item's annotators chose it.",
    "categorical:soft": "Mean of the annotators' distributions; hard labels count as one-hot.",
    "dimensional": "Mean and median of each rating over the item's annotators.",
    "trace": "Traces resampled to a common rate, optionally lag-compensated per annotator, then the "
    "mean and the evaluator-weighted estimator (EWE).",
    "segments": "Frame-level majority over annotators (background counts), runs merged back into segments.",
    "facs": "Per unit: present when more than half marked it; intensity = lower median letter.",
    "text": "Not aggregated: texts are collected per annotator.",
}


def build_report(
    definition: Mapping[str, Any],
    labels: pd.DataFrame,
    items: pd.DataFrame,
    *,
    seed: int = 0,
    n_resamples: int = 1000,
    tracks: pd.DataFrame | None = None,
    aggregated: Mapping[str, pd.DataFrame] | None = None,
    annotators: Sequence[str] | None = None,
    options: AggregationOptions | None = None,
) -> dict[str, Any]:
    """The report for ``labels`` (raw-labels rows, §1) of the items in ``items``.

    ``annotators`` lists every pseudonymous annotator of the release, including any who labeled
    nothing (they appear in each field's per-annotator table with that reason). ``aggregated`` is
    the output of ``aggregate_field`` per field name; it is computed here when not given.
    """
    options = options or AggregationOptions(seed=seed)
    settings = Settings(seed=seed, n_resamples=n_resamples)
    labels = _labels_frame(labels)
    fields = [f for f in definition.get("fields", []) if isinstance(f, Mapping) and f.get("name")]
    everyone = _annotators(labels, annotators)
    durations = _durations(items)
    aggregated = dict(aggregated or {})
    notes = _notes(labels, fields, options)
    sections = []
    for field in fields:
        rows = labels[labels["field"] == field["name"]]
        if field["name"] not in aggregated:
            aggregated[field["name"]] = _aggregate(field, rows, options, durations, notes)
        sections.append(
            _section(field, rows, everyone, settings, durations, options, aggregated[field["name"]])
        )
    _attach_quality(sections, definition, aggregated, tracks, notes, settings)
    report = {
        "format": FORMAT,
        "seed": seed,
        "n_resamples": n_resamples,
        "counts": _counts(labels, items),
        "notes": notes,
        "fields": sections,
    }
    return json_ready(report)


def _labels_frame(labels: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["item_id", "annotator", "field", "kind", "value", "schema_version", "revision", "state"]
    if labels is None or labels.empty:
        return pd.DataFrame(columns=columns)
    frame = labels.copy()
    frame["item_id"] = frame["item_id"].astype(str)
    frame["annotator"] = frame["annotator"].astype(str)
    return frame


def _annotators(labels: pd.DataFrame, extra: Sequence[str] | None) -> list[str]:
    return sorted(set(labels["annotator"].astype(str)) | {str(a) for a in extra or []})


def _durations(items: pd.DataFrame | None) -> dict[str, float | None]:
    if items is None or items.empty or "duration_seconds" not in items.columns:
        return {}
    return {
        str(i): (float(d) if d is not None and not pd.isna(d) else None)
        for i, d in zip(items["item_id"], items["duration_seconds"], strict=True)
    }


def _aggregate(field, rows, options, durations, notes) -> pd.DataFrame:
    try:
        return aggregate_field(field, rows, options=options, durations=durations)
    except Exception as exc:  # a field whose labels cannot be read must not fail the whole report
        notes.append(f"field {field['name']!r} could not be aggregated: {exc}")
        return pd.DataFrame(columns=["item_id", "value", "method", "n_annotations"])


def _section(field, rows, everyone, settings, durations, options, aggregated) -> dict[str, Any]:
    kind = field.get("kind", "")
    per_item = by_item(latest_values(rows))
    try:
        stats = _stats(field, kind, per_item, everyone, settings, durations, options, aggregated)
    except Exception as exc:  # same: report the field as not computable, with the reason
        stats = FieldStats(
            level=None, measures=[undefined_dict("agreement", f"could not be computed: {exc}")]
        )
    if not per_item and kind != "text":
        stats.notes.append("no annotations were given for this field")
    return {
        "name": field["name"],
        "kind": kind,
        "mode": field.get("mode"),
        "scope": field.get("scope", "item"),
        "label": str(field.get("label") or field["name"]),
        "level": stats.level,
        "measures": stats.measures,
        "per_annotator": stats.per_annotator,
        "per_item": stats.per_item,
        "confusion": stats.confusion,
        "trace_overlay": stats.trace_overlay,
        "aggregation": _aggregation(field, kind, aggregated),
        "schema_versions": sorted(
            {int(v) for v in rows.get("schema_version", pd.Series(dtype=int)).dropna()}
        ),
        "notes": stats.notes,
        "prelabel_quality": [],
    }


def _stats(field, kind, per_item, everyone, settings, durations, options, aggregated) -> FieldStats:
    if field.get("scope") == "time" and kind not in ("segments", "trace"):
        return _time_scoped(field, kind, per_item, everyone, settings, options)
    if kind == "categorical":
        mode = field.get("mode", "hard")
        handler = {"hard": hard_stats, "multi": multi_stats, "soft": soft_stats}.get(mode, hard_stats)
        return handler(field, per_item, everyone, settings)
    if kind == "dimensional":
        return dimensional_stats(field, per_item, everyone, settings)
    if kind == "trace":
        return trace_stats(field, per_item, everyone, settings, aggregated)
    if kind == "segments":
        return segment_stats(
            field, per_item, everyone, settings, durations=durations, frame_s=options.frame_s
        )
    if kind == "facs":
        return facs_stats(field, per_item, everyone, settings)
    return text_stats(per_item)


def _time_scoped(field, kind, per_item, everyone, settings, options) -> FieldStats:
    """Hard labels on time spans are compared as segments; other time-scoped kinds are not compared."""
    if kind == "categorical" and field.get("mode", "hard") == "hard":
        converted = {
            item: {a: _spans_as_segments(v) for a, v in values.items()} for item, values in per_item.items()
        }
        return segment_stats(field, converted, everyone, settings, durations={}, frame_s=options.frame_s)
    stats = text_stats(per_item)
    stats.measures = [
        undefined_dict(
            "agreement", f"time-scoped {kind} spans are not compared: spans rarely share boundaries"
        )
    ]
    return stats


def _spans_as_segments(value: Any) -> list[dict[str, Any]]:
    out = []
    for span in value if isinstance(value, list) else []:
        inner = span.get("value") if isinstance(span, Mapping) else None
        if isinstance(inner, Mapping) and isinstance(inner.get("class"), str):
            out.append({"start": span.get("start"), "end": span.get("end"), "class": inner["class"]})
    return out


def _aggregation(field: Mapping[str, Any], kind: str, aggregated: pd.DataFrame) -> dict[str, str]:
    key = f"{kind}:{field.get('mode', 'hard')}" if kind == "categorical" else kind
    methods = Counter(aggregated["method"]) if aggregated is not None and len(aggregated) else Counter()
    method = methods.most_common(1)[0][0] if methods else "no items were labeled"
    description = DESCRIPTIONS.get(key, "")
    if method.startswith("Dawid-Skene"):
        description = (
            "Dawid-Skene: the most probable class under per-annotator confusion matrices estimated by EM; "
            "the raw votes and the posterior are given beside it."
        )
    elif method.startswith("not aggregated"):
        description = "Not aggregated: the values are collected per annotator."
    return {"method": method, "description": description}


def _notes(labels: pd.DataFrame, fields: list, options: AggregationOptions) -> list[str]:
    notes = []
    versions = sorted({int(v) for v in labels["schema_version"].dropna()}) if len(labels) else []
    if len(versions) > 1:
        notes.append(
            f"labels were made under schema versions {', '.join(map(str, versions))}; they were translated "
            "to the newest version (class mappings applied) before any figure was computed"
        )
    if labels.empty:
        notes.append("no annotations: every figure is undefined")
    if any(f.get("kind") == "trace" for f in fields):
        notes.append("trace consensus: " + consensus_statement(options))
    notes.append("confidence intervals: 95% percentile bootstrap over items, one seed for every figure")
    return notes


def _counts(labels: pd.DataFrame, items: pd.DataFrame | None) -> dict[str, int]:
    given = latest_values(labels)  # one row per (item, annotator) that holds a value: an annotation
    item_ids = set(given["item_id"])
    if items is not None and not items.empty:
        item_ids |= set(items["item_id"].astype(str))
    return {
        "items": len(item_ids),
        "annotators": int(given["annotator"].nunique()),
        "annotations": len(given),
    }


def _attach_quality(sections, definition, aggregated, tracks, notes, settings: Settings) -> None:
    if tracks is None or len(tracks) == 0:
        return
    try:
        rows = prelabel_quality(
            definition, aggregated, tracks, seed=settings.seed, n_resamples=settings.n_resamples
        )
    except Exception as exc:  # pre-label quality is an extra: its failure must not lose the report
        notes.append(f"pre-labeler quality could not be computed: {exc}")
        return
    by_field = {s["name"]: s for s in sections}
    for row in rows:
        section = by_field.get(row.get("field"))
        if section is not None:
            section["prelabel_quality"].append({k: v for k, v in row.items() if k != "field"})


def json_ready(value: Any) -> Any:
    """Plain JSON values only: numpy scalars unwrapped, NaN and infinity replaced by None."""
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
