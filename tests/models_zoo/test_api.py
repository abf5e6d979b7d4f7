"""The pre-labeler API: who may request runs, job and track listings, windowed track reads."""

from __future__ import annotations

import pyarrow as pa
import pytest

from models_zoo.models import JobState, PrelabelJob
from models_zoo.services.track_files import track_file_write, track_table_read
from tests.conftest import client_for

from .conftest import run_request

pytestmark = pytest.mark.django_db


def test_an_owner_and_a_manager_may_request_a_run(make_ready, pattern_mp4, owner_client, manager):
    asset = make_ready(pattern_mp4)
    response = owner_client.post(f"/api/media/{asset.pk}/prelabel/", {"name": "face"}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["prelabeler"], body["state"], body["progress"]) == ("face", "queued", 0)
    again = client_for(manager).post(f"/api/media/{asset.pk}/prelabel/", {"name": "face"}, format="json")
    assert again.status_code == 202 and again.json()["id"] == body["id"]


def test_a_finished_job_is_reused_with_200(make_ready, pattern_mp4, owner_client):
    asset = make_ready(pattern_mp4)
    job = run_request(asset, "face")
    response = owner_client.post(f"/api/media/{asset.pk}/prelabel/", {"name": "face"}, format="json")
    assert response.status_code == 200 and response.json()["id"] == job.pk
    assert response.json()["state"] == "succeeded" and response.json()["progress"] == 100


def test_an_annotator_cannot_request_and_an_outsider_sees_nothing(
    make_ready, pattern_mp4, annotator, outsider
):
    asset = make_ready(pattern_mp4)
    run_request(asset, "face")
    track = asset.tracks.first()
    response = client_for(annotator).post(f"/api/media/{asset.pk}/prelabel/", {"name": "face"}, format="json")
    assert response.status_code == 403 and "upload_media" in response.json()["detail"]
    assert client_for(annotator).get(f"/api/media/{asset.pk}/tracks/").status_code == 200
    stranger = client_for(outsider)
    assert (
        stranger.post(f"/api/media/{asset.pk}/prelabel/", {"name": "face"}, format="json").status_code == 404
    )
    assert stranger.get(f"/api/media/{asset.pk}/jobs/").status_code == 404
    assert stranger.get(f"/api/media/{asset.pk}/tracks/").status_code == 404
    assert stranger.get(f"/api/tracks/{track.pk}/data/").status_code == 404


def test_bad_requests_get_clear_4xx(make_ready, pattern_mp4, owner_client):
    asset = make_ready(pattern_mp4)
    url = f"/api/media/{asset.pk}/prelabel/"
    unknown = owner_client.post(url, {"name": "nope"}, format="json")
    assert unknown.status_code == 400 and "No pre-labeler named 'nope'" in unknown.json()["name"]
    bad = owner_client.post(url, {"name": "face", "params": {"sample_fps": "x"}}, format="json")
    assert bad.status_code == 400 and "must be a float" in bad.json()["params"]
    asset.status = "normalising"
    asset.save()
    busy = owner_client.post(url, {"name": "face"}, format="json")
    assert busy.status_code == 409 and "ready assets only" in busy.json()["detail"]


def test_jobs_and_tracks_are_listed_with_progress_and_columns(make_ready, pattern_mp4, owner_client):
    asset = make_ready(pattern_mp4)
    au = run_request(asset, "action_units")
    jobs = owner_client.get(f"/api/media/{asset.pk}/jobs/").json()
    assert {(j["prelabeler"], j["state"], j["progress"], j["device"]) for j in jobs} == {
        ("face", "succeeded", 100, "cpu"),
        ("action_units", "succeeded", 100, "cpu"),
    }
    assert [j["depends_on"] for j in jobs if j["id"] == au.pk] == [[au.depends_on.get().pk]]
    tracks = owner_client.get(f"/api/media/{asset.pk}/tracks/").json()
    assert sorted(t["kind"] for t in tracks) == ["action_units", "au_events", "blendshapes", "faces"]
    au_track = next(t for t in tracks if t["kind"] == "action_units")
    assert "AU12" in [c["name"] for c in au_track["columns"]]
    assert au_track["metadata"]["method"] == "estimated from MediaPipe blendshapes"
    listed = owner_client.get(f"/api/media/{asset.pk}/tracks/?kind=faces").json()
    assert [t["kind"] for t in listed] == ["faces"]


