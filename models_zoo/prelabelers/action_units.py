"""Facial action-unit intensity estimates from MediaPipe blendshapes (not a trained AU detector).

No AU detector runs offline here, so each AU is read from the blendshape(s) that move the same
muscles, averaged over left and right, on the blendshapes' 0-1 scale (not FACS A-E intensity).
AU6 (cheek raiser) is the one composite: MediaPipe's cheekSquint seldom fires, so it also takes
eye squint when it co-occurs with a smile (the Duchenne pattern), capped by the smile.
A deployment with a real AU model registers its own pre-labeler producing the same columns.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow.parquet as pq

from .base import BadInput, Prelabeler, RunContext, TrackOutput

METHOD = "estimated from MediaPipe blendshapes"

# AU -> blendshapes averaged (names without Left/Right are used as they are).
AU_BLENDSHAPES: dict[str, tuple[str, ...]] = {
    "AU01": ("browInnerUp",),
    "AU02": ("browOuterUpLeft", "browOuterUpRight"),
    "AU04": ("browDownLeft", "browDownRight"),
    "AU05": ("eyeWideLeft", "eyeWideRight"),
    "AU06": ("cheekSquintLeft", "cheekSquintRight"),  # plus smile-gated eye squint, see _au06
    "AU07": ("eyeSquintLeft", "eyeSquintRight"),
    "AU09": ("noseSneerLeft", "noseSneerRight"),
    "AU10": ("mouthUpperUpLeft", "mouthUpperUpRight"),
    "AU12": ("mouthSmileLeft", "mouthSmileRight"),
    "AU14": ("mouthDimpleLeft", "mouthDimpleRight"),
    "AU15": ("mouthFrownLeft", "mouthFrownRight"),
    "AU16": ("mouthLowerDownLeft", "mouthLowerDownRight"),
    "AU17": ("mouthShrugLower",),
    "AU18": ("mouthPucker",),
    "AU20": ("mouthStretchLeft", "mouthStretchRight"),
    "AU22": ("mouthFunnel",),
    "AU23_24": ("mouthPressLeft", "mouthPressRight"),
    "AU25_26": ("jawOpen",),
    "AU45": ("eyeBlinkLeft", "eyeBlinkRight"),
}


def au_intensities(columns: dict[str, np.ndarray], rows: int) -> dict[str, np.ndarray]:
    def mean_of(names: tuple[str, ...]) -> np.ndarray:
        missing = [n for n in names if n not in columns]
        if missing:
            raise BadInput(f"The blendshapes track lacks {', '.join(missing)}.")
        return np.mean([columns[n] for n in names], axis=0) if rows else np.zeros(0)

    out = {au: mean_of(names) for au, names in AU_BLENDSHAPES.items()}
    out["AU06"] = np.maximum(out["AU06"], np.minimum(out["AU07"], out["AU12"]))
    return {au: np.clip(values, 0.0, 1.0) for au, values in out.items()}


def events(times: np.ndarray, values: np.ndarray, threshold: float, min_seconds: float, gap: float):
    """(start, end, peak) runs where ``values`` stay at or above ``threshold``."""
    found, start, peak, last = [], None, 0.0, None
    for t, v in zip(times, values, strict=True):
        if v >= threshold and start is not None and last is not None and t - last > gap:
            found.append((start, last, peak))
            start = None
        if v >= threshold:
            start, peak = (t, v) if start is None else (start, max(peak, v))
            last = t
        elif start is not None:
            found.append((start, last, peak))
            start = None
    if start is not None:
        found.append((start, last, peak))
    return [(s, e, p) for s, e, p in found if e - s >= min_seconds]


class ActionUnitsPrelabeler(Prelabeler):
    name = "action_units"
    version = "1"
    description = "Per-frame facial action-unit intensities estimated from MediaPipe blendshapes."
    inputs = ("track:face/blendshapes",)
    produces = ("action_units", "au_events")
    default_params: ClassVar[dict[str, Any]] = {
        "subject": "main",  # "main" or "all" identities
        "event_threshold": 0.5,
        "event_min_seconds": 0.0,
    }
    param_ranges: ClassVar[dict[str, tuple[float, float]]] = {
        "event_threshold": (0.0, 1.0),
        "event_min_seconds": (0.0, 3600.0),
    }
    param_choices: ClassVar[dict[str, tuple[str, ...]]] = {"subject": ("main", "all")}

    def run(self, ctx: RunContext) -> list[TrackOutput]:
        if ctx.params["subject"] not in ("main", "all"):
            raise BadInput("Parameter 'subject' must be 'main' or 'all'.")
        table = pq.read_table(ctx.upstream["face/blendshapes"])
        if ctx.params["subject"] == "main" and table.num_rows:
            table = table.filter(table.column("is_main"))
        data = {name: table.column(name).to_numpy(zero_copy_only=False) for name in table.column_names}
        rows = table.num_rows
        aus = au_intensities(data, rows) if rows else {au: np.zeros(0) for au in AU_BLENDSHAPES}
        times = data.get("time", np.zeros(0))
        identities = data.get("identity", np.zeros(0, dtype=np.int32))
        meta = {"method": METHOD, "scale": "0-1 (blendshape score, not FACS A-E)", "mapping": AU_BLENDSHAPES}
        track = {
            "time": times.tolist(),
            "frame": data.get("frame", np.zeros(0, dtype=np.int64)).tolist(),
            "identity": identities.tolist(),
            **{au: values.tolist() for au, values in aus.items()},
        }
        ev: dict[str, list] = {"time": [], "end": [], "au": [], "identity": [], "peak": []}
        sample_rate = _rate(times)
        gap = 1.5 / sample_rate if sample_rate else 1.0
        for identity in sorted(set(identities.tolist())):
            mask = identities == identity
            for au, values in aus.items():
                for s, e, p in events(times[mask], values[mask], ctx.params["event_threshold"],
                                      ctx.params["event_min_seconds"], gap):  # fmt: skip
                    for key, value in zip(ev, (s, e, au, identity, p), strict=True):
                        ev[key].append(value)
        ctx.progress(1.0)
        types = {"time": "float64", "frame": "int64", "identity": "int32"}
        ev_types = {
            "time": "float64",
            "end": "float64",
            "au": "string",
            "identity": "int32",
            "peak": "float64",
        }
        duration = ctx.asset.duration_seconds
        return [
            TrackOutput(
                "action_units", track, sample_rate, duration, meta, {**types, **dict.fromkeys(aus, "float64")}
            ),
            TrackOutput(
                "au_events",
                ev,
                None,
                duration,
                {**meta, "threshold": ctx.params["event_threshold"], "rows": "one per onset-offset run"},
                ev_types,
            ),  # fmt: skip
        ]


def _rate(times: np.ndarray) -> float | None:
    unique = np.unique(times)
    if len(unique) < 2:
        return None
    return float(round(1.0 / np.median(np.diff(unique)), 3))
