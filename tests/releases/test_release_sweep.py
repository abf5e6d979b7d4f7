"""The periodic sweep re-sends builds that went silent and gives up on ones that keep dying."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from releases import tasks
from releases.models import DatasetVersion, VersionState
from releases.services.sweep import MAX_ATTEMPTS
from releases.services.versions import VersionRequest, version_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(tasks, "version_enqueue", lambda *, version_id: calls.append(version_id))
    return calls


def version(project, number: str, **fields) -> DatasetVersion:
    made = version_create(
        project=project, user=project.created_by, request=VersionRequest(version=number), enqueue=False
    )
    DatasetVersion.objects.filter(pk=made.pk).update(**fields)
    return made


def test_silent_builds_are_sent_again_and_live_ones_are_left_alone(project, settings, sent):
    long_ago = timezone.now() - timedelta(seconds=settings.AFFECTLAB_JOB_STALE_SECONDS + 60)
    lost_message = version(project, "1.0.0", created_at=long_ago)
    dead_worker = version(project, "1.1.0", state=VersionState.BUILDING, heartbeat=long_ago, attempts=1)
    version(project, "1.2.0")  # queued just now: its message is still on its way
    version(project, "1.3.0", state=VersionState.BUILDING, heartbeat=timezone.now(), attempts=1)
    version(project, "1.4.0", state=VersionState.READY, heartbeat=long_ago, created_at=long_ago)
    version(project, "1.5.0", state=VersionState.FAILED, heartbeat=long_ago, created_at=long_ago)

    assert tasks.requeue_stale_versions.apply().get() == 2
    assert sent == [lost_message.pk, dead_worker.pk]


def test_a_build_that_keeps_losing_its_worker_is_failed_with_a_reason(project, settings, sent):
    long_ago = timezone.now() - timedelta(seconds=settings.AFFECTLAB_JOB_STALE_SECONDS + 60)
    doomed = version(project, "1.0.0", state=VersionState.BUILDING, heartbeat=long_ago, attempts=MAX_ATTEMPTS)

    assert tasks.requeue_stale_versions.apply().get() == 0
    assert sent == []
    doomed.refresh_from_db()
    assert doomed.state == VersionState.FAILED
    assert f"stopped without finishing {MAX_ATTEMPTS} times" in doomed.error
