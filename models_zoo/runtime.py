"""Per-worker-process state: loaded models (loaded once, reused by every job) and the device choice."""

from __future__ import annotations

import atexit
import importlib.util
import logging
import threading
from typing import Any

from .prelabelers.base import Prelabeler

log = logging.getLogger(__name__)

_models: dict[tuple[str, str, str, str], Any] = {}
_lock = threading.Lock()


def pick_device(prelabeler: Prelabeler, params: dict[str, Any] | None = None) -> str:
    """CUDA when the pre-labeler can use it and a GPU is present, else CPU."""
    if not prelabeler.supports_cuda:
        return "cpu"
    probe = getattr(prelabeler, "cuda_available", None)
    if callable(probe):  # an engine with its own CUDA build (CTranslate2) is asked, per the job's params
        return "cuda" if probe(params or {}) else "cpu"
    if importlib.util.find_spec("torch") is not None:
        import torch

        if torch.cuda.is_available():
            return "cuda"
    if importlib.util.find_spec("onnxruntime") is not None:
        import onnxruntime

        if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
            return "cuda"
    return "cpu"


def model_for(prelabeler: Prelabeler, params: dict[str, Any], device: str) -> Any:
    key = (prelabeler.name, prelabeler.version, prelabeler.model_key(params), device)
    with _lock:
        if key not in _models:
            _models[key] = prelabeler.load_model(params, device)
            log.info("loaded the model of %s %s on %s", prelabeler.name, prelabeler.version, device)
        return _models[key]


def loaded_model_count() -> int:
    return len(_models)


@atexit.register
def _close_models() -> None:
    """MediaPipe tasks (and similar) hold native resources: close them when the process ends."""
    for model in _models.values():
        close = getattr(model, "close", None)
        if callable(close):
            try:
                close()
            except Exception:  # noqa: S110 - best effort at interpreter exit
                pass
    _models.clear()
