"""Test videos with a real face photo at known places, and turning them into ready assets."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ingest.models import AssetStatus, MediaAsset
from ingest.services.assets import asset_create_from_path
from ingest.services.demo_clip import face_path, render_frames
from ingest.services.ffmpeg_runner import ffmpeg_binary
from ingest.services.processing import AssetBusy, asset_normalise, asset_probe

FPS = 25
WIDTH, HEIGHT, SIZE = 640, 480, 480
# Hand-drawn reference box of the face in scikit-image's 512×512 astronaut photo
# (cheek to cheek, hairline to chin), in that photo's pixels.
FACE_IN_PHOTO = (176, 72, 272, 180)
# The mouth in that photo; turned upside down, the smile's raised corners point down.
MOUTH_IN_PHOTO = (130, 165, 195, 255)  # y0, y1, x0, x1


def encode(path: Path, frames: Iterable[np.ndarray], *, width: int = WIDTH, height: int = HEIGHT) -> Path:
    args = [
        ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(FPS), "-i", "pipe:0",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", str(path),
    ]  # fmt: skip
    process = subprocess.Popen(args, stdin=subprocess.PIPE)
    assert process.stdin is not None
    for frame in frames:
        process.stdin.write(np.ascontiguousarray(frame).tobytes())
    process.stdin.close()
    assert process.wait() == 0
    return path


def expected_face_box(
    frame_index: int, moving_frames: int, *, width: int = WIDTH, height: int = HEIGHT, size: int = SIZE
) -> tuple[float, float, float, float] | None:
    """Normalised box of the face in a frame of the moving clip, None on the blank tail."""
    if frame_index >= moving_frames:
        return None
    place = face_path(frame_index, moving_frames, width=width, height=height, size=size)
    scale = size / 512
    x0, y0, x1, y1 = (v * scale for v in FACE_IN_PHOTO)
    return (
        (place.x + x0) / width, (place.y + y0) / height, (place.x + x1) / width, (place.y + y1) / height,
    )  # fmt: skip


def still_frame(*, frown: bool = False) -> np.ndarray:
    """The photo centred on the background; with ``frown`` its mouth region is turned upside down."""
    from skimage.data import astronaut
    from skimage.transform import resize

    photo = astronaut().copy()
    if frown:
        y0, y1, x0, x1 = MOUTH_IN_PHOTO
        photo[y0:y1, x0:x1] = photo[y0:y1, x0:x1][::-1]
    face = (resize(photo, (SIZE, SIZE), anti_aliasing=True) * 255).astype(np.uint8)
    frame = np.full((HEIGHT, WIDTH, 3), 90, dtype=np.uint8)
    left = (WIDTH - SIZE) // 2
    frame[:, left : left + SIZE] = face
    return frame


def moving_frames(moving: int, blank: int):
    """The demo clip's frames: the photo gliding left to right, then ``blank`` empty frames."""
    return render_frames(moving, width=WIDTH, height=HEIGHT, size=SIZE, blank_tail=blank)


def ready_asset(project, owner, source: Path, tmp_path: Path) -> MediaAsset:
    staged = tmp_path / f"staged-{source.name}"
    staged.write_bytes(source.read_bytes())
    asset = asset_create_from_path(
        project=project, path=staged, original_name=source.name, uploaded_by=owner
    ).asset
    try:
        if asset_probe(asset_id=asset.pk):
            asset_normalise(asset_id=asset.pk)
    except AssetBusy:
        pass  # a running worker took the asset's own probe message first: let it finish
    deadline = time.monotonic() + 120
    asset.refresh_from_db()
    while asset.status not in (AssetStatus.READY, AssetStatus.FAILED) and time.monotonic() < deadline:
        time.sleep(0.2)
        asset.refresh_from_db()
    assert asset.status == AssetStatus.READY, asset.failure_reason
    return asset
