"""The probe → normalise steps on real media, run in-process (the worker tests run them in Celery)."""

import json
import wave

import pytest
from django.core.files.storage import default_storage

from ingest.models import AssetStatus
from ingest.services.assets import asset_create_from_path
from ingest.services.processing import asset_normalise, asset_probe
from tests.media_samples import make_tone_wav

pytestmark = pytest.mark.django_db


def ingest(project, owner, path, tmp_path):
    staged = tmp_path / "staged"
    staged.write_bytes(path.read_bytes())
    asset = asset_create_from_path(
        project=project, path=staged, original_name=path.name, uploaded_by=owner
    ).asset
    if asset_probe(asset_id=asset.pk):
        asset_normalise(asset_id=asset.pk)
    asset.refresh_from_db()
    return asset


def test_a_video_becomes_ready_with_probe_data_and_derived_files(project, owner, clip_mp4, tmp_path):
    asset = ingest(project, owner, clip_mp4, tmp_path)
    assert asset.status == AssetStatus.READY, asset.failure_reason
    assert asset.kind == "video"
    assert asset.progress == 100
    assert asset.probe["video"]["codec"] == "h264"
    assert (asset.probe["video"]["width"], asset.probe["video"]["height"]) == (320, 240)
    assert asset.probe["video"]["fps"] == pytest.approx(25)
    assert asset.probe["audio"]["sample_rate"] == 44100
    assert asset.duration_seconds == pytest.approx(3, abs=0.1)
    assert set(asset.derived) == {"proxy", "poster", "audio", "peaks"}
    with wave.open(default_storage.path(asset.derived["audio"])) as wav:
        assert (wav.getframerate(), wav.getnchannels()) == (16000, 1)
        assert wav.getnframes() / 16000 == pytest.approx(3, abs=0.1)
    peaks = json.loads(default_storage.open(asset.derived["peaks"]).read())
    assert peaks["length"] == pytest.approx(3 * 16000 / peaks["samples_per_pixel"], abs=2)
    # lavfi's sine has amplitude 1/8 of full scale: 4096 in 16-bit, 16 in 8-bit peaks.
    assert max(peaks["data"]) == pytest.approx(16, abs=1)


def test_the_video_proxy_is_browser_ready_h264_with_faststart(project, owner, clip_mp4, tmp_path):
    import av

    asset = ingest(project, owner, clip_mp4, tmp_path)
    path = default_storage.path(asset.derived["proxy"])
    with open(path, "rb") as handle:
        head = handle.read(4096)
    assert head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head
    with av.open(path) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.streams.audio[0].codec_context.name == "aac"


def test_an_audio_file_gets_an_audio_proxy_and_no_poster(project, owner, tmp_path):
    wav = make_tone_wav(tmp_path / "tone.wav")
    asset = ingest(project, owner, wav, tmp_path)
    assert asset.status == AssetStatus.READY, asset.failure_reason
    assert asset.kind == "audio"
    assert set(asset.derived) == {"proxy", "audio", "peaks"}


def test_an_unexpected_error_fails_the_asset_with_a_reason_instead_of_hanging(
    project, owner, clip_mp4, tmp_path
):
    """A step that blows up for an unforeseen reason ends ``failed`` at once, not stuck in progress."""
    from celery.exceptions import Ignore

    from ingest.models import MediaAsset
    from ingest.tasks import _run_step, probe_asset

    staged = tmp_path / "staged.mp4"
    staged.write_bytes(clip_mp4.read_bytes())
    asset = asset_create_from_path(
        project=project, path=staged, original_name="c.mp4", uploaded_by=owner
    ).asset

    def broken_step(*, asset_id: int) -> None:
        raise ZeroDivisionError("division by zero")

    with pytest.raises(Ignore):
        _run_step(probe_asset, broken_step, asset.pk)
    asset = MediaAsset.objects.get(pk=asset.pk)
    assert asset.status == AssetStatus.FAILED
    assert "ZeroDivisionError" in asset.failure_reason
