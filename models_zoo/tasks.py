"""Celery task of the pre-labelers: takes a job id and hands off to the running service."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval

from .services import running
from .services.requests import job_enqueue

log = logging.getLogger(__name__)

MAX_RETRIES = 5
UPSTREAM_MAX_RETRIES = 720
BACKOFF_FACTOR, BACKOFF_MAX = 5, 300


@shared_task(name="models_zoo.run_prelabel_job", bind=True, acks_late=True, reject_on_worker_lost=True)
def run_prelabel_job(self: Task, job_id: int) -> str:
    retries = self.request.retries
    soft_time_limit = (self.request.timelimit or (None, None))[1]
    try:
        return running.prelabel_job_run(job_id=job_id, soft_time_limit=soft_time_limit)
    except running.UpstreamPending as pending:
        raise self.retry(countdown=pending.retry_after, max_retries=UPSTREAM_MAX_RETRIES) from pending
    except running.TRANSIENT_ERRORS as exc:
        if retries >= MAX_RETRIES:
            reason = (
                f"The pre-labeler kept failing on a temporary error ({type(exc).__name__}); try again later."
            )
            running.job_mark_failed(job_id=job_id, reason=reason)
            return "failed"
        countdown = get_exponential_backoff_interval(BACKOFF_FACTOR, retries, BACKOFF_MAX, full_jitter=True)
        raise self.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES) from exc


@shared_task(name="models_zoo.requeue_stale_jobs", acks_late=True)
def requeue_stale_jobs() -> int:
    """Periodic sweep: send again the jobs whose worker died or whose message was lost."""
    count = 0
    for job_id in running.stale_jobs().values_list("pk", flat=True):
        if running.job_requeue_stale(job_id=job_id):
            job_enqueue(job_id=job_id)
            count += 1
    if count:
        log.info("requeued %s stale pre-label jobs", count)
    return count


@shared_task(name="models_zoo.autorun_for_asset", acks_late=True)
def autorun_for_asset(asset_id: int) -> int:
    """Last link of the ingestion chain: queue the project's auto-run pre-labelers."""
    from .services.autorun import prelabel_autorun

    return len(prelabel_autorun(asset_id=asset_id))
