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


# Blind labeling: a release holds every annotator's labels, so reading it needs the review right
# (owner, manager, reviewer) and its files the export right (owner); annotators get 403 everywhere,
# non-members 404, and both before any 409 for a version that is not built.
READ = {Role.OWNER: 200, Role.MANAGER: 200, Role.REVIEWER: 200, Role.ANNOTATOR: 403, None: 404}
EXPORT = {Role.OWNER: 200, Role.MANAGER: 403, Role.REVIEWER: 403, Role.ANNOTATOR: 403, None: 404}
CREATE = {**EXPORT, Role.OWNER: 202}


def _users_by_role(project) -> dict:
    from projects.services import membership_set

    users = {Role.OWNER: project.created_by, None: UserFactory(username="not-a-member")}
    for role in (Role.MANAGER, Role.REVIEWER, Role.ANNOTATOR):
        users[role] = UserFactory(username=f"member-{role}")
        membership_set(project=project, user=users[role], role=role)
    return users


def test_every_release_endpoint_answers_each_role_by_its_capability(project, queued):
    from tests.releases.test_release_fixtures import build

    labelled_project(project, items=2, annotators=2)
    version = build(project)
    assert version.state == VersionState.READY
    base = f"/api/versions/{version.pk}/"
    endpoints = {
        url(project): READ, base: READ, f"{base}report/": READ,
        f"{base}download/": EXPORT, f"{base}files/manifest.json": EXPORT, f"{base}files/items.jsonl": EXPORT,
    }  # fmt: skip
    for role, user in _users_by_role(project).items():
        client = client_for(user)
        for address, expected in endpoints.items():
            response = client.get(address)
            assert response.status_code == expected[role], (role, address, response.status_code)
            if expected[role] != 200:
                assert "labels" not in response.content.decode(), (role, address)
        assert create(client, project, {"bump": "patch"}).status_code == CREATE[role], role
    # Only the owner's version was added.
    assert list(DatasetVersion.objects.order_by("pk").values_list("version", flat=True)) == ["1.0.0", "1.0.1"]


def test_members_without_the_right_are_refused_before_an_unbuilt_version_is_409(project, queued):
    version = create(client_for(project.created_by), project).json()
    for role, user in _users_by_role(project).items():
        client = client_for(user)
        for suffix in ("", "report/", "download/", "files/items.jsonl"):
            response = client.get(f"/api/versions/{version['id']}/{suffix}")
            expected = (READ if suffix in ("", "report/") else EXPORT)[role]
            assert response.status_code == (409 if expected == 200 and suffix else expected), (role, suffix)


def test_release_pages_need_the_review_right_and_are_404_for_non_members(project, queued, client):
    version = create(client_for(project.created_by), project).json()
    for role, user in _users_by_role(project).items():
        client.force_login(user)
        list_page = client.get(f"/projects/{project.pk}/releases/")
        report_page = client.get(f"/releases/{version['id']}/report/")
        assert list_page.status_code == READ[role], role
        assert report_page.status_code == READ[role], role
        if READ[role] == 200:
            # The create form (and with it the download links) only for the export right.
            assert ('id="release-form"' in list_page.content.decode()) == (EXPORT[role] == 200), role
        client.logout()


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


def test_the_create_form_offers_subjects_with_their_ready_item_ids(project, client):
    from ingest.models import AssetStatus
    from tests.releases.test_release_fixtures import make_item

    items = [make_item(project, n) for n in range(3)]
    items[2].metadata = {"subject": "s0"}
    items[2].save(update_fields=["metadata"])
    pending = make_item(project, 3)
    pending.status = AssetStatus.NORMALISING
    pending.save(update_fields=["status"])
    client.force_login(project.created_by)
    html = client.get(f"/projects/{project.pk}/releases/").content.decode()
    assert 'id="release-items"' in html
    assert f'value="s0" data-item-ids="{items[0].pk} {items[2].pk}">s0 (2 items)</option>' in html
    assert f'value="s1" data-item-ids="{items[1].pk}">s1 (1 item)</option>' in html
    assert 'value="s3"' not in html
