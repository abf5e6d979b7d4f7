"""Celery tasks of the ingestion chain: they take ids and hand off to services."""

from __future__ import annotations

import logging

from celery import chain, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from ingest.services import processing

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, ConnectionError)


@shared_task(
    name="ingest.probe_asset",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def probe_asset(self, asset_id: int) -> None:
    if not processing.asset_probe(asset_id=asset_id):
        # Bad input (now failed) or already done: stop the rest of the chain.
        self.request.chain = None


@shared_task(
    name="ingest.normalise_asset",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def normalise_asset(self, asset_id: int) -> None:
    try:
        processing.asset_normalise(asset_id=asset_id)
    except SoftTimeLimitExceeded:
        processing.asset_mark_failed(asset_id=asset_id, reason="Processing took longer than the time limit.")


@shared_task(name="ingest.requeue_stale_assets", acks_late=True)
def requeue_stale_assets() -> int:
    """Periodic sweep: restart assets whose worker died or whose job never ran."""
    count = 0
    for asset_id in processing.stale_assets().values_list("pk", flat=True):
        if processing.asset_reset_for_retry(asset_id=asset_id):
            start_processing(asset_id)
            count += 1
    return count


def start_processing(asset_id: int) -> None:
    """Queue the probe → normalise chain for one asset (call after the row is committed)."""
    chain(probe_asset.si(asset_id), normalise_asset.si(asset_id)).apply_async(queue="cpu")
