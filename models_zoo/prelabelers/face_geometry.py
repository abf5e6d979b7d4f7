"""Boxes, a few named landmarks and eye-aligned crops from MediaPipe's 478-point face mesh."""

from __future__ import annotations

import math

import numpy as np

# Face-mesh indices: eye corners (subject's right eye is on the image's left), nose tip, mouth corners.
RIGHT_EYE, LEFT_EYE = (33, 133), (362, 263)
NOSE_TIP, MOUTH_RIGHT, MOUTH_LEFT = 1, 61, 291
# Where the eyes land in an aligned crop, as fractions of its side.
EYE_Y, EYE_LEFT_X, EYE_RIGHT_X = 0.40, 0.35, 0.65


def points(landmarks) -> np.ndarray:
    """(478, 2) normalised x, y."""
    return np.array([(p.x, p.y) for p in landmarks], dtype=np.float64)


def box(pts: np.ndarray) -> tuple[float, float, float, float]:
    x0, y0 = np.clip(pts.min(axis=0), 0.0, 1.0)
    x1, y1 = np.clip(pts.max(axis=0), 0.0, 1.0)
    return float(x0), float(y0), float(x1), float(y1)


def named_points(pts: np.ndarray) -> dict[str, tuple[float, float]]:
    return {
        "right_eye": tuple(pts[list(RIGHT_EYE)].mean(axis=0)),
        "left_eye": tuple(pts[list(LEFT_EYE)].mean(axis=0)),
        "nose": tuple(pts[NOSE_TIP]),
        "mouth_right": tuple(pts[MOUTH_RIGHT]),
        "mouth_left": tuple(pts[MOUTH_LEFT]),
    }


def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def aligned_crop(frame: np.ndarray, right_eye: tuple[float, float], left_eye: tuple[float, float], size: int):
    """Rotate, scale and shift so the eyes sit level at fixed places in a size×size crop."""
    import cv2

    height, width = frame.shape[:2]
    src_a = np.array([right_eye[0] * width, right_eye[1] * height])
    src_b = np.array([left_eye[0] * width, left_eye[1] * height])
    dst_a = np.array([EYE_LEFT_X * size, EYE_Y * size])
    dst_b = np.array([EYE_RIGHT_X * size, EYE_Y * size])
    d_src, d_dst = src_b - src_a, dst_b - dst_a
    scale = np.linalg.norm(d_dst) / max(np.linalg.norm(d_src), 1e-6)
    angle = math.atan2(d_dst[1], d_dst[0]) - math.atan2(d_src[1], d_src[0])
    a, b = scale * math.cos(angle), scale * math.sin(angle)
    rot = np.array([[a, -b], [b, a]])
    shift = dst_a - rot @ src_a
    matrix = np.hstack([rot, shift[:, None]])
    return cv2.warpAffine(
        frame, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def jpeg_bytes(rgb: np.ndarray, quality: int = 90) -> bytes:
    import cv2

    ok, encoded = cv2.imencode(".jpg", rgb[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("could not encode a face crop as JPEG")
    return encoded.tobytes()
