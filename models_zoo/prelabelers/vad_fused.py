"""One valence-arousal-dominance estimate per window from the text, voice and face estimates present.

Per window and dimension, the weighted mean of the sources that give a value there
(``weight_text``, ``weight_voice``, ``weight_face``; 1 each by default): the voice only speaks to
arousal, the face to valence and arousal, the text to all three. ``sources`` names the estimates
that contributed to a window. The text and voice estimates run first (they are this pre-labeler's
inputs); the face estimate is used when the asset already has a finished ``vad_face`` track (the
newest one; its job is named in the metadata), since an audio-only asset has no face to wait for.
A dimension no source covers in a window is left empty (null). Still an estimate: it inherits the
heuristics of its parts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.parquet as pq

from .base import BadInput, Prelabeler, RunContext, TrackOutput
from .vad_scale import WINDOW_PARAM_RANGE, vad_metadata, window_index

DIMENSIONS = ("valence", "arousal", "dominance")
SOURCES = ("text", "voice", "face")
METHOD = "weighted mean per window of the text (word norms), voice (prosody) and face (blendshape) estimates"
COLUMNS = ("time", "end", *DIMENSIONS, "sources")


def fuse(tables: dict[str, pa.Table], *, weights: dict[str, float], window_seconds: float) -> dict[str, list]:
    """``tables``: source -> a VAD track (``time`` plus any of the dimensions, nulls allowed)."""
    sums: dict[int, dict[str, list[float]]] = defaultdict(lambda: {d: [0.0, 0.0] for d in DIMENSIONS})
    used: dict[int, set[str]] = defaultdict(set)
    for source, table in tables.items():
        weight = weights[source]
        if weight <= 0 or not table.num_rows:
            continue
        index = window_index(table.column("time").to_numpy(), window_seconds)
        for dim in DIMENSIONS:
            if dim not in table.column_names:
                continue
            for k, value in zip(index.tolist(), table.column(dim).to_pylist(), strict=True):
                if value is None or value != value:  # null or NaN
                    continue
                sums[k][dim][0] += weight * value
                sums[k][dim][1] += weight
                used[k].add(source)
    out: dict[str, list] = {key: [] for key in COLUMNS}
    for k in sorted(used):
        out["time"].append(k * window_seconds)
        out["end"].append((k + 1) * window_seconds)
        for dim in DIMENSIONS:
            total, weight = sums[k][dim]
            out[dim].append(total / weight if weight else None)
        out["sources"].append(",".join(s for s in SOURCES if s in used[k]))
    return out


class VadFusedPrelabeler(Prelabeler):
    name = "vad_fused"
    version = "1"
    description = "Valence/arousal/dominance per window fused from the text, voice and face estimates."
    inputs = ("track:vad_text/vad_text", "track:vad_voice/vad_voice")
    produces = ("vad_fused",)
    default_params: ClassVar[dict[str, Any]] = {
        "window_seconds": 5.0,
        "weight_text": 1.0,
        "weight_voice": 1.0,
        "weight_face": 1.0,
    }
    param_ranges: ClassVar[dict[str, tuple[float, float]]] = {
        "window_seconds": WINDOW_PARAM_RANGE,
        "weight_text": (0.0, 100.0),
        "weight_voice": (0.0, 100.0),
        "weight_face": (0.0, 100.0),
    }

    def run(self, ctx: RunContext) -> list[TrackOutput]:
        tables: dict[str, pa.Table] = {}
        for source in ("text", "voice"):
            try:
                tables[source] = pq.read_table(ctx.upstream[f"vad_{source}/vad_{source}"])
            except Exception as exc:  # a damaged or foreign file
                raise BadInput(f"The vad_{source} track could not be read: {exc}") from exc
        face_track = _latest_face_track(ctx)
        if face_track is not None:
            from ..services.track_files import track_table_read

            tables["face"] = track_table_read(track=face_track)
        window = ctx.params["window_seconds"]
        weights = {source: ctx.params[f"weight_{source}"] for source in SOURCES}
        columns = fuse(tables, weights=weights, window_seconds=window)
        ctx.progress(1.0)
        meta = vad_metadata(
            source="fused", method=METHOD, window_seconds=window, weights=weights,
            sources_available=sorted(tables, key=SOURCES.index),
            face_job=face_track.job_id if face_track is not None else None,
        )  # fmt: skip
        types = dict.fromkeys(COLUMNS, "float64") | {"sources": "string"}
        return [TrackOutput("vad_fused", columns, 1 / window, ctx.asset.duration_seconds, meta, types)]


def _latest_face_track(ctx: RunContext):
    from ..models import Track

    return (
        Track.objects.filter(asset=ctx.asset, prelabeler="vad_face", kind="vad_face", job__state="succeeded")
        .order_by("-created_at", "-pk")
        .first()
    )
