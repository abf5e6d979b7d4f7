"""The face pre-labeler on real video of a real face photo at known places."""

from __future__ import annotations

import io

import numpy as np
import pyarrow.parquet as pq
import pytest
from django.core.files.storage import default_storage
from PIL import Image

from models_zoo.prelabelers.face_geometry import iou
from models_zoo.services.track_files import track_table_read

from .conftest import BLANK, MOVING, run_request
from .media import FPS, expected_face_box

pytestmark = pytest.mark.django_db


def test_boxes_follow_the_moving_face_and_blank_frames_have_none(make_ready, moving_face_mp4):
    asset = make_ready(moving_face_mp4)
    job = run_request(asset, "face", {"sample_fps": 5.0})
    assert job.state == "succeeded", job.error
    assert (job.progress, job.device) == (100, "cpu")
    faces = track_table_read(track=job.tracks.get(kind="faces")).to_pylist()
    sampled = job.tracks.get(kind="faces").metadata["sampled_frames"]
    assert sampled == (MOVING + BLANK) // (FPS // 5)
    with_face = {row["frame"]: row for row in faces}
    assert len(with_face) == len(faces), "one face per frame in this clip"
    face_frames = [f for f in range(0, MOVING + BLANK, FPS // 5) if f < MOVING]
    assert sorted(with_face) == face_frames  # every sampled frame with the photo, none of the blank ones
    for frame, row in with_face.items():
        box = (row["x0"], row["y0"], row["x1"], row["y1"])
        assert iou(box, expected_face_box(frame, MOVING)) >= 0.5, (frame, box)
    xs = [with_face[f]["nose_x"] for f in face_frames]
    assert xs == sorted(xs) and xs[-1] - xs[0] > 0.2  # the nose travels left to right with the photo


def test_one_identity_is_the_main_subject_and_its_crops_are_eye_aligned(make_ready, moving_face_mp4):
    import mediapipe as mp

    from models_zoo.prelabelers.mediapipe_bundle import landmarker_create

    asset = make_ready(moving_face_mp4)
    job = run_request(asset, "face", {"sample_fps": 5.0, "crops_per_second": 2.0})
    track = job.tracks.get(kind="faces")
    faces = track_table_read(track=track).to_pylist()
    assert {row["identity"] for row in faces} == {track.metadata["main_identity"]}
    assert all(row["is_main"] for row in faces)
    keys = [row["crop_key"] for row in faces if row["crop_key"]]
    assert len(keys) == 4  # 2 s of face at 2 crops per second
    assert all(k.startswith(f"projects/{asset.project_id}/assets/{asset.uid}/prelabels/face/") for k in keys)
    with landmarker_create(max_faces=1, min_confidence=0.5) as landmarker:
        for key in keys:
            crop = np.asarray(Image.open(io.BytesIO(default_storage.open(key).read())).convert("RGB"))
            assert crop.shape == (224, 224, 3)
            found = landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=crop))
            assert len(found.face_landmarks) == 1
            mesh = found.face_landmarks[0]
            right = np.mean([(mesh[i].x, mesh[i].y) for i in (33, 133)], axis=0)
            left = np.mean([(mesh[i].x, mesh[i].y) for i in (362, 263)], axis=0)
            assert abs(right[1] - left[1]) < 0.03  # level eyes
            assert right[0] == pytest.approx(0.35, abs=0.04) and left[0] == pytest.approx(0.65, abs=0.04)


def test_blendshapes_are_kept_per_face_for_the_action_unit_step(make_ready, moving_face_mp4):
    asset = make_ready(moving_face_mp4)
    job = run_request(asset, "face")
    shapes = job.tracks.get(kind="blendshapes")
    assert shapes.row_count == job.tracks.get(kind="faces").row_count > 0
    table = pq.read_table(default_storage.path(shapes.storage_key))
    assert {"mouthSmileLeft", "mouthSmileRight", "jawOpen", "eyeBlinkLeft"} <= set(table.column_names)
    assert min(table.column("mouthSmileLeft").to_pylist()) > 0.5  # the astronaut smiles throughout


def test_a_video_without_a_face_gives_an_empty_track(make_ready, pattern_mp4):
    asset = make_ready(pattern_mp4)
    job = run_request(asset, "face")
    assert job.state == "succeeded", job.error
    faces = job.tracks.get(kind="faces")
    assert faces.row_count == 0 and faces.metadata["sampled_frames"] == 10
    assert track_table_read(track=faces).num_rows == 0
    assert faces.metadata["main_identity"] is None


def test_the_small_face_of_the_demo_clip_is_found_by_the_tiled_search(make_ready, sample_dir):
    """The demo clip (640×360, the photo at 240 px: a face of about 45 px) is below the detector's
    range on the whole frame; the tiled search finds it on every sampled frame."""
    import av

    from ingest.services.demo_clip import make_demo_clip

    clip = make_demo_clip(sample_dir / "demo.mp4", text="Hello, and welcome to AffectLab.")
    with av.open(str(clip)) as container:
        frames = sum(1 for _ in container.decode(container.streams.video[0]))
    asset = make_ready(clip)
    whole_frame_only = run_request(asset, "face", {"tiles": 1})
    assert whole_frame_only.tracks.get(kind="faces").row_count == 0
    job = run_request(asset, "face")
    faces = track_table_read(track=job.tracks.get(kind="faces")).to_pylist()
    sampled = list(range(0, frames, FPS // 5))
    assert [row["frame"] for row in faces] == sampled
    for row in faces:
        expected = expected_face_box(row["frame"], frames, width=640, height=360, size=240)
        assert iou((row["x0"], row["y0"], row["x1"], row["y1"]), expected) >= 0.5, row


def test_the_model_bundle_is_checked_against_its_pinned_hash(tmp_path):
    from models_zoo.prelabelers.base import BadInput
    from models_zoo.prelabelers.mediapipe_bundle import BUNDLE_SHA256, bundle_bytes, bundle_path

    genuine = bundle_path()
    assert len(bundle_bytes(genuine)) == 3_758_596
    tampered = tmp_path / "face_landmarker.task"
    data = bytearray(genuine.read_bytes())
    data[1000] ^= 0xFF
    tampered.write_bytes(bytes(data))
    with pytest.raises(BadInput, match="not the pinned one"):
        bundle_bytes(tampered, BUNDLE_SHA256)
    with pytest.raises(BadInput, match="does not exist"):
        bundle_bytes(tmp_path / "missing.task")
