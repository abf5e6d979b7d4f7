"""``manage.py export_dataset`` and the admin: building versions without the REST API."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from releases.models import DatasetVersion, VersionState
from tests.factories import UserFactory
from tests.releases.test_release_fixtures import labelled_project

pytestmark = pytest.mark.django_db


def test_sync_export_builds_and_copies_the_files_out(project, tmp_path):
    labelled_project(project)
    out = StringIO()
    call_command("export_dataset", str(project.pk), "--version", "2.1.0", "--seed", "3", "--sync",
                 "--out", str(tmp_path), stdout=out)  # fmt: skip
    version = DatasetVersion.objects.get(project=project)
    assert version.state == VersionState.READY and version.version == "2.1.0" and version.seed == 3
    text = out.getvalue()
    assert "Version 2.1.0" in text and "is ready" in text and version.storage_prefix in text
    folder = tmp_path / f"project{project.pk}-2.1.0"
    assert f"Copied to: {folder}" in text
    for entry in version.files:
        assert hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]


def test_export_without_sync_queues_a_bumped_version(
    project, monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[int] = []
    monkeypatch.setattr("releases.tasks.build_dataset_version.delay", sent.append)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("export_dataset", str(project.pk), stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("export_dataset", str(project.pk), "--bump", "patch", stdout=out)
    versions = list(DatasetVersion.objects.order_by("pk").values_list("version", "state"))
    assert versions == [("1.0.0", "queued"), ("1.0.1", "queued")]
    assert sent == list(DatasetVersion.objects.order_by("pk").values_list("pk", flat=True))
    assert "queued for a worker" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999"], "There is no project 999999"),
        (["{project}", "--version", "1.0"], "X.Y.Z"),
        (["{project}", "--out", "/tmp/x"], "--out needs --sync"),
    ],
)
def test_export_refuses_bad_arguments_with_a_message(project, args, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("export_dataset", *[a.format(project=project.pk) for a in args], stdout=StringIO())
    assert DatasetVersion.objects.count() == 0


def test_the_admin_action_queues_a_minor_version_and_built_fields_are_read_only(
    client, project, monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[int] = []
    monkeypatch.setattr("releases.tasks.build_dataset_version.delay", sent.append)
    staff = UserFactory(username="operator", is_staff=True, is_superuser=True)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/projects/project/",
            {"action": "build_minor_version", "_selected_action": [project.pk]},
            follow=True,
        )
    assert response.status_code == 200
    version = DatasetVersion.objects.get(project=project)
    assert version.version == "1.0.0" and version.created_by == staff and sent == [version.pk]
    assert "version 1.0.0 queued" in response.content.decode()
    page = client.get(f"/admin/releases/datasetversion/{version.pk}/change/")
    assert page.status_code == 200
    assert 'name="files"' not in page.content.decode() and 'name="notes"' in page.content.decode()
