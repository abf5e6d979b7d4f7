"""The build task: progress with messages and heartbeat, failures recorded with a readable reason."""

from __future__ import annotations

import pytest

from releases.models import DatasetVersion, VersionState
from releases.services.progress import BuildClaim
from releases.services.versions import VersionRequest, version_create
from releases.tasks import build_dataset_version
from tests.releases.test_release_fixtures import labelled_project

pytestmark = pytest.mark.django_db


def queued(project) -> DatasetVersion:
    return version_create(project=project, user=project.created_by, request=VersionRequest(), enqueue=False)


def test_the_task_reports_rising_progress_with_messages_and_a_heartbeat(project, monkeypatch):
    labelled_project(project)
    seen: list[tuple[int, str, str, bool]] = []
    original = BuildClaim.report

    def spy(self, percent, message):
        original(self, percent, message)
        row = DatasetVersion.objects.get(pk=self.version_id)
        seen.append((row.progress, row.progress_message, row.state, row.heartbeat is not None))

    monkeypatch.setattr(BuildClaim, "report", spy)
    version = queued(project)
    assert build_dataset_version.apply(args=[version.pk]).get() == "ready"
    progress = [p for p, *_ in seen]
    assert progress == sorted(progress) and progress[0] < 20 and len(seen) >= 6
    assert all(state == "building" and beat for _, _, state, beat in seen)
    messages = " ".join(m for _, m, *_ in seen)
    for words in ("Reading items", "Aggregating field 'emotion'", "splits", "agreement", "Storing"):
        assert words in messages
    done = DatasetVersion.objects.get(pk=version.pk)
    assert done.state == VersionState.READY and done.progress == 100
    assert done.progress_message.startswith("Ready:") and done.attempts == 1


def test_an_unexpected_error_fails_the_version_with_its_reason(project, monkeypatch):
    labelled_project(project)

    def broken(*args, **kwargs):
        raise ValueError("the aggregation blew up")

    monkeypatch.setattr("releases.services.build.aggregate_all", broken)
    version = queued(project)
    assert build_dataset_version.apply(args=[version.pk]).get() == "failed"
    failed = DatasetVersion.objects.get(pk=version.pk)
    assert failed.state == VersionState.FAILED
    assert failed.error == "The build stopped on an unexpected error (ValueError: the aggregation blew up)."
    assert failed.files == [] and failed.built_at is None


def test_a_version_being_built_elsewhere_is_not_built_twice(project):
    version = queued(project)
    DatasetVersion.objects.filter(pk=version.pk).update(state=VersionState.BUILDING, heartbeat=_now())
    assert build_dataset_version.apply(args=[version.pk]).get() == "skipped"
    assert DatasetVersion.objects.get(pk=version.pk).attempts == 0


def test_a_build_whose_worker_went_silent_is_taken_over(project, settings):
    labelled_project(project)
    from datetime import timedelta

    version = queued(project)
    stale = _now() - timedelta(seconds=settings.AFFECTLAB_JOB_STALE_SECONDS + 5)
    DatasetVersion.objects.filter(pk=version.pk).update(
        state=VersionState.BUILDING, heartbeat=stale, attempts=1
    )
    assert build_dataset_version.apply(args=[version.pk]).get() == "ready"
    assert DatasetVersion.objects.get(pk=version.pk).attempts == 2


def test_a_lost_claim_stops_the_build_without_writing(project, monkeypatch):
    labelled_project(project)
    version = queued(project)
    original = BuildClaim.report

    def steal(self, percent, message):
        if percent >= 50:  # another worker takes over mid-build
            DatasetVersion.objects.filter(pk=self.version_id).update(attempts=self.attempt + 1)
        original(self, percent, message)

    monkeypatch.setattr(BuildClaim, "report", steal)
    assert build_dataset_version.apply(args=[version.pk]).get() == "skipped"
    row = DatasetVersion.objects.get(pk=version.pk)
    assert row.state == VersionState.BUILDING and row.files == []


def _now():
    from django.utils import timezone

    return timezone.now()
