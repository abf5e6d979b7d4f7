"""Celery task of dataset releases: takes a version id and hands off to the build service."""

from __future__ import annotations

import logging

from celery import shared_task

from .services.build import version_build
from .services.sweep import stale_version_ids, version_give_up_if_exhausted
from .services.versions import version_enqueue

log = logging.getLogger(__name__)


@shared_task(name="releases.build_dataset_version", acks_late=True, reject_on_worker_lost=True)
def build_dataset_version(version_id: int) -> str:
    """Build the version; a redelivered copy finds it claimed (fresh heartbeat) or finished and skips."""
    return version_build(version_id=version_id)


@shared_task(name="releases.requeue_stale_versions", acks_late=True)
def requeue_stale_versions() -> int:
    """Periodic sweep: send again the builds whose message was lost or whose worker died."""
    count = 0
    for version_id in stale_version_ids():
        if version_give_up_if_exhausted(version_id=version_id):
            log.warning("dataset version %s failed after repeated lost builds", version_id)
            continue
        version_enqueue(version_id=version_id)
        count += 1
    if count:
        log.info("re-sent %s stale dataset-version builds", count)
    return count
