"""Running one claimed job: load inputs, call the pre-labeler, store its tracks, record the outcome.

A worker claims a job with a conditional update (queued, or running with a stale heartbeat) and
every later write is fenced by the attempt number, so a second copy of the message does nothing
while the first is alive. Bad input and pre-labeler errors end as ``failed`` with a reason;
errors that may pass (storage, database) put the job back to ``queued`` and propagate for the
task to retry with back-off.
"""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ingest.services.local_files import local_copy
from ingest.services.storage_keys import asset_prefix

from .. import runtime
from ..models import JobState, PrelabelJob, Track
from ..prelabelers.base import BadInput, RunContext
from ..registry import UnknownPrelabeler, prelabeler_get
from .requests import AssetNotReady, check_inputs
from .track_files import columns_of, table_from_output, track_file_write

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
TIME_LIMIT_REASON = "The pre-labeler took longer than the time limit; the media may be too long."


class UpstreamPending(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__("an upstream job has not finished yet")
        self.retry_after = retry_after


def stale_after() -> timedelta:
    return timedelta(seconds=settings.AFFECTLAB_JOB_STALE_SECONDS)


@dataclass(frozen=True)
class Claim:
    job_id: int
    attempt: int

    def rows(self) -> QuerySet[PrelabelJob]:
        return PrelabelJob.objects.filter(pk=self.job_id, attempts=self.attempt, state=JobState.RUNNING)


def _claim(job_id: int) -> Claim | None:
    now = timezone.now()
    claimable = Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, heartbeat_at__lt=now - stale_after())
    changed = PrelabelJob.objects.filter(claimable, pk=job_id).update(
        state=JobState.RUNNING, attempts=F("attempts") + 1, heartbeat_at=now, started_at=now,
        progress=0, error="", updated_at=now,
    )  # fmt: skip
    if changed != 1:
        return None
    attempt = PrelabelJob.objects.filter(pk=job_id).values_list("attempts", flat=True).first()
    return None if attempt is None else Claim(job_id, attempt)


class _Progress:
    """Progress and heartbeat, written at most once a second."""

    def __init__(self, claim: Claim) -> None:
        self.claim, self._last = claim, 0.0

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self._last >= 1.0:
            self._last = now
            percent = max(0, min(99, int(fraction * 100)))
            self.claim.rows().update(progress=percent, heartbeat_at=timezone.now())


def _finish(claim: Claim, state: str, error: str = "") -> None:
    now = timezone.now()
    fields = {"state": state, "error": error, "finished_at": now, "heartbeat_at": now, "updated_at": now}
    if state == JobState.SUCCEEDED:
        fields["progress"] = 100
    claim.rows().update(**fields)


def job_mark_failed(*, job_id: int, reason: str) -> bool:
    """Fail a job still in flight (retries exhausted, time limit); never overwrites a finished one."""
    now = timezone.now()
    changed = PrelabelJob.objects.filter(pk=job_id, state__in=(JobState.QUEUED, JobState.RUNNING)).update(
        state=JobState.FAILED, error=reason, finished_at=now, heartbeat_at=now, updated_at=now
    )
    return changed == 1


def prelabel_job_run(*, job_id: int, soft_time_limit: float | None = None) -> str:
    """Run the job if this worker can claim it; returns its state afterwards (or 'skipped').

    ``soft_time_limit`` (seconds, the limit the task message carries) is also checked once the
    pre-labeler returns: Celery signals the limit by raising inside whatever code runs at that
    moment, and a library that catches every exception there (matplotlib's style loader does,
    during model imports) would otherwise let an over-long job pass as a success.
    """
    _wait_for_upstream(job_id)
    claim = _claim(job_id)
    if claim is None:
        return "skipped"
    deadline = time.monotonic() + soft_time_limit if soft_time_limit else None
    try:
        _run_claimed(claim, deadline)
    except (BadInput, AssetNotReady, UnknownPrelabeler) as exc:
        _finish(claim, JobState.FAILED, str(exc))
    except SoftTimeLimitExceeded:
        _finish(claim, JobState.FAILED, TIME_LIMIT_REASON)
    except TRANSIENT_ERRORS:
        claim.rows().update(state=JobState.QUEUED, heartbeat_at=None, updated_at=timezone.now())
        raise
    except Exception as exc:
        log.exception("pre-label job %s failed", job_id)
        _finish(claim, JobState.FAILED, f"The pre-labeler stopped with an error: {type(exc).__name__}: {exc}")
    return PrelabelJob.objects.filter(pk=job_id).values_list("state", flat=True).first() or "deleted"


