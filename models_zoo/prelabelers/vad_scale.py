"""The common scale of the valence-arousal-dominance estimates and their time windows.

Every VAD track (text, voice, face, fused) speaks the Warriner et al. (2013) 1-9 scales, which
follow the Self-Assessment Manikin: 1 = unhappy / calm / controlled, 5 = neutral, 9 = happy /
excited / in control. All are estimates, not measurements; each track's metadata names its method.
Windows are ``[k * window_seconds, (k + 1) * window_seconds)``; a row's ``time`` is its window start.
"""

from __future__ import annotations

from typing import Any

import numpy as np

SCALE_MIN, SCALE_MAX, SCALE_MID = 1.0, 9.0, 5.0
SCALE = "1-9 (Warriner/SAM-like: 1 unhappy/calm/controlled, 5 neutral, 9 happy/excited/in control)"
WINDOW_PARAM_RANGE = (0.5, 600.0)


def scale_clip(values: np.ndarray | float) -> np.ndarray | float:
    return np.clip(values, SCALE_MIN, SCALE_MAX)


def window_index(times: np.ndarray, window_seconds: float) -> np.ndarray:
    return np.floor(np.asarray(times, dtype=np.float64) / window_seconds + 1e-9).astype(np.int64)


def vad_metadata(*, source: str, method: str, window_seconds: float, **extra: Any) -> dict[str, Any]:
    return {
        "estimate": True,
        "source": source,
        "method": method,
        "scale": SCALE,
        "scale_min": SCALE_MIN,
        "scale_max": SCALE_MAX,
        "window_seconds": window_seconds,
        "times": "time = window start, end = window end, in seconds from the start of the asset",
        **extra,
    }
