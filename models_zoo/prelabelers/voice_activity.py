"""Voice activity: where someone speaks, from Silero VAD's per-frame speech probabilities.

Frames at or above ``threshold`` open a speech segment; it closes once the probability has
stayed below ``threshold - 0.15`` for ``min_silence_seconds`` (the lower exit level keeps a
dipping voice from being cut into pieces). Segments shorter than ``min_speech_seconds`` are
dropped and the rest widened by ``speech_pad_seconds`` on each side, never past a neighbour.
These segments are what long recordings are split into utterance items by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .base import BadInput, Prelabeler, RunContext, TrackOutput
from .silero_onnx import FRAME, SAMPLE_RATE, speech_probabilities, vad_model_path, vad_session_create
from .wav_audio import asset_audio_read

FRAME_SECONDS = FRAME / SAMPLE_RATE
EXIT_MARGIN = 0.15


@dataclass
class SpeechSegment:
    start: float
    end: float
    probability: float  # mean frame probability inside the segment


def speech_segments(
    probs: np.ndarray,
    *,
    duration: float,
    threshold: float,
    min_speech_seconds: float,
    min_silence_seconds: float,
    speech_pad_seconds: float,
) -> list[SpeechSegment]:
    exit_level = max(threshold - EXIT_MARGIN, 0.01)
    spans: list[tuple[int, int]] = []  # [first frame, frame after the last)
    start: int | None = None
    quiet_from: int | None = None
    min_quiet = max(1, int(np.ceil(min_silence_seconds / FRAME_SECONDS)))
    for index, prob in enumerate(probs):
        if start is None:
            if prob >= threshold:
                start, quiet_from = index, None
            continue
        if prob >= threshold:
            quiet_from = None
        elif prob < exit_level:
            quiet_from = index if quiet_from is None else quiet_from
            if index + 1 - quiet_from >= min_quiet:
                spans.append((start, quiet_from))
                start, quiet_from = None, None
    if start is not None:
        spans.append((start, quiet_from if quiet_from is not None else len(probs)))
    kept = [(a, b) for a, b in spans if (b - a) * FRAME_SECONDS >= min_speech_seconds]
    segments = []
    for i, (a, b) in enumerate(kept):
        begin, end = a * FRAME_SECONDS, min(b * FRAME_SECONDS, duration)
        low = 0.0 if i == 0 else (kept[i - 1][1] * FRAME_SECONDS + begin) / 2
        high = duration if i == len(kept) - 1 else (end + kept[i + 1][0] * FRAME_SECONDS) / 2
        segments.append(
            SpeechSegment(
                start=max(low, begin - speech_pad_seconds),
                end=min(high, end + speech_pad_seconds),
                probability=float(np.mean(probs[a:b])),
            )
        )
    return segments


class VoiceActivityPrelabeler(Prelabeler):
    name = "voice_activity"
    version = "1"
    description = "Speech segments (Silero VAD, ONNX) and the speech probability every 32 ms."
    inputs = ("audio",)
    produces = ("speech_segments", "speech_probability")
    default_params: ClassVar[dict[str, Any]] = {
        "threshold": 0.5,
        "min_speech_seconds": 0.25,
        "min_silence_seconds": 0.1,
        "speech_pad_seconds": 0.03,
    }
    param_ranges: ClassVar[dict[str, tuple[float, float]]] = {
        "threshold": (0.05, 0.99),
        "min_speech_seconds": (0.0, 60.0),
        "min_silence_seconds": (0.0, 60.0),
        "speech_pad_seconds": (0.0, 5.0),
    }

    def model_key(self, params) -> str:
        return str(vad_model_path())

    def load_model(self, params, device: str) -> Any:
        return vad_session_create()

    def run(self, ctx: RunContext) -> list[TrackOutput]:
        audio = asset_audio_read(asset=ctx.asset)
        duration = audio.size / SAMPLE_RATE
        try:
            probs = speech_probabilities(ctx.model, audio, ctx.progress)
        except Exception as exc:  # onnxruntime's errors: a model file that is not Silero's
            raise BadInput(f"The voice activity model could not process the audio: {exc}") from exc
        params = ctx.params
        found = speech_segments(
            probs,
            duration=duration,
            threshold=params["threshold"],
            min_speech_seconds=params["min_speech_seconds"],
            min_silence_seconds=params["min_silence_seconds"],
            speech_pad_seconds=params["speech_pad_seconds"],
        )
        segments = {
            "time": [s.start for s in found],
            "start": [s.start for s in found],
            "end": [s.end for s in found],
            "probability": [s.probability for s in found],
        }
        meta = {
            "model": "Silero VAD (silero_vad.onnx, onnxruntime)",
            "frame_seconds": FRAME_SECONDS,
            "speech_seconds": round(sum(s.end - s.start for s in found), 3),
            "times": "seconds from the start of the asset; time = start",
        }
        floats = {key: "float64" for key in segments}
        frames = {"time": (np.arange(probs.size) * FRAME_SECONDS).tolist(), "probability": probs.tolist()}
        return [
            TrackOutput("speech_segments", segments, None, duration, meta, floats),
            TrackOutput(
                "speech_probability",
                frames,
                1 / FRAME_SECONDS,
                duration,
                meta,
                {"time": "float64", "probability": "float32"},
            ),  # fmt: skip
        ]
