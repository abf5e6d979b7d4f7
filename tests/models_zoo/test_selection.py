"""Running one pre-labeler over a selection of a project's assets."""

from __future__ import annotations

import pytest

from ingest.models import MediaAsset
from models_zoo.models import JobState, PrelabelJob
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.media_samples import make_clip

from .conftest import run_request

pytestmark = pytest.mark.django_db


def url(project) -> str:
    return f"/api/projects/{project.pk}/prelabel/"


def test_one_job_per_selected_asset_reusing_finished_ones(
    make_ready, pattern_mp4, project, owner_client, tmp_path
):
    first = make_ready(pattern_mp4)
    second = make_ready(make_clip(tmp_path / "other.mp4", seconds=1))
    done = run_request(first, "voice_activity")
    assert done.state == JobState.SUCCEEDED
    text = MediaAsset.objects.create(project=project, kind="text", status="ready", sha256="t" * 64, text="hi")

    response = owner_client.post(
        url(project),
        {"prelabeler": "voice_activity", "asset_ids": [first.pk, second.pk, text.pk, second.pk]},
        format="json",
    )
    assert response.status_code == 202, response.json()
    body = response.json()
    jobs = {job["asset"]: job for job in body["jobs"]}
    assert set(jobs) == {first.pk, second.pk}
    assert jobs[first.pk]["id"] == done.pk and jobs[first.pk]["state"] == "succeeded"  # reused
    assert jobs[second.pk]["state"] == "queued" and jobs[second.pk]["prelabeler"] == "voice_activity"
    assert body["skipped"] == [
        {"asset": text.pk, "reason": f"voice_activity needs audio, and asset {text.pk} (text) has none."}
    ]
    assert PrelabelJob.objects.filter(asset=second).count() == 1

    again = owner_client.post(
        url(project), {"prelabeler": "voice_activity", "asset_ids": [second.pk]}, format="json"
    )
    assert again.status_code == 202 and again.json()["jobs"][0]["id"] == jobs[second.pk]["id"]

    other_params = owner_client.post(
        url(project),
        {"prelabeler": "voice_activity", "asset_ids": [first.pk], "params": {"threshold": 0.6}},
        format="json",
    )
    assert other_params.status_code == 202
    new_job = other_params.json()["jobs"][0]
    assert new_job["id"] != done.pk and new_job["params"]["threshold"] == 0.6

    finished_only = owner_client.post(
        url(project), {"prelabeler": "voice_activity", "asset_ids": [first.pk]}, format="json"
    )
    assert finished_only.status_code == 200  # nothing new was queued


def test_bad_selections_are_refused_and_change_nothing(make_ready, pattern_mp4, project, owner, owner_client):
    asset = make_ready(pattern_mp4)
    elsewhere = ProjectFactory(created_by=owner)
    foreign = MediaAsset.objects.create(project=elsewhere, kind="audio", status="ready", sha256="f" * 64)
    cases = [
        ({"prelabeler": "voice_activity", "asset_ids": [asset.pk, foreign.pk]}, "asset_ids", str(foreign.pk)),
        ({"prelabeler": "voice_activity", "asset_ids": [asset.pk, 999999]}, "asset_ids", "999999"),
        ({"prelabeler": "voice_activity", "asset_ids": []}, "asset_ids", ""),
        ({"prelabeler": "voice_activity", "asset_ids": ["x"]}, "asset_ids", ""),
        ({"prelabeler": "nope", "asset_ids": [asset.pk]}, "prelabeler", "No pre-labeler named 'nope'"),
        (
            {"prelabeler": "voice_activity", "asset_ids": [asset.pk], "params": {"threshold": 7}},
            "params",
            "threshold",
        ),
        ({"prelabeler": "voice_activity", "asset_ids": [asset.pk], "params": {"nope": 1}}, "params", "nope"),
    ]
    for body, field, message in cases:
        response = owner_client.post(url(project), body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert message in str(response.json()[field]), response.json()
    assert not PrelabelJob.objects.exists()


def test_only_owners_and_managers_may_run_a_selection(
    make_ready, pattern_mp4, project, manager, annotator, outsider
):
    asset = make_ready(pattern_mp4)
    body = {"prelabeler": "voice_activity", "asset_ids": [asset.pk]}
    assert client_for(annotator).post(url(project), body, format="json").status_code == 403
    assert client_for(outsider).post(url(project), body, format="json").status_code == 404
    assert client_for(manager).post(url(project), body, format="json").status_code == 202
