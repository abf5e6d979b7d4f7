"""Silero VAD's ONNX model, run with onnxruntime alone (no torch): per-frame speech probabilities.

The model file ships in the ``silero-vad`` wheel (installed without its torch requirement; the
package is never imported, only its data file is located). ``AFFECTLAB_VAD_MODEL_PATH`` points
at another copy.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from .base import BadInput

FRAME = 512  # samples per step at 16 kHz (32 ms), the size the 16 kHz model is trained on
CONTEXT = 64  # samples of the previous step that the model sees in front of each step
SAMPLE_RATE = 16_000


def vad_model_path() -> Path:
    configured = getattr(settings, "AFFECTLAB_VAD_MODEL_PATH", "") or os.environ.get(
        "AFFECTLAB_VAD_MODEL_PATH", ""
    )
    if configured:
        path = Path(configured)
    else:
        spec = importlib.util.find_spec("silero_vad")
        if spec is None or not spec.submodule_search_locations:
            raise BadInput(
                "The silero-vad package is not installed; install it or set AFFECTLAB_VAD_MODEL_PATH "
                "to a silero_vad.onnx file."
            )
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / "silero_vad.onnx"
    if not path.is_file():
        raise BadInput(f"The voice activity model file {path} does not exist.")
    return path


def vad_session_create() -> Any:
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # a tiny recurrent model: more threads only add overhead
    options.inter_op_num_threads = 1
    path = vad_model_path()
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types for unreadable files
        raise BadInput(f"The voice activity model file {path} could not be loaded: {exc}") from exc


def speech_probabilities(session: Any, audio: np.ndarray, progress=None) -> np.ndarray:
    """One probability per 32 ms frame (the last frame zero-padded), state carried across frames."""
    count = -(-audio.size // FRAME)
    padded = np.zeros(count * FRAME, dtype=np.float32)
    padded[: audio.size] = audio
    state = np.zeros((2, 1, 128), dtype=np.float32)
    context = np.zeros(CONTEXT, dtype=np.float32)
    rate = np.array(SAMPLE_RATE, dtype=np.int64)
    probs = np.empty(count, dtype=np.float32)
    for index in range(count):
        frame = padded[index * FRAME : (index + 1) * FRAME]
        window = np.concatenate([context, frame])[np.newaxis, :]
        out, state = session.run(None, {"input": window, "state": state, "sr": rate})
        probs[index] = float(out.reshape(-1)[0])
        context = frame[-CONTEXT:]
        if progress is not None and index % 500 == 0:
            progress(index / count)
    return probs