def test_a_long_track_is_read_by_window_and_thinned(make_ready, pattern_mp4, owner_client):
    """An hour at 25 rows per second: the window and max_points bound what is sent."""
    asset = make_ready(pattern_mp4)
    job = PrelabelJob.objects.create(asset=asset, prelabeler="synthetic", version="1", params_hash="x",
                                     state=JobState.SUCCEEDED)  # fmt: skip
    rows = 3600 * 25
    table = pa.table({"time": pa.array([i / 25 for i in range(rows)]), "value": pa.array(range(rows))})
    key = track_file_write(key=f"tests/{asset.uid}/long.parquet", table=table)
    columns = [{"name": "time", "type": "double"}, {"name": "value", "type": "int64"}]
    track = asset.tracks.create(job=job, kind="curve", prelabeler="synthetic", version="1", sample_rate=25,
                                row_count=rows, storage_key=key, columns=columns)  # fmt: skip
    body = owner_client.get(f"/api/tracks/{track.pk}/data/?start=600&end=660&max_points=500").json()
    assert body["total_rows"] == 60 * 25 and body["stride"] == 3
    assert len(body["rows"]) == 500
    assert body["rows"][0] == {"time": 600.0, "value": 15000}
    assert body["rows"][-1]["time"] < 660 and body["columns"] == ["time", "value"]
    whole = owner_client.get(f"/api/tracks/{track.pk}/data/").json()
    assert whole["total_rows"] == rows and len(whole["rows"]) <= 2000
    reversed_window = owner_client.get(f"/api/tracks/{track.pk}/data/?start=5&end=1")
    assert reversed_window.status_code == 400


def test_a_window_read_may_name_the_columns_it_needs(make_ready, pattern_mp4, owner_client):
    """A plot of one column gets time and that column only; an unknown column is a 400."""
    asset = make_ready(pattern_mp4)
    job = PrelabelJob.objects.create(asset=asset, prelabeler="synthetic", version="1", params_hash="y",
                                     state=JobState.SUCCEEDED)  # fmt: skip
    rows = 600
    table = pa.table({
        "time": pa.array([i / 25 for i in range(rows)]),
        "AU06": pa.array([0.1] * rows),
        "AU12": pa.array([i / rows for i in range(rows)]),
    })  # fmt: skip
    key = track_file_write(key=f"tests/{asset.uid}/aus.parquet", table=table)
    columns = [{"name": n, "type": "double"} for n in ("time", "AU06", "AU12")]
    track = asset.tracks.create(job=job, kind="action_units", prelabeler="synthetic", version="1",
                                sample_rate=25, row_count=rows, storage_key=key, columns=columns)  # fmt: skip
    body = owner_client.get(f"/api/tracks/{track.pk}/data/?start=4&end=8&max_points=50&columns=AU12").json()
    assert body["columns"] == ["time", "AU12"] and body["total_rows"] == 100 and body["stride"] == 2
    assert body["rows"][0] == {"time": 4.0, "AU12": 100 / rows}
    assert all(set(row) == {"time", "AU12"} for row in body["rows"])
    unknown = owner_client.get(f"/api/tracks/{track.pk}/data/?columns=AU12,AU99")
    assert unknown.status_code == 400 and "AU99" in unknown.json()["columns"]


def test_a_damaged_track_file_gets_409_with_a_reason(make_ready, moving_face_mp4, owner_client):
    from django.core.files.storage import default_storage

    asset = make_ready(moving_face_mp4)
    track = run_request(asset, "face").tracks.get(kind="faces")
    with open(default_storage.path(track.storage_key), "wb") as handle:
        handle.write(b"not parquet")
    response = owner_client.get(f"/api/tracks/{track.pk}/data/")
    assert response.status_code == 409 and "missing or damaged" in response.json()["detail"]


def test_the_registry_lists_the_prelabelers(owner_client):
    body = owner_client.get("/api/prelabelers/").json()
    by_name = {p["name"]: p for p in body}
    assert by_name["face"]["produces"] == ["faces", "blendshapes"]
    assert by_name["action_units"]["inputs"] == ["track:face/blendshapes"]
    assert by_name["face"]["default_params"]["sample_fps"] == 5.0


def test_face_crops_are_served_to_members_only(
    make_ready, moving_face_mp4, owner_client, annotator, outsider
):
    asset = make_ready(moving_face_mp4)
    track = run_request(asset, "face").tracks.get(kind="faces")
    prefix = track.metadata["crops_prefix"] + "/"
    key = next(r["crop_key"] for r in track_table_read(track=track).to_pylist() if r["crop_key"])
    url = f"/api/tracks/{track.pk}/crops/{key.removeprefix(prefix)}"
    response = client_for(annotator).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:2] == b"\xff\xd8"
    )
    assert client_for(outsider).get(url).status_code == 404
    escape = f"/api/tracks/{track.pk}/crops/id0/../../faces.parquet"
    assert owner_client.get(escape).status_code == 404
    assert owner_client.get(f"/api/tracks/{track.pk}/crops/id0/9999999.jpg").status_code == 404
