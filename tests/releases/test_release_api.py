"""The release API: create and list versions, the permission matrix, and clear 400s for bad input."""

from __future__ import annotations

import pytest

from projects.models import Role
from releases.models import DatasetVersion, VersionState
from tests.conftest import client_for
from tests.factories import ProjectFactory, UserFactory
from tests.releases.test_release_fixtures import labelled_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """Version ids handed to the Celery task, instead of a real broker."""
    sent: list[int] = []
    monkeypatch.setattr(
        "releases.tasks.build_dataset_version.delay", lambda version_id: sent.append(version_id)
    )
    return sent


def url(project) -> str:
    return f"/api/projects/{project.pk}/versions/"


def create(client, project, body=None, capture=None):
    if capture is None:
        return client.post(url(project), body or {}, format="json")
    with capture(execute=True):
        return client.post(url(project), body or {}, format="json")


def test_owner_creates_the_first_version_as_1_0_0_and_it_is_queued_after_commit(
    owner_client, project, queued, django_capture_on_commit_callbacks
):
    response = create(owner_client, project, {"notes": "first"}, django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["version"] == "1.0.0" and body["state"] == "queued" and body["progress"] == 0
    assert body["notes"] == "first" and body["include_media"] == "none" and body["seed"] == 0
    assert body["created_by"] == "owner"
    assert body["download_url"] == f"/api/versions/{body['id']}/download/"
    assert body["report_url"] == f"/api/versions/{body['id']}/report/"
    assert queued == [body["id"]]


def test_bumps_follow_the_latest_version_and_the_list_is_newest_first(owner_client, project, queued):
    assert create(owner_client, project).json()["version"] == "1.0.0"
    assert create(owner_client, project, {"bump": "patch"}).json()["version"] == "1.0.1"
    assert create(owner_client, project, {"bump": "minor"}).json()["version"] == "1.1.0"
    assert create(owner_client, project, {"version": "2.0.0"}).json()["version"] == "2.0.0"
    assert create(owner_client, project, {"bump": "major"}).json()["version"] == "3.0.0"
    listed = owner_client.get(url(project)).json()
    assert [v["version"] for v in listed] == ["3.0.0", "2.0.0", "1.1.0", "1.0.1", "1.0.0"]


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [(Role.MANAGER, 200, 403), (Role.ANNOTATOR, 200, 403), (Role.REVIEWER, 200, 403), (None, 404, 404)],
)
def test_only_the_export_right_creates_and_downloads_while_members_list(
    project, queued, role, list_status, create_status
):
    from projects.services import membership_set

    user = UserFactory(username=f"user-{role}")
    if role is not None:
        membership_set(project=project, user=user, role=role)
    client = client_for(user)
    version = create(client_for(project.created_by), project).json()
    assert client.get(url(project)).status_code == list_status
    assert create(client, project).status_code == create_status
    assert client.get(f"/api/versions/{version['id']}/").status_code == list_status
    download = client.get(f"/api/versions/{version['id']}/download/")
    assert download.status_code == (404 if role is None else 403)
    assert DatasetVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"version": "1.0"}, "version", "X.Y.Z"),
        ({"version": "01.0.0"}, "version", "X.Y.Z"),
        ({"version": "v1.2.3"}, "version", "X.Y.Z"),
        ({"bump": "huge"}, "bump", "huge"),
        ({"include_media": "all"}, "include_media", "all"),
        ({"seed": -1}, "seed", "greater than or equal"),
        ({"filters": {"review_states": ["finished"]}}, "filters", "finished"),
        ({"filters": {"item_ids": "all"}}, "filters", "list"),
        ({"filters": {"itemids": [1]}}, "filters", "unknown filter(s) itemids"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(owner_client, project, queued, body, field, words):
    response = create(owner_client, project, body)
    assert response.status_code == 400
    assert field in response.json()
    assert words in str(response.json()[field])
    assert DatasetVersion.objects.count() == 0


def test_a_version_must_be_greater_than_the_latest(owner_client, project, queued):
    create(owner_client, project, {"version": "1.2.0"})
    for number in ("1.2.0", "1.1.9", "0.9.0"):
        response = create(owner_client, project, {"version": number})
        assert response.status_code == 400
        assert "greater than the project's latest version 1.2.0" in response.json()["version"][0]
    assert create(owner_client, project, {"version": "1.10.0"}).status_code == 202


def test_filters_with_ids_of_another_project_are_refused(owner_client, project, owner, queued):
    labelled = labelled_project(project)
    other = ProjectFactory(created_by=owner)
    from tests.releases.test_release_fixtures import make_item

    foreign_item = make_item(other, 99)
    stranger = UserFactory(username="stranger")
    response = create(owner_client, project, {"filters": {"item_ids": [labelled[0].pk, foreign_item.pk]}})
    assert response.status_code == 400
    assert response.json()["filters"]["item_ids"] == [f"not items of this project: {foreign_item.pk}."]
    response = create(owner_client, project, {"filters": {"annotator_ids": [stranger.pk]}})
    assert response.status_code == 400
    assert response.json()["filters"]["annotator_ids"] == [f"not members of this project: {stranger.pk}."]


def test_valid_filters_are_stored_sorted_and_deduplicated(owner_client, project, queued):
    labelled = labelled_project(project)
    ids = [labelled[2].pk, labelled[0].pk, labelled[2].pk]
    body = create(
        owner_client, project, {"filters": {"item_ids": ids, "review_states": ["accepted", "submitted"]}}
    )
    assert body.status_code == 202
    assert body.json()["filters"] == {
        "item_ids": sorted({labelled[0].pk, labelled[2].pk}),
        "review_states": ["accepted", "submitted"],
    }


def test_files_report_and_download_of_an_unbuilt_version_are_409(owner_client, project, queued):
    version = create(owner_client, project).json()
    for suffix in ("download/", "report/", "files/items.jsonl"):
        response = owner_client.get(f"/api/versions/{version['id']}/{suffix}")
        assert response.status_code == 409, suffix
        assert "queued" in response.json()["detail"]


def test_a_foreign_version_id_is_404(project, queued):
    version = create(client_for(project.created_by), project).json()
    other_owner = UserFactory(username="other-owner")
    ProjectFactory(created_by=other_owner)
    assert client_for(other_owner).get(f"/api/versions/{version['id']}/").status_code == 404
    assert DatasetVersion.objects.get().state == VersionState.QUEUED
