"""Valence and arousal cues per time window from the face's MediaPipe blendshapes.

A heuristic, not a trained face-affect model (none ships offline). Per sampled frame of the main
subject (or of every identity), on the blendshapes' 0-1 scores averaged over left and right:

    valence_cue = smile - (frown + brow_down) / 2            # -1 .. 1
    arousal_cue = (jaw_open + eye_wide + brow_raise) / 3     #  0 .. 1, brow_raise = mean of inner/outer
    valence     = clip(5 + 4 * valence_cue, 1, 9)
    arousal     = clip(3 + 6 * arousal_cue, 1, 9)             # a still, relaxed face reads as calm (3)

and a window's values are the means over its frames. Posed or speaking mouths move these scores
too, so read them as cues that an annotator confirms. Windows without a face are left out.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow.parquet as pq

from .base import BadInput, Prelabeler, RunContext, TrackOutput
from .vad_scale import WINDOW_PARAM_RANGE, scale_clip, vad_metadata, window_index

CUES: dict[str, tuple[str, ...]] = {
    "smile": ("mouthSmileLeft", "mouthSmileRight"),
    "frown": ("mouthFrownLeft", "mouthFrownRight"),
    "brow_down": ("browDownLeft", "browDownRight"),
    "jaw_open": ("jawOpen",),
    "eye_wide": ("eyeWideLeft", "eyeWideRight"),
    "brow_raise": ("browInnerUp", "browOuterUpLeft", "browOuterUpRight"),
}
METHOD = (
    "heuristic from MediaPipe blendshapes: valence = 5 + 4*(smile - (frown + browDown)/2), "
    "arousal = 3 + 6*(jawOpen + eyeWide + browRaise)/3, clipped to 1-9, averaged per window"
)
COLUMNS = ("time", "end", "identity", "valence", "arousal", "frames")


def frame_cues(columns: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame valence and arousal on the common scale."""
    missing = sorted({n for names in CUES.values() for n in names} - set(columns))
    if missing:
        raise BadInput(f"The blendshapes track lacks {', '.join(missing)}.")
    cue = {key: np.mean([columns[n] for n in names], axis=0) for key, names in CUES.items()}
    valence = scale_clip(5 + 4 * (cue["smile"] - (cue["frown"] + cue["brow_down"]) / 2))
    arousal = scale_clip(3 + 6 * (cue["jaw_open"] + cue["eye_wide"] + cue["brow_raise"]) / 3)
    return np.asarray(valence, dtype=np.float64), np.asarray(arousal, dtype=np.float64)


def face_windows(columns: dict[str, np.ndarray], *, window_seconds: float) -> dict[str, list]:
    out: dict[str, list] = {key: [] for key in COLUMNS}
    times = columns.get("time", np.zeros(0))
    if not len(times):
        return out
    valence, arousal = frame_cues(columns)
    identities = columns.get("identity", np.zeros(len(times), dtype=np.int64))
    index = window_index(times, window_seconds)
    for identity in sorted(set(identities.tolist())):
        for k in sorted(set(index[identities == identity].tolist())):
            inside = (identities == identity) & (index == k)
            v, a = float(valence[inside].mean()), float(arousal[inside].mean())
            row = (k * window_seconds, (k + 1) * window_seconds, int(identity), v, a, int(inside.sum()))
            for key, value in zip(COLUMNS, row, strict=True):
                out[key].append(value)
    return out


class VadFacePrelabeler(Prelabeler):
    name = "vad_face"
    version = "1"
    description = "Valence/arousal estimates per window from face blendshapes (a heuristic)."
    inputs = ("track:face/blendshapes",)
    produces = ("vad_face",)
    default_params: ClassVar[dict[str, Any]] = {"window_seconds": 5.0, "subject": "main"}
    param_ranges: ClassVar[dict[str, tuple[float, float]]] = {"window_seconds": WINDOW_PARAM_RANGE}
    param_choices: ClassVar[dict[str, tuple[str, ...]]] = {"subject": ("main", "all")}

    def run(self, ctx: RunContext) -> list[TrackOutput]:
        if ctx.params["subject"] not in ("main", "all"):
            raise BadInput("Parameter 'subject' must be 'main' or 'all'.")
        try:
            table = pq.read_table(ctx.upstream["face/blendshapes"])
        except Exception as exc:  # a damaged or foreign file
            raise BadInput(f"The blendshapes track could not be read: {exc}") from exc
        if ctx.params["subject"] == "main" and table.num_rows and "is_main" in table.column_names:
            table = table.filter(table.column("is_main"))
        data = {name: table.column(name).to_numpy(zero_copy_only=False) for name in table.column_names}
        window = ctx.params["window_seconds"]
        columns = face_windows(data, window_seconds=window)
        ctx.progress(1.0)
        meta = vad_metadata(
            source="face", method=METHOD, window_seconds=window, dimensions=["valence", "arousal"],
            subject=ctx.params["subject"], cues=CUES,
        )  # fmt: skip
        types = {"time": "float64", "end": "float64", "identity": "int32", "valence": "float64",
                 "arousal": "float64", "frames": "int32"}  # fmt: skip
        return [TrackOutput("vad_face", columns, 1 / window, ctx.asset.duration_seconds, meta, types)]
