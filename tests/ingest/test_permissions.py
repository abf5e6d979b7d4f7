"""Who may see and add media: members see their project's assets; only owners and managers upload.

Anyone outside a project gets 404 for everything in it, so ids reveal nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from ingest.models import MediaAsset
from tests.conftest import client_for
from tests.factories import ProjectFactory, UserFactory
from tests.media_samples import MULTIPART, multipart_body

pytestmark = pytest.mark.django_db


def upload(client, project_id: int, content: bytes = b"media bytes", name: str = "clip.mp4"):
    body = multipart_body(file_name=name, content=content)
    return client.generic("POST", f"/api/projects/{project_id}/media/", body, content_type=MULTIPART)


@pytest.fixture
def asset_id(owner_client, project) -> int:
    response = upload(owner_client, project.pk)
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def other_project():
    """A project the ``project`` fixture's members do not belong to, with one asset."""
    stranger = UserFactory(username="stranger")
    other = ProjectFactory(created_by=stranger)
    response = upload(client_for(stranger), other.pk, b"someone else's media")
    assert response.status_code == 201, response.content
    return other, response.json()["id"]


def temp_upload_files() -> set[str]:
    folder = Path(django_settings.FILE_UPLOAD_TEMP_DIR)
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


@pytest.mark.parametrize("role", ["annotator", "reviewer", "manager"])
def test_members_can_list_view_and_read_their_projects_media(request, project, asset_id, role):
    client = client_for(request.getfixturevalue(role))
    listing = client.get(f"/api/projects/{project.pk}/media/")
    assert listing.status_code == 200
    assert [item["id"] for item in listing.json()] == [asset_id]
    detail = client.get(f"/api/media/{asset_id}/")
    assert detail.status_code == 200
    assert detail.json()["files"] == {"original": f"/api/media/{asset_id}/files/original/"}
    served = client.get(f"/api/media/{asset_id}/files/original/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"media bytes"


@pytest.mark.parametrize("role", ["annotator", "reviewer"])
def test_annotators_and_reviewers_cannot_upload(request, project, asset_id, role):
    before = temp_upload_files()
    response = upload(client_for(request.getfixturevalue(role)), project.pk, b"new media")
    assert response.status_code == 403
    assert "upload_media" in response.json()["detail"]
    assert MediaAsset.objects.count() == 1
    assert temp_upload_files() == before


def test_managers_can_upload(project, manager):
    response = upload(client_for(manager), project.pk, b"managed media")
    assert response.status_code == 201, response.content
    assert MediaAsset.objects.get(pk=response.json()["id"]).uploaded_by == manager


def test_outsiders_get_404_for_everything_in_a_project(project, asset_id, outsider):
    client = client_for(outsider)
    for path in (
        f"/api/projects/{project.pk}/media/",
        f"/api/media/{asset_id}/",
        f"/api/media/{asset_id}/files/original/",
        f"/api/media/{asset_id}/files/proxy/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "detail" in response.json()
    assert upload(client, project.pk).status_code == 404
    assert MediaAsset.objects.count() == 1


def test_members_of_one_project_get_404_for_a_foreign_projects_ids(project, annotator, owner, other_project):
    other, foreign_id = other_project
    for user in (owner, annotator):
        client = client_for(user)
        assert client.get(f"/api/projects/{other.pk}/media/").status_code == 404
        assert client.get(f"/api/media/{foreign_id}/").status_code == 404
        assert client.get(f"/api/media/{foreign_id}/files/original/").status_code == 404
        assert (
            client.get(f"/api/media/{foreign_id}/files/original/", HTTP_RANGE="bytes=0-3").status_code == 404
        )
    assert upload(client_for(owner), other.pk).status_code == 404
    assert MediaAsset.objects.filter(project=other).count() == 1


def test_a_foreign_asset_never_appears_in_a_members_listing(owner_client, project, asset_id, other_project):
    _, foreign_id = other_project
    ids = [item["id"] for item in owner_client.get(f"/api/projects/{project.pk}/media/").json()]
    assert ids == [asset_id]
    assert foreign_id not in ids


def test_an_unknown_asset_id_is_404_like_a_foreign_one(owner_client, other_project):
    _, foreign_id = other_project
    unknown = owner_client.get("/api/media/999999/")
    foreign = owner_client.get(f"/api/media/{foreign_id}/")
    assert unknown.status_code == foreign.status_code == 404
    assert unknown.json() == foreign.json() == {"detail": "No such asset."}


def test_anonymous_requests_are_refused(project, asset_id):
    client = APIClient()
    for path in (
        f"/api/projects/{project.pk}/media/",
        f"/api/media/{asset_id}/",
        f"/api/media/{asset_id}/files/original/",
    ):
        assert client.get(path).status_code in (401, 403), path
    assert upload(client, project.pk).status_code in (401, 403)
    assert MediaAsset.objects.count() == 1
