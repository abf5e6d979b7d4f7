"""A project's chosen pre-labelers run on each asset once it is ready, and only where they fit."""

import pytest

from models_zoo.models import PrelabelJob
from models_zoo.services.autorun import prelabel_autorun
from tests.conftest import client_for
from tests.media_samples import make_tone_wav

pytestmark = pytest.mark.django_db


def test_a_ready_video_gets_the_projects_auto_prelabelers(project, make_ready, pattern_mp4):
    project.auto_prelabelers = ["face"]
    project.save()
    asset = make_ready(pattern_mp4)

    jobs = prelabel_autorun(asset_id=asset.pk)

    assert [job.prelabeler for job in jobs] == ["face"]
    assert PrelabelJob.objects.filter(asset=asset, prelabeler="face").count() == 1
    assert prelabel_autorun(asset_id=asset.pk)[0].pk == jobs[0].pk  # a repeat reuses the job


def test_prelabelers_that_do_not_fit_the_asset_are_skipped(project, make_ready, tmp_path):
    project.auto_prelabelers = ["face", "voice_activity"]
    project.save()
    asset = make_ready(make_tone_wav(tmp_path / "tone.wav"))

    jobs = prelabel_autorun(asset_id=asset.pk)

    assert [job.prelabeler for job in jobs] == ["voice_activity"]  # no video: no faces to find


def test_nothing_runs_for_an_asset_that_is_not_ready(project, owner, clip_mp4, tmp_path):
    from ingest.services.assets import asset_create_from_path

    project.auto_prelabelers = ["face"]
    project.save()
    staged = tmp_path / "staged.mp4"
    staged.write_bytes(clip_mp4.read_bytes())
    asset = asset_create_from_path(
        project=project, path=staged, original_name="c.mp4", uploaded_by=owner
    ).asset

    assert prelabel_autorun(asset_id=asset.pk) == []
    assert not PrelabelJob.objects.exists()


def test_owners_choose_auto_prelabelers_and_unknown_names_are_refused(owner_client, project, annotator):
    url = f"/api/projects/{project.pk}/"
    response = owner_client.patch(url, {"auto_prelabelers": ["face", "asr"]}, format="json")
    assert response.status_code == 200
    assert response.json()["auto_prelabelers"] == ["face", "asr"]

    refused = owner_client.patch(url, {"auto_prelabelers": ["telepathy"]}, format="json")
    assert refused.status_code == 400
    assert "telepathy" in str(refused.json())

    denied = client_for(annotator).patch(url, {"auto_prelabelers": []}, format="json")
    assert denied.status_code == 403
    project.refresh_from_db()
    assert project.auto_prelabelers == ["face", "asr"]
