"""Clips with a real face at known places, made once per run, and ready assets made from them."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from models_zoo.services.requests import prelabel_request
from models_zoo.services.running import prelabel_job_run
from tests.media_samples import make_clip

from .media import FPS, encode, moving_frames, ready_asset, still_frame

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

MOVING, BLANK = 50, 25  # 2 s of the photo gliding across, then 1 s of empty background


@pytest.fixture(scope="session")
def moving_face_mp4(sample_dir: Path) -> Path:
    return encode(sample_dir / "moving_face.mp4", moving_frames(MOVING, BLANK))


@pytest.fixture(scope="session")
def smile_then_frown_mp4(sample_dir: Path) -> Path:
    """1 s of the smiling photo, 1 s of the same photo with its mouth turned upside down."""
    smile, frown = still_frame(), still_frame(frown=True)
    frames = [smile] * FPS + [frown] * FPS
    return encode(sample_dir / "smile_frown.mp4", frames)


@pytest.fixture(scope="session")
def blank_mp4(sample_dir: Path) -> Path:
    return encode(sample_dir / "blank.mp4", [np.full((480, 640, 3), 90, np.uint8)] * 40)


@pytest.fixture(scope="session")
def pattern_mp4(sample_dir: Path) -> Path:
    return make_clip(sample_dir / "pattern.mp4", seconds=2)


@pytest.fixture
def make_ready(project, owner, tmp_path):
    return lambda source: ready_asset(project, owner, source, tmp_path)


def run_request(asset, name: str, params: dict | None = None):
    """Request a pre-labeler and run its job and its upstream jobs in this process."""
    job = prelabel_request(asset=asset, name=name, params=params)
    for upstream in job.depends_on.all():
        prelabel_job_run(job_id=upstream.pk)
    prelabel_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job
