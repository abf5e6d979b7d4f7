"""The admin: the project action asks for the version's choices first, and built fields stay read-only."""

from __future__ import annotations

import pytest

from projects.models import Role
from projects.services import membership_set
from releases.models import DatasetVersion, VersionState
from tests.factories import ProjectFactory, UserFactory
from tests.releases.test_release_fixtures import labelled_project, make_item

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/projects/project/"


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """Version ids handed to the Celery task, instead of a real broker."""
    ids: list[int] = []
    monkeypatch.setattr("releases.tasks.build_dataset_version.delay", ids.append)
    return ids


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return client


def run_action(client, projects, capture=None, **fields):
    """Post the action for ``projects``; with ``fields`` the intermediate form is submitted too."""
    data = {"action": "build_version", "_selected_action": [p.pk for p in projects]}
    if fields:
        data |= {"apply": "1", "bump": "minor", "include_media": "none", "seed": "0"} | fields
    if capture is None:
        return client.post(CHANGELIST, data, follow=True)
    with capture(execute=True):
        return client.post(CHANGELIST, data, follow=True)


def test_the_action_first_shows_a_form_with_the_members_and_queues_nothing(staff_client, project, sent):
    labelled_project(project, items=2, annotators=2)
    assert 'value="build_version"' in staff_client.get(CHANGELIST).content.decode()
    page = run_action(staff_client, [project])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="build-version-form"' in html and 'name="apply"' in html
    for name in ("version", "bump", "notes", "items", "annotators", "review_states", "include_media", "seed"):
        assert f'name="{name}"' in html, name
    assert f"coder{project.pk}-0 (Annotator)" in html and f"coder{project.pk}-1 (Annotator)" in html
    assert f'name="_selected_action" value="{project.pk}"' in html
    assert DatasetVersion.objects.count() == 0 and sent == []


def test_submitting_the_form_queues_a_version_with_its_filters(
    staff_client, project, sent, django_capture_on_commit_callbacks
):
    items = labelled_project(project, items=3, annotators=2)
    coder = project.memberships.filter(role=Role.ANNOTATOR).order_by("user_id").first().user
    response = run_action(
        staff_client, [project], django_capture_on_commit_callbacks,
        version="2.0.0", notes="pilot", items=f"{items[2].pk}, {items[0].pk}", annotators=[str(coder.pk)],
        review_states=["accepted", "submitted"], include_media="original", seed="5", dawid_skene="on",
    )  # fmt: skip
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith(CHANGELIST)
    version = DatasetVersion.objects.get(project=project)
    assert "version 2.0.0 queued" in response.content.decode()
    assert (version.version, version.state, version.notes) == ("2.0.0", VersionState.QUEUED, "pilot")
    assert version.filters == {
        "item_ids": sorted([items[0].pk, items[2].pk]),
        "annotator_ids": [coder.pk],
        "review_states": ["accepted", "submitted"],
    }
    assert (version.include_media, version.seed, version.dawid_skene) == ("original", 5, True)
    assert version.created_by.username == "operator" and sent == [version.pk]


def test_an_empty_number_bumps_the_latest(staff_client, project, sent):
    run_action(staff_client, [project], version="", review_states=["submitted"])
    run_action(staff_client, [project], version="", bump="major", review_states=["submitted"])
    run_action(staff_client, [project], version="", bump="patch", review_states=["submitted"])
    versions = DatasetVersion.objects.order_by("pk").values_list("version", flat=True)
    assert list(versions) == ["1.0.0", "2.0.0", "2.0.1"]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"version": "1.0"}, "version", "X.Y.Z"),
        ({"items": "three"}, "items", "'three' is neither an item id nor a range"),
        ({"items": "{foreign_item}"}, "items", "not items of this project: {foreign_item}."),
        ({"review_states": []}, "review_states", "This field is required."),
        ({"seed": "-1"}, "seed", "greater than or equal to 0"),
        ({"annotators": ["{stranger}"]}, "annotators", "Select a valid choice"),
    ],
)
def test_a_refused_choice_is_shown_beside_its_field_and_nothing_is_queued(
    staff_client, project, sent, fields, field, words
):
    foreign_item = make_item(ProjectFactory(created_by=project.created_by), 99)
    stranger = UserFactory(username="stranger")
    names = {"foreign_item": foreign_item.pk, "stranger": stranger.pk}
    fields = {"review_states": ["submitted"]} | fields
    fields = {k: [v.format(**names) for v in val] if isinstance(val, list) else val.format(**names)
              for k, val in fields.items()}  # fmt: skip
    response = run_action(staff_client, [project], **fields)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert words.format(**names) in " ".join(form.errors[field])
    assert 'id="build-version-form"' in response.content.decode()
    assert DatasetVersion.objects.count() == 0 and sent == []


def test_several_projects_get_one_version_each_without_item_or_annotator_filters(
    staff_client, project, owner, sent
):
    other = ProjectFactory(created_by=owner, name="Second")
    membership_set(project=other, user=UserFactory(username="coder-b"), role=Role.ANNOTATOR)
    DatasetVersion.objects.create(project=other, version="1.4.0", state=VersionState.FAILED)
    form_page = run_action(staff_client, [project, other])
    html = form_page.content.decode()
    assert 'name="items"' not in html and 'name="annotators"' not in html
    assert "when a single project is selected" in html
    response = run_action(staff_client, [project, other], bump="minor", review_states=["submitted"])
    assert "version 1.0.0 queued" in response.content.decode()
    assert "version 1.5.0 queued" in response.content.decode()
    assert DatasetVersion.objects.filter(state=VersionState.QUEUED).count() == 2


def test_staff_who_may_only_view_projects_cannot_run_the_action(client, project, sent):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_project"))
    client.force_login(viewer)
    assert 'value="build_version"' not in client.get(CHANGELIST).content.decode()
    response = run_action(client, [project], review_states=["submitted"])
    assert 'id="build-version-form"' not in response.content.decode()
    assert DatasetVersion.objects.count() == 0 and sent == []


def test_built_fields_are_read_only_and_a_ready_version_cannot_be_deleted(staff_client, project):
    queued = DatasetVersion.objects.create(project=project, version="1.0.0")
    ready = DatasetVersion.objects.create(project=project, version="1.1.0", state=VersionState.READY)
    page = staff_client.get(f"/admin/releases/datasetversion/{queued.pk}/change/").content.decode()
    assert 'name="files"' not in page and 'name="filters"' not in page and 'name="notes"' in page
    page = staff_client.get(f"/admin/releases/datasetversion/{ready.pk}/change/").content.decode()
    assert 'name="notes"' not in page
    assert staff_client.get(f"/admin/releases/datasetversion/{ready.pk}/delete/").status_code == 403
