"""``aggregate_field``: one consensus value per item for one schema field, chosen by the field's kind."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from releases.aggregation import categorical, dawid_skene, dimensional, facs, segments, traces
from releases.aggregation.options import AggregationOptions
from releases.aggregation.rows import by_item, latest_values, result_frame

TEXT_METHOD = "not aggregated: free text is collected per annotator"


def aggregate_field(
    field: Mapping[str, Any],
    labels: pd.DataFrame,
    *,
    options: AggregationOptions | None = None,
    durations: Mapping[str, float | None] | None = None,
    trace_arrays: bool = False,
) -> pd.DataFrame:
    """Rows ``item_id``, ``value``, ``method``, ``n_annotations`` for the items anyone labeled.

    ``labels`` holds the raw-labels rows of this one field; the latest revision of each annotator's
    value counts. ``durations`` (item_id -> seconds) sets where a segments field's frame grid ends.
    ``trace_arrays`` keeps a trace consensus as float arrays (see ``aggregate_traces``).
    """
    options = options or AggregationOptions()
    per_item = by_item(latest_values(labels))
    kind = field.get("kind") or (labels["kind"].iloc[0] if len(labels) else "")
    if field.get("scope") == "time" and kind not in ("segments", "trace"):
        return _time_scoped(field, kind, per_item, options)
    if kind == "categorical":
        return _categorical(field, per_item, options)
    if kind == "dimensional":
        method = "mean and median of each rating over the annotators"
        return _batched(per_item, dimensional.aggregate_dimensional_items(field, per_item.values()), method)
    if kind == "trace":
        outcomes = traces.aggregate_traces(field, per_item, options, arrays=trace_arrays)
        rows = [
            _row(item, value, method, len(values))
            for (item, values), (value, method) in zip(per_item.items(), outcomes, strict=True)
        ]
        return result_frame(rows)
    if kind == "segments":
        known = durations or {}
        return _rows(
            per_item,
            None,
            segments.segments_method(options),
            per_item_value=lambda item, values: segments.aggregate_segments(values, options, known.get(item)),
        )
    if kind == "facs":
        return _rows(per_item, lambda values: facs.aggregate_facs(field, values), facs.FACS_METHOD)
    return _collected(per_item, TEXT_METHOD if kind == "text" else f"not aggregated: unknown kind {kind!r}")


def _categorical(
    field: Mapping[str, Any], per_item: dict[str, dict[str, Any]], options: AggregationOptions
) -> pd.DataFrame:
    mode = field.get("mode", "hard")
    if mode == "soft":
        method = "soft label: mean of the annotators' distributions (hard labels as one-hot)"
        return _batched(per_item, categorical.aggregate_soft_items(field, per_item.values()), method)
    if mode == "multi":
        method = (
            "per class: chosen when more than half of the annotators chose it (exactly half: tie, not chosen)"
        )
        return _rows(per_item, lambda values: categorical.aggregate_multi(field, values, options), method)
    if options.dawid_skene:
        posteriors = dawid_skene.dawid_skene_posteriors(per_item)

        def ds_value(item: str, values: dict[str, Any]) -> dict[str, Any]:
            hard = categorical.aggregate_hard(field, values, options)
            value = dawid_skene.dawid_skene_value(posteriors.get(item, {}), hard["votes"], options)
            return {**value, "distribution": hard["distribution"]}

        return _rows(per_item, None, dawid_skene.METHOD, per_item_value=ds_value)
    tie_rule = (
        "alphabetically-first tied class, flagged" if options.tie_break == "flag" else "no class, flagged"
    )
    method = f"majority vote (ties: {tie_rule}); distribution = mean of one-hot labels"
    return _rows(per_item, lambda values: categorical.aggregate_hard(field, values, options), method)


def _time_scoped(
    field: Mapping[str, Any], kind: str, per_item: dict[str, dict[str, Any]], options: AggregationOptions
) -> pd.DataFrame:
    """Hard categorical spans are voted frame by frame like segments; other kinds are collected."""
    if kind == "categorical" and field.get("mode", "hard") == "hard":
        method = "time-scoped hard labels as segments: " + segments.segments_method(options)

        def as_segments(item: str, values: dict[str, Any]) -> list[dict[str, Any]]:
            converted = {a: _spans_as_segments(v) for a, v in values.items()}
            return segments.aggregate_segments(converted, options)

        return _rows(per_item, None, method, per_item_value=as_segments)
    return _collected(per_item, f"not aggregated: time-scoped {kind} spans are collected per annotator")


def _spans_as_segments(value: Any) -> list[dict[str, Any]]:
    out = []
    for span in value if isinstance(value, list) else []:
        if isinstance(span, Mapping) and isinstance(span.get("value"), Mapping):
            label = categorical.hard_class(span["value"])
            if label is not None:
                out.append({"start": span.get("start"), "end": span.get("end"), "class": label})
    return out


def _collected(per_item: dict[str, dict[str, Any]], method: str) -> pd.DataFrame:
    return _rows(per_item, lambda values: {"annotators": dict(sorted(values.items()))}, method)


def _rows(per_item, value_of, method: str, *, per_item_value=None) -> pd.DataFrame:
    rows = []
    for item, values in per_item.items():
        value = per_item_value(item, values) if per_item_value else value_of(values)
        rows.append(_row(item, value, method, len(values)))
    return result_frame(rows)


def _batched(per_item: dict[str, dict[str, Any]], consensus: list[Any], method: str) -> pd.DataFrame:
    """Rows for values computed for all items at once (``consensus`` in ``per_item`` order)."""
    rows = [
        _row(item, value, method, len(values))
        for (item, values), value in zip(per_item.items(), consensus, strict=True)
    ]
    return result_frame(rows)


def _row(item: str, value: Any, method: str, n: int) -> dict[str, Any]:
    return {"item_id": item, "value": value, "method": method, "n_annotations": n}
