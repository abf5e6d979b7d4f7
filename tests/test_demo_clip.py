"""The demo clip has a real face where we put it, and real speech where it should be."""

import wave
from io import StringIO

import av
import numpy as np
import pytest
from django.core.management import call_command

from ingest.models import MediaAsset
from ingest.services.demo_clip import face_path, make_demo_clip, synthesize_speech
from tests.factories import UserFactory


def test_speech_is_synthesised_with_real_energy(tmp_path):
    wav_path = synthesize_speech("I am so happy and delighted today", tmp_path / "s.wav")
    with wave.open(str(wav_path)) as wav:
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(float)
        seconds = wav.getnframes() / wav.getframerate()
    assert 1.0 < seconds < 5.0
    assert np.sqrt(np.mean(samples**2)) > 500  # clearly audible, not silence


def test_the_clip_shows_the_photo_where_the_path_says(tmp_path):
    from skimage.data import astronaut
    from skimage.transform import resize

    clip = make_demo_clip(
        tmp_path / "demo.mp4", text="Hello there, this is a test.", size=120, width=320, height=180
    )
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(stream)]
        assert container.streams.audio, "the clip carries the speech track"
    reference = (resize(astronaut(), (120, 120), anti_aliasing=True) * 255).astype(float)
    for index in (0, len(frames) // 2, len(frames) - 1):
        place = face_path(index, len(frames), width=320, height=180, size=120)
        crop = frames[index][place.y : place.y + 120, place.x : place.x + 120].astype(float)
        assert np.abs(crop - reference).mean() < 12, f"frame {index}: the photo is not where expected"


@pytest.mark.django_db
def test_seed_demo_creates_the_project_once():
    UserFactory(username="admin")
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    asset = MediaAsset.objects.get()
    assert asset.project.name.startswith("Demo")
    assert asset.size_bytes > 10_000
