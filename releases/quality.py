"""How close each pre-labeler's tracks come to the human consensus on the same items.

Pairings (a pre-labeler track against a field's aggregated labels, on the items that have both):

* trace fields, per dimension named like a VAD track column (valence, arousal, dominance): Lin's CCC,
  over the frames of all items, between the consensus mean trace and the track sampled at the same
  times (each consensus frame takes the track window containing it; VAD tracks hold one row per window
  ``[time, end)``; rows sharing a window, such as several faces, are averaged);
* dimensional fields, per rating named like a VAD column: CCC across items between the consensus mean
  rating and the track's mean over the item;
* segments fields: temporal-IoU F1 (IoU >= 0.5, classes ignored, since a voice-activity track has none)
  between the consensus segments and the ``speech_segments`` track of ``voice_activity``;
* facs fields: nominal alpha between consensus presence and the pre-labeler's ``au_events`` presence
  (any onset-offset event of the unit in the item), over (item, unit) pairs for the units it scores.

Scales: VAD tracks use the 1..9 Warriner/SAM scale (``models_zoo.prelabelers.vad_scale``); they are
mapped linearly onto the field's own scale, x' = min + (x - 1) / (9 - 1) * (max - min), with the min and
max declared for the trace dimension or rating in the schema. Pairs without a common item are reported
as undefined with the reason. Categorical fields have no pre-labeler producing classes, so none is paired.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from models_zoo.prelabelers.vad_scale import SCALE_MAX, SCALE_MIN
from releases.agreement import krippendorff_alpha, lin_ccc, mean_pairwise_ccc, temporal_iou_f1
from releases.agreement.results import AgreementResult

VAD_COLUMNS = ("valence", "arousal", "dominance")
SEGMENT_TRACKS = {("voice_activity", "speech_segments")}
AU_EVENTS = "au_events"


def prelabel_quality(
    definition: Mapping[str, Any],
    aggregated: Mapping[str, pd.DataFrame],
    tracks: pd.DataFrame,
    *,
    seed: int = 0,
    n_resamples: int = 0,
) -> list[dict[str, Any]]:
    """One entry per (field, pre-labeler, version, measure) pairing found (see the module docstring)."""
    if tracks is None or len(tracks) == 0:
        return []
    tracks = tracks.assign(item_id=tracks["item_id"].astype(str))
    groups = list(tracks.groupby(["prelabeler", "version", "kind"], sort=True))
    out: list[dict[str, Any]] = []
    for field in definition.get("fields", []):
        consensus = aggregated.get(field.get("name", "")) if isinstance(field, Mapping) else None
        values = _consensus_values(consensus)
        for (prelabeler, version, kind), rows in groups:
            data = dict(zip(rows["item_id"], rows["data"], strict=True))
            for measure, result in _pairings(
                field, values, str(prelabeler), str(kind), data, seed, n_resamples
            ):
                out.append(_entry(field["name"], str(prelabeler), str(version), kind, measure, result))
    return out


def _consensus_values(frame: pd.DataFrame | None) -> dict[str, Any]:
    if frame is None or len(frame) == 0:
        return {}
    return dict(zip(frame["item_id"].astype(str), frame["value"], strict=True))


def _pairings(field, values, prelabeler, kind, data, seed, n_resamples):
    field_kind = field.get("kind")
    options = {"seed": seed, "n_resamples": n_resamples}
    if field_kind == "trace":
        for index, dim in enumerate(field.get("dimensions", [])):
            if dim.get("name") in VAD_COLUMNS and _has_column(data, dim["name"]):
                yield (
                    f"ccc {dim['name']} (consensus mean trace)",
                    _trace_ccc(values, data, dim, index, options),
                )
    elif field_kind == "dimensional":
        for rating in field.get("ratings", []):
            if rating.get("name") in VAD_COLUMNS and _has_column(data, rating["name"]):
                yield (
                    f"ccc {rating['name']} (item mean vs consensus mean rating)",
                    _rating_ccc(values, data, rating, options),
                )
    elif field_kind == "segments" and (prelabeler, kind) in SEGMENT_TRACKS:
        yield "temporal_iou_f1 (any class) vs consensus segments", _segments_f1(values, data, options)
    elif field_kind == "facs" and kind == AU_EVENTS:
        yield (
            "krippendorff_alpha_nominal unit presence vs consensus",
            _facs_alpha(field, values, data, options),
        )


def _has_column(data: Mapping[str, Any], column: str) -> bool:
    return any(
        isinstance(d, pd.DataFrame) and column in d.columns and "time" in d.columns for d in data.values()
    )


def to_field_scale(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """1..9 VAD estimates onto the field's [low, high], linearly."""
    return low + (np.asarray(values, dtype=float) - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * (high - low)


def sample_windows(track: pd.DataFrame, column: str, times: np.ndarray) -> np.ndarray:
    """The track's value at each time: the window [time, end) containing it (rows per window averaged)."""
    rows = track[["time", column] + (["end"] if "end" in track.columns else [])].copy()
    rows[column] = pd.to_numeric(rows[column], errors="coerce")
    windows = rows.groupby("time", sort=True).agg(
        {column: "mean", **({"end": "max"} if "end" in rows else {})}
    )
    starts = windows.index.to_numpy(dtype=float)
    ends = windows["end"].to_numpy(dtype=float) if "end" in windows else np.append(starts[1:], np.inf)
    out = np.full(times.shape, np.nan)
    if starts.size == 0:
        return out
    index = np.searchsorted(starts, times, side="right") - 1
    inside = (index >= 0) & (times < ends[np.clip(index, 0, None)])
    out[inside] = windows[column].to_numpy(dtype=float)[index[inside]]
    return out


def _trace_ccc(values, data, dim, index, options) -> AgreementResult:
    tables = []
    for item, value in sorted(values.items()):
        track = data.get(item)
        if not isinstance(value, Mapping) or not isinstance(track, pd.DataFrame) or dim["name"] not in track:
            continue
        mean = value.get("mean")
        if isinstance(mean, Mapping):
            mean = mean.get(dim["name"])
        times = np.asarray(value.get("times", []), dtype=float)
        if not isinstance(mean, list | np.ndarray) or len(mean) != times.size or times.size == 0:
            continue
        human = np.array(
            [np.nan if v is None else v for v in mean] if isinstance(mean, list) else mean, dtype=float
        )
        machine = to_field_scale(sample_windows(track, dim["name"], times), dim["min"], dim["max"])
        tables.append(pd.DataFrame({"consensus": human, "prelabel": machine}))
    if not tables:
        return _none("lin_ccc", "no item has both a consensus trace and this track")
    return mean_pairwise_ccc(tables, **options)


def _rating_ccc(values, data, rating, options) -> AgreementResult:
    human, machine = [], []
    for item, value in sorted(values.items()):
        track = data.get(item)
        mean = value.get("mean", {}).get(rating["name"]) if isinstance(value, Mapping) else None
        if mean is None or not isinstance(track, pd.DataFrame) or rating["name"] not in track:
            continue
        column = pd.to_numeric(track[rating["name"]], errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(column).any():
            continue
        human.append(float(mean))
        machine.append(float(to_field_scale(np.nanmean(column), rating["min"], rating["max"])))
    if not human:
        return _none("lin_ccc", "no item has both a consensus rating and this track")
    return lin_ccc(human, machine, **options)


def _segments_f1(values, data, options) -> AgreementResult:
    human, machine = [], []
    for item, value in sorted(values.items()):
        track = data.get(item)
        if not isinstance(value, list) or not isinstance(track, pd.DataFrame) or "start" not in track:
            continue
        human.append([(float(s["start"]), float(s["end"])) for s in value])
        machine.append(list(zip(track["start"].astype(float), track["end"].astype(float), strict=True)))
    if not human:
        return _none("temporal_iou_f1", "no item has both consensus segments and this track")
    return temporal_iou_f1(human, machine, match_labels=False, **options)


def _facs_alpha(field, values, data, options) -> AgreementResult:
    codes = [u["code"] for u in field.get("units", []) if isinstance(u, Mapping)]
    scored = {str(a) for d in data.values() if isinstance(d, pd.DataFrame) and "au" in d for a in d["au"]}
    codes = [c for c in codes if c in scored] or codes
    rows, n_items = [], 0
    for item, value in sorted(values.items()):
        track = data.get(item)
        if not isinstance(value, Mapping) or not isinstance(track, pd.DataFrame):
            continue
        n_items += 1
        marked = set(value.get("units", {}))
        found = set(track["au"].astype(str)) if "au" in track else set()
        rows += [[float(c in marked), float(c in found)] for c in codes]
    if not rows:
        return _none("krippendorff_alpha_nominal", "no item has both a consensus and this track")
    result = krippendorff_alpha(np.array(rows), level="nominal", **options)
    return dataclasses.replace(result, n_items=n_items)  # items, not (item, unit) rows


def _none(measure: str, reason: str) -> AgreementResult:
    return AgreementResult(measure=measure, value=None, undefined_reason=reason)


def _entry(
    field: str, prelabeler: str, version: str, kind: Any, measure: str, result: AgreementResult
) -> dict:
    return {
        "field": field,
        "prelabeler": prelabeler,
        "version": version,
        "track": str(kind),
        "measure": measure,
        "value": result.value,
        "undefined_reason": result.undefined_reason,
        "n_items": result.n_items,
        "ci": result.ci.to_dict() if result.ci else None,
    }