def _wait_for_upstream(job_id: int) -> None:
    """Fail the job if an upstream job failed; ask to be retried while one is still going."""
    job = PrelabelJob.objects.filter(pk=job_id).first()
    if job is None or job.state != JobState.QUEUED:
        return
    for up in job.depends_on.all():
        if up.state == JobState.FAILED:
            job_mark_failed(job_id=job_id, reason=f"It needs {up.prelabeler}, which failed: {up.error}")
            return
        if up.state != JobState.SUCCEEDED:
            raise UpstreamPending(retry_after=5.0)


def job_output_prefix(job: PrelabelJob) -> str:
    """The storage folder of a job's tracks and other files; a new version or params get a new one."""
    return f"{asset_prefix(job.asset)}/prelabels/{job.prelabeler}/v{job.version}-{job.params_hash[:12]}"


def _run_claimed(claim: Claim, deadline: float | None = None) -> None:
    job = PrelabelJob.objects.select_related("asset").get(pk=claim.job_id)
    prelabeler = prelabeler_get(job.prelabeler)
    check_inputs(asset=job.asset, prelabeler=prelabeler)
    device = runtime.pick_device(prelabeler, job.params)
    claim.rows().update(device=device)
    model = runtime.model_for(prelabeler, job.params, device)
    prefix = job_output_prefix(job)
    with ExitStack() as stack:
        upstream = {}
        for up_job in job.depends_on.all():
            for track in up_job.tracks.all():
                path = stack.enter_context(local_copy(track.storage_key))
                upstream[f"{up_job.prelabeler}/{track.kind}"] = Path(path)
        ctx = RunContext(
            asset=job.asset, params=job.params, model=model, device=device, output_prefix=prefix,
            upstream=upstream, progress=_Progress(claim),
        )  # fmt: skip
        outputs = prelabeler.run(ctx)
    if deadline is not None and time.monotonic() > deadline:
        raise SoftTimeLimitExceeded()
    tracks = []
    for output in outputs:
        table = table_from_output(output)
        key = track_file_write(key=f"{prefix}/{output.kind}.parquet", table=table)
        tracks.append(
            Track(
                asset=job.asset,
                job=job,
                kind=output.kind,
                prelabeler=job.prelabeler,
                version=job.version,
                sample_rate=output.sample_rate,
                duration_seconds=output.duration_seconds,
                columns=columns_of(table),
                row_count=table.num_rows,
                storage_key=key,
                metadata=output.metadata,
            )  # fmt: skip
        )
    with transaction.atomic():
        if not claim.rows().exists():
            return  # the claim was lost to another worker: it writes the tracks
        Track.objects.filter(job=job).delete()
        Track.objects.bulk_create(tracks)
        _finish(claim, JobState.SUCCEEDED)


def stale_jobs() -> QuerySet[PrelabelJob]:
    """Running jobs whose worker went silent, and queued jobs whose message seems lost."""
    cutoff = timezone.now() - stale_after()
    return PrelabelJob.objects.filter(
        Q(state=JobState.RUNNING, heartbeat_at__lt=cutoff) | Q(state=JobState.QUEUED, updated_at__lt=cutoff)
    )


def job_requeue_stale(*, job_id: int) -> bool:
    cutoff = timezone.now() - stale_after()
    changed = (
        PrelabelJob.objects.filter(pk=job_id)
        .filter(
            Q(state=JobState.RUNNING, heartbeat_at__lt=cutoff)
            | Q(state=JobState.QUEUED, updated_at__lt=cutoff)
        )
        .update(state=JobState.QUEUED, heartbeat_at=None, updated_at=timezone.now())
    )
    return changed == 1
