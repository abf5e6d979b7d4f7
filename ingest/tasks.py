"""Celery tasks of the ingestion chain: they take ids and hand off to services.

Errors fall in three kinds. Bad input never reaches this module as an exception: the
services record it on the asset as ``failed`` with a reason. Errors that may pass
(storage or database unreachable) are retried with exponential back-off, and the asset
fails with a reason once the retries run out. A copy of a job that finds another
worker holding the asset waits and tries again. Whenever the probe step decides that
the asset goes no further, it raises ``Ignore``: the worker acknowledges the message
and does not send the next step of the chain.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from celery import Task, chain, shared_task, signature
from celery.exceptions import Ignore, SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.db import InterfaceError, OperationalError

from ingest.services import processing

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
MAX_RETRIES = 5
BUSY_MAX_RETRIES = 120
BACKOFF_FACTOR, BACKOFF_MAX = 5, 300
TIME_LIMIT_REASON = "Processing took longer than the time limit; the file may be too long or damaged."
T = TypeVar("T")

STEP_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": MAX_RETRIES,
}


def _run_step(task: Task, step: Callable[..., T], asset_id: int) -> T:
    """Run one service step, turning its outcome into Celery's vocabulary (retry, stop)."""
    retries = task.request.retries
    try:
        return step(asset_id=asset_id)
    except processing.AssetBusy as busy:
        if retries >= BUSY_MAX_RETRIES:
            log.warning("asset %s stayed busy; leaving it to its holder and the stale sweep", asset_id)
            raise Ignore() from busy
        raise task.retry(countdown=busy.retry_after, max_retries=BUSY_MAX_RETRIES) from busy
    except SoftTimeLimitExceeded as exc:
        processing.asset_mark_failed(asset_id=asset_id, reason=TIME_LIMIT_REASON)
        raise Ignore() from exc
    except TRANSIENT_ERRORS as exc:
        if retries >= MAX_RETRIES:
            log.exception("asset %s: giving up after %s retries", asset_id, retries)
            reason = f"Processing kept failing on a temporary error ({type(exc).__name__}); try again later."
            processing.asset_mark_failed(asset_id=asset_id, reason=reason)
            raise Ignore() from exc
        countdown = get_exponential_backoff_interval(BACKOFF_FACTOR, retries, BACKOFF_MAX, full_jitter=True)
        raise task.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:
        # A bug or an input nobody foresaw: fail visibly now rather than leave the asset
        # "in progress" until the stale sweep gives up on it.
        log.exception("asset %s: unexpected error while processing", asset_id)
        reason = (
            f"Processing stopped on an unexpected error ({type(exc).__name__}); the server log has details."
        )
        processing.asset_mark_failed(asset_id=asset_id, reason=reason)
        raise Ignore() from exc


@shared_task(name="ingest.probe_asset", **STEP_OPTIONS)
def probe_asset(self: Task, asset_id: int) -> None:
    if not _run_step(self, processing.asset_probe, asset_id):
        raise Ignore()  # failed with a reason, already done, or deleted: no normalise step


@shared_task(name="ingest.normalise_asset", **STEP_OPTIONS)
def normalise_asset(self: Task, asset_id: int) -> None:
    _run_step(self, processing.asset_normalise, asset_id)


@shared_task(name="ingest.requeue_stale_assets", acks_late=True)
def requeue_stale_assets() -> int:
    """Periodic sweep: restart assets whose worker died or whose job message was lost."""
    count = 0
    for asset_id in processing.stale_assets().values_list("pk", flat=True):
        if processing.asset_requeue_stale(asset_id=asset_id):
            start_processing(asset_id)
            count += 1
    if count:
        log.info("requeued %s stale assets", count)
    return count


@shared_task(name="ingest.expire_idle_uploads", acks_late=True)
def expire_idle_uploads() -> int:
    """Periodic sweep: free the staging space of resumable uploads abandoned by their clients."""
    from django.conf import settings

    from ingest.services.chunked import chunked_uploads_expire

    return chunked_uploads_expire(idle_seconds=settings.AFFECTLAB_UPLOAD_IDLE_SECONDS)


def start_processing(asset_id: int) -> None:
    """Queue probe → normalise → the project's auto-run pre-labelers (after the row is committed).

    The last link is named, not imported: ingestion does not depend on the pre-labeler code,
    and the link does nothing unless the asset ended ``ready``.
    """
    autorun = signature("models_zoo.autorun_for_asset", args=(asset_id,), immutable=True)
    chain(probe_asset.si(asset_id), normalise_asset.si(asset_id), autorun).apply_async(queue="cpu")
