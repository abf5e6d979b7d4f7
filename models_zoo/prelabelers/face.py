"""Faces per sampled frame: boxes, five landmarks, identities, the main subject, crops and blendshapes."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ingest.services.local_files import local_copy

from . import face_geometry as geo
from .base import Prelabeler, RunContext, TrackOutput
from .face_detection import detect_faces
from .face_tracking import IouTracker
from .mediapipe_bundle import landmarker_create
from .video_frames import sampled_frames

LANDMARK_NAMES = ("right_eye", "left_eye", "nose", "mouth_right", "mouth_left")


class FacePrelabeler(Prelabeler):
    """MediaPipe FaceLandmarker on frames sampled at ``sample_fps``.

    Its detector is a short-range model: faces narrower than about an eighth of the frame's
    longer side are found only by the tiled search (``tiles``) on frames where the whole frame
    shows no face. Boxes span the 478 mesh points and are normalised to 0-1.
    """

    name = "face"
    version = "1"
    description = "Face boxes, landmarks, identities, eye-aligned crops and blendshapes (MediaPipe)."
    inputs = ("video",)
    produces = ("faces", "blendshapes")
    default_params: ClassVar[dict[str, Any]] = {
        "sample_fps": 5.0,
        "max_faces": 4,
        "min_confidence": 0.5,
        "iou_threshold": 0.3,
        "max_gap_seconds": 1.0,
        "crop_size": 224,
        "crops_per_second": 1.0,
        "tiles": 3,
    }
    param_ranges: ClassVar[dict[str, tuple[float, float]]] = {
        "sample_fps": (0.01, 120.0),
        "max_faces": (1, 20),
        "min_confidence": (0.0, 1.0),
        "iou_threshold": (0.0, 1.0),
        "max_gap_seconds": (0.0, 60.0),
        "crop_size": (32, 1024),
        "crops_per_second": (0.0, 120.0),
        "tiles": (1, 6),
    }

    def model_key(self, params) -> str:
        return f"{params['max_faces']}:{params['min_confidence']}"

    def load_model(self, params, device: str):
        return landmarker_create(max_faces=params["max_faces"], min_confidence=params["min_confidence"])

    def run(self, ctx: RunContext) -> list[TrackOutput]:
        params = ctx.params
        duration = float(ctx.asset.duration_seconds or 0) or None
        tracker = IouTracker(params["iou_threshold"], params["max_gap_seconds"])
        faces: dict[str, list] = {k: [] for k in ("time", "frame", "identity", "x0", "y0", "x1", "y1")}
        for name in LANDMARK_NAMES:
            faces[f"{name}_x"], faces[f"{name}_y"] = [], []
        faces["crop_key"] = []
        shapes: dict[str, list] = {"time": [], "frame": [], "identity": []}
        last_crop: dict[int, float] = {}
        samples, size = 0, None
        with local_copy(ctx.asset.derived["proxy"]) as proxy:
            for sample in sampled_frames(proxy, params["sample_fps"]):
                samples += 1
                size = sample.rgb.shape[1], sample.rgb.shape[0]
                detections = detect_faces(ctx.model, sample.rgb, params["tiles"])
                for det, identity in zip(
                    detections, tracker.assign(sample.time, [d.box for d in detections]), strict=True
                ):
                    named = geo.named_points(det.points)
                    crop_key = self._crop(ctx, sample, identity, named, last_crop)
                    _append_face(faces, sample, identity, det.box, named, crop_key)
                    _append_shapes(shapes, sample, identity, det.blendshapes)
                ctx.progress(sample.time / duration if duration else 0.0)  # also the heartbeat
        main = tracker.main_identity()
        faces["is_main"] = [i == main for i in faces["identity"]]
        shapes["is_main"] = [i == main for i in shapes["identity"]]
        meta = {
            "detector": "MediaPipe FaceLandmarker (face_landmarker.task)",
            "coordinates": "normalised 0-1 of the frame (x right, y down)",
            "frame_size": list(size) if size else None,
            "sampled_frames": samples,
            "main_identity": main,
            "identities": sorted(tracker.weight),
            "crops_prefix": f"{ctx.output_prefix}/crops",
        }
        sample_rate, types = params["sample_fps"], {"identity": "int32", "frame": "int64", "time": "float64"}
        return [
            TrackOutput("faces", faces, sample_rate, duration, meta, {**types, "crop_key": "string"}),
            TrackOutput("blendshapes", shapes, sample_rate, duration, {**meta, "scores": "0-1"}, types),
        ]

    def _crop(self, ctx: RunContext, sample, identity: int, named, last_crop: dict[int, float]) -> str:
        every = 1.0 / ctx.params["crops_per_second"] if ctx.params["crops_per_second"] > 0 else None
        if every is None or sample.time - last_crop.get(identity, -1e9) < every - 1e-6:
            return ""
        last_crop[identity] = sample.time
        size = ctx.params["crop_size"]
        crop = geo.aligned_crop(sample.rgb, named["right_eye"], named["left_eye"], size)
        key = f"{ctx.output_prefix}/crops/id{identity}/{sample.index:07d}.jpg"
        if default_storage.exists(key):
            default_storage.delete(key)
        return default_storage.save(key, ContentFile(geo.jpeg_bytes(crop)))


def _append_face(faces, sample, identity: int, box, named, crop_key: str) -> None:
    faces["time"].append(sample.time)
    faces["frame"].append(sample.index)
    faces["identity"].append(identity)
    for key, value in zip(("x0", "y0", "x1", "y1"), box, strict=True):
        faces[key].append(value)
    for name in LANDMARK_NAMES:
        faces[f"{name}_x"].append(float(named[name][0]))
        faces[f"{name}_y"].append(float(named[name][1]))
    faces["crop_key"].append(crop_key)


def _append_shapes(shapes, sample, identity: int, categories) -> None:
    shapes["time"].append(sample.time)
    shapes["frame"].append(sample.index)
    shapes["identity"].append(identity)
    for category in categories:
        shapes.setdefault(category.category_name, []).append(float(category.score))
