"""Run the landmarker on a frame, and on overlapping tiles when the whole frame shows no face.

The bundle's detector sees the frame shrunk to 128 pixels on its longer side, so a face narrower
than about an eighth of the frame is lost. When the whole frame gives nothing, an n×n grid of
half-overlapping tiles (each 2/(n+1) of the frame) is searched, and the hits are mapped back to
frame coordinates; a face found in several tiles is kept once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import face_geometry as geo


@dataclass
class Detection:
    points: np.ndarray  # (478, 2) normalised to the whole frame
    box: tuple[float, float, float, float]
    blendshapes: list  # MediaPipe categories


def detect_faces(model, rgb: np.ndarray, tiles: int) -> list[Detection]:
    found = _detect(model, rgb, 0, 0, rgb.shape[1], rgb.shape[0])
    if found or tiles <= 1:
        return found
    height, width = rgb.shape[:2]
    tile_w, tile_h = 2 * width // (tiles + 1), 2 * height // (tiles + 1)
    step_x, step_y = width // (tiles + 1), height // (tiles + 1)
    for row in range(tiles):
        for col in range(tiles):
            x, y = col * step_x, row * step_y
            crop = np.ascontiguousarray(rgb[y : y + tile_h, x : x + tile_w])
            found += _detect(model, crop, x, y, width, height)
    return _unique(found)


def _detect(model, rgb: np.ndarray, x: int, y: int, width: int, height: int) -> list[Detection]:
    import mediapipe as mp

    result = model.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb))
    scale = np.array([rgb.shape[1] / width, rgb.shape[0] / height])
    offset = np.array([x / width, y / height])
    detections = []
    for landmarks, shapes in zip(result.face_landmarks, result.face_blendshapes, strict=True):
        points = geo.points(landmarks) * scale + offset
        detections.append(Detection(points, geo.box(points), shapes))
    return detections


def _unique(found: list[Detection], overlap: float = 0.3) -> list[Detection]:
    """One detection per face: the largest box wins over the ones overlapping it."""
    kept: list[Detection] = []
    for det in sorted(found, key=lambda d: (d.box[2] - d.box[0]) * (d.box[3] - d.box[1]), reverse=True):
        if all(geo.iou(det.box, other.box) < overlap for other in kept):
            kept.append(det)
    return kept
