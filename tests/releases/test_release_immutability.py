"""A ready version never changes: the model refuses edits and deleting live data leaves it intact."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.db.models import ProtectedError

from annotation.models import Annotation, Assignment
from ingest.models import MediaAsset
from releases.models import DatasetVersion, ImmutableVersion, VersionState
from tests.releases.test_release_fixtures import build, labelled_project

pytestmark = pytest.mark.django_db


def test_the_model_refuses_to_change_a_ready_versions_content(project):
    labelled_project(project)
    version = build(project, version="1.0.0")
    for field, value in (("notes", "rewritten"), ("files", []), ("version", "1.0.5"), ("seed", 7),
                         ("state", VersionState.FAILED)):  # fmt: skip
        fresh = DatasetVersion.objects.get(pk=version.pk)
        setattr(fresh, field, value)
        with pytest.raises(ImmutableVersion, match="ready and immutable"):
            fresh.save()
    assert DatasetVersion.objects.get(pk=version.pk).files == version.files
    DatasetVersion.objects.get(pk=version.pk).save()  # saving unchanged content is harmless


def test_a_queued_version_may_still_be_edited(project):
    from releases.services.versions import VersionRequest, version_create

    version = version_create(project=project, user=None, request=VersionRequest(), enqueue=False)
    version.notes = "typo fixed"
    version.save()
    assert DatasetVersion.objects.get(pk=version.pk).notes == "typo fixed"


def test_deleting_the_live_items_and_annotations_leaves_the_release_readable(project, owner_client):
    labelled_project(project)
    version = build(project, version="1.0.0")
    before = owner_client.get(f"/api/versions/{version.pk}/").json()
    Annotation.objects.filter(assignment__project=project).delete()
    Assignment.objects.filter(project=project).delete()
    MediaAsset.objects.filter(project=project).delete()
    after = owner_client.get(f"/api/versions/{version.pk}/").json()
    assert after == before
    for entry in version.files:
        with default_storage.open(f"{version.storage_prefix}/{entry['path']}", "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == entry["sha256"]
    assert owner_client.get(f"/api/versions/{version.pk}/download/").status_code == 200
    assert owner_client.get(f"/api/versions/{version.pk}/report/").status_code == 200


def test_a_project_with_releases_cannot_be_deleted(project):
    labelled_project(project)
    build(project, version="1.0.0")
    with pytest.raises(ProtectedError):
        project.delete()


def test_a_redelivered_build_of_a_ready_version_changes_nothing(project):
    labelled_project(project)
    from releases.tasks import build_dataset_version

    version = build(project, version="1.0.0")
    assert build_dataset_version.apply(args=[version.pk]).get() == "skipped"
    again = DatasetVersion.objects.get(pk=version.pk)
    assert again.files == version.files and again.built_at == version.built_at
