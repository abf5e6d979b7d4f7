"""Arousal cues per time window from the voice: loudness (RMS energy) and pitch (F0).

A heuristic, not a trained speech-emotion model (none ships offline): aroused speech tends to be
louder and higher-pitched. Frames of 40 ms every 20 ms are voiced when their level is above
``min_db`` and their normalised autocorrelation peaks at or above 0.5 at a lag within 70-400 Hz
(the F0 estimate). Per window, over the voiced frames:

    energy_cue = clip((mean dBFS + 30) / 15, -1, 1)      # -45 dBFS -> -1, -30 -> 0, -15 -> +1
    pitch_cue  = clip(log2(median F0 / 150 Hz), -1, 1)    # 75 Hz -> -1, 150 Hz -> 0, 300 Hz -> +1
    arousal    = clip(5 + 2 * energy_cue + 2 * pitch_cue, 1, 9)

The reference points are absolute, so recordings are comparable, but a speaker's natural pitch
and the recording level shift the estimate: read it relative to the same speaker and setup.
Windows without voiced frames are left out.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .base import Prelabeler, RunContext, TrackOutput
from .vad_scale import WINDOW_PARAM_RANGE, scale_clip, vad_metadata
from .wav_audio import SAMPLE_RATE, asset_audio_read

FRAME, HOP = 640, 320  # 40 ms, 20 ms at 16 kHz
F0_MIN, F0_MAX = 70.0, 400.0
VOICING = 0.5
ENERGY_REF_DB, ENERGY_SPAN_DB = -30.0, 15.0
PITCH_REF_HZ = 150.0
METHOD = (
    "heuristic from prosody: arousal = 5 + 2*clip((dBFS + 30)/15, -1, 1) + 2*clip(log2(F0/150 Hz), -1, 1), "
    "clipped to 1-9; mean RMS level and median autocorrelation F0 over voiced frames"
)
COLUMNS = ("time", "end", "arousal", "energy_db", "f0_hz", "voiced_fraction")


def frame_features(audio: np.ndarray, *, min_db: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per frame: centre time, RMS level in dBFS, and F0 in Hz (NaN where unvoiced)."""
    count = 0 if audio.size < FRAME else 1 + (audio.size - FRAME) // HOP
    if count == 0:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    frames = np.lib.stride_tricks.sliding_window_view(audio.astype(np.float64), FRAME)[::HOP][:count]
    rms = np.sqrt(np.mean(frames**2, axis=1))
    db = 20 * np.log10(np.maximum(rms, 1e-10))
    f0 = np.full(count, np.nan)
    lag_min, lag_max = int(SAMPLE_RATE / F0_MAX), int(SAMPLE_RATE / F0_MIN)
    window = np.hanning(FRAME)
    for i in np.flatnonzero(db >= min_db):
        x = (frames[i] - frames[i].mean()) * window
        spectrum = np.fft.rfft(x, 2 * FRAME)
        ac = np.fft.irfft(np.abs(spectrum) ** 2)[:FRAME]
        if ac[0] <= 0:
            continue
        # unbiased normalisation: divide by the overlap, then by the zero-lag energy
        ac = ac / np.maximum(FRAME - np.arange(FRAME), 1) / (ac[0] / FRAME)
        lag = lag_min + int(np.argmax(ac[lag_min : lag_max + 1]))
        if ac[lag] >= VOICING:
            f0[i] = SAMPLE_RATE / lag
    times = (np.arange(count) * HOP + FRAME / 2) / SAMPLE_RATE
    return times, db, f0


def arousal_from(energy_db: float, f0_hz: float) -> float:
    energy_cue = np.clip((energy_db - ENERGY_REF_DB) / ENERGY_SPAN_DB, -1, 1)
    pitch_cue = np.clip(np.log2(f0_hz / PITCH_REF_HZ), -1, 1)
    return float(scale_clip(5 + 2 * energy_cue + 2 * pitch_cue))


def voice_windows(audio: np.ndarray, *, window_seconds: float, min_db: float) -> dict[str, list]:
    times, db, f0 = frame_features(audio, min_db=min_db)
    out: dict[str, list] = {key: [] for key in COLUMNS}
    if not times.size:
        return out
    index = np.floor(times / window_seconds).astype(np.int64)
    for k in np.unique(index):
        inside = index == k
        voiced = inside & ~np.isnan(f0)
        if not voiced.any():
            continue
        energy, pitch = float(np.mean(db[voiced])), float(np.median(f0[voiced]))
        row = (k * window_seconds, (k + 1) * window_seconds, arousal_from(energy, pitch), energy, pitch,
               float(voiced.sum() / inside.sum()))  # fmt: skip
        for key, value in zip(COLUMNS, row, strict=True):
            out[key].append(float(value))
    return out


class VadVoicePrelabeler(Prelabeler):
    name = "vad_voice"
    version = "1"
    description = "Arousal estimates per window from voice loudness and pitch (a prosody heuristic)."
    inputs = ("audio",)
    produces = ("vad_voice",)
    default_params: ClassVar[dict[str, Any]] = {"window_seconds": 5.0, "min_db": -50.0}
    param_ranges: ClassVar[dict[str, tuple[float, float]]] = {
        "window_seconds": WINDOW_PARAM_RANGE,
        "min_db": (-100.0, 0.0),
    }

    def run(self, ctx: RunContext) -> list[TrackOutput]:
        audio = asset_audio_read(asset=ctx.asset)
        ctx.progress(0.1)
        window = ctx.params["window_seconds"]
        columns = voice_windows(audio, window_seconds=window, min_db=ctx.params["min_db"])
        ctx.progress(1.0)
        meta = vad_metadata(
            source="voice", method=METHOD, window_seconds=window, dimensions=["arousal"],
            frames="40 ms every 20 ms; voiced = level >= min_db and autocorrelation peak >= 0.5 at 70-400 Hz",
        )  # fmt: skip
        return [
            TrackOutput(
                "vad_voice",
                columns,
                1 / window,
                audio.size / SAMPLE_RATE,
                meta,
                dict.fromkeys(COLUMNS, "float64"),
            ),  # fmt: skip
        ]
