"""An example of a deployment's own pre-labeler: a small linear model read from a configured path.

The model file is a NumPy ``.npz`` holding ``weights`` (2 values) and ``bias`` (1 value); the
features per window are loudness (RMS in dBFS / 100) and zero-crossing rate, and the output is
``sigmoid(weights · features + bias)``. Register it with
``AFFECTLAB_PRELABELERS = ["models_zoo.examples.linear_audio.LinearAudioScore"]``.
"""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from django.conf import settings

from ingest.services.local_files import local_copy

from ..prelabelers.base import BadInput, Prelabeler, RunContext, TrackOutput


class LinearAudioScore(Prelabeler):
    name = "example_linear_audio"
    version = "1"
    description = "Example: a linear score per audio window from a model file at a configured path."
    inputs = ("audio",)
    produces = ("example_score",)
    default_params: ClassVar[dict[str, Any]] = {"model_path": "", "window_seconds": 0.5}

    def _path(self, params) -> Path:
        path = params["model_path"] or getattr(settings, "AFFECTLAB_EXAMPLE_MODEL_PATH", "")
        if not path:
            raise BadInput("No model path: set AFFECTLAB_EXAMPLE_MODEL_PATH or pass model_path.")
        return Path(path)

    def model_key(self, params) -> str:
        return str(self._path(params))

    def load_model(self, params, device: str) -> dict[str, np.ndarray]:
        path = self._path(params)
        if not path.is_file():
            raise BadInput(f"The model file {path} does not exist.")
        with np.load(path, allow_pickle=False) as data:
            return {"weights": np.asarray(data["weights"], float), "bias": float(data["bias"])}

    def run(self, ctx: RunContext) -> list[TrackOutput]:
        if ctx.params["window_seconds"] <= 0:
            raise BadInput("window_seconds must be above 0.")
        with local_copy(ctx.asset.derived["audio"]) as path, wave.open(str(path)) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float64) / 32768
        hop = max(1, int(rate * ctx.params["window_seconds"]))
        out: dict[str, list] = {"time": [], "rms_db": [], "zcr": [], "score": []}
        for start in range(0, len(samples) - hop + 1, hop):
            chunk = samples[start : start + hop]
            rms_db = 20 * np.log10(max(float(np.sqrt(np.mean(chunk**2))), 1e-6))
            zcr = float(np.mean(np.abs(np.diff(np.signbit(chunk).astype(np.int8)))))
            features = np.array([rms_db / 100.0, zcr])
            score = 1.0 / (1.0 + np.exp(-(features @ ctx.model["weights"] + ctx.model["bias"])))
            for key, value in zip(out, (start / rate, rms_db, zcr, float(score)), strict=True):
                out[key].append(float(value))
        meta = {
            "method": "example linear model on loudness and zero-crossing rate",
            "model": str(self._path(ctx.params)),
        }
        return [
            TrackOutput("example_score", out, 1.0 / ctx.params["window_seconds"], len(samples) / rate, meta)
        ]
