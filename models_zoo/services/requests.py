"""Asking for a pre-labeler run: one job per (asset, pre-labeler, version, params), dependencies first."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from celery import chain
from django.conf import settings
from django.db import IntegrityError, transaction

from ingest.models import AssetKind, AssetStatus, MediaAsset

from ..models import JobState, PrelabelJob
from ..prelabelers.base import BadInput, Prelabeler
from ..registry import prelabeler_get


class AssetNotReady(Exception):
    """The asset is still being processed (or failed): pre-labelers need its derived files."""


def params_hash(params: Mapping[str, Any], upstream: list[PrelabelJob]) -> str:
    """Hash of the cleaned parameters and of the exact upstream runs the output will depend on."""
    payload = {
        "params": params,
        "upstream": sorted(f"{job.prelabeler}:{job.version}:{job.params_hash}" for job in upstream),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def check_inputs(*, asset: MediaAsset, prelabeler: Prelabeler) -> None:
    if asset.status != AssetStatus.READY:
        detail = f": {asset.failure_reason}" if asset.failure_reason else ""
        raise AssetNotReady(
            f"Asset {asset.pk} is {asset.status}{detail}; pre-labelers run on ready assets only."
        )
    derived = asset.derived or {}
    if "video" in prelabeler.inputs and (asset.kind != AssetKind.VIDEO or "proxy" not in derived):
        raise BadInput(f"{prelabeler.name} needs video, and asset {asset.pk} ({asset.kind}) has none.")
    if "audio" in prelabeler.inputs and "audio" not in derived:
        raise BadInput(f"{prelabeler.name} needs audio, and asset {asset.pk} ({asset.kind}) has none.")
    if "text" in prelabeler.inputs and not asset.text:
        raise BadInput(f"{prelabeler.name} needs text, and asset {asset.pk} has none.")


def prelabel_request(
    *, asset: MediaAsset, name: str, params: Mapping[str, Any] | None = None, user=None, enqueue: bool = True
) -> PrelabelJob:
    """The job for this request, created and queued if new, requeued if it had failed, else reused.

    Upstream pre-labelers (e.g. faces for action units) are requested the same way, with their
    defaults (a failed one gets another go), and run first, in one Celery chain.
    Raises UnknownPrelabeler, BadInput or AssetNotReady.
    """
    prelabeler = prelabeler_get(name)
    check_inputs(asset=asset, prelabeler=prelabeler)
    cleaned = prelabeler.clean_params(params)
    upstream = [
        prelabel_request(asset=asset, name=up, user=user, enqueue=False) for up, _ in prelabeler.upstream()
    ]
    digest = params_hash(cleaned, upstream)
    job, created = _get_or_create(asset, prelabeler, cleaned, digest, user)
    if created:
        job.depends_on.set(upstream)
    elif job.state == JobState.FAILED:
        PrelabelJob.objects.filter(pk=job.pk, state=JobState.FAILED).update(
            state=JobState.QUEUED, progress=0, error="", heartbeat_at=None, started_at=None, finished_at=None
        )
        job.refresh_from_db()
    if enqueue and job.state == JobState.QUEUED:
        transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    return job


def _get_or_create(asset, prelabeler: Prelabeler, cleaned, digest, user) -> tuple[PrelabelJob, bool]:
    lookup = {
        "asset": asset,
        "prelabeler": prelabeler.name,
        "version": prelabeler.version,
        "params_hash": digest,
    }
    existing = PrelabelJob.objects.filter(**lookup).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return PrelabelJob.objects.create(**lookup, params=cleaned, requested_by=user), True
    except IntegrityError:  # a concurrent request created it first
        return PrelabelJob.objects.get(**lookup), False


def queue_for(job: PrelabelJob) -> str:
    return "gpu" if prelabeler_get(job.prelabeler).wants_gpu else "cpu"


def job_chain_ids(job: PrelabelJob) -> list[int]:
    """This job's unfinished upstream jobs (depth first) followed by itself."""
    ids: list[int] = []
    for up in job.depends_on.all():
        if up.state != JobState.SUCCEEDED:
            ids += [i for i in job_chain_ids(up) if i not in ids]
    return [*ids, job.pk]


def job_enqueue(*, job_id: int) -> None:
    """Send the job, after its unfinished upstream jobs, as one chain (call after commit).

    The time limits travel in each message, read from this process's settings when it is sent.
    """
    from ..tasks import run_prelabel_job

    ids = job_chain_ids(PrelabelJob.objects.get(pk=job_id))
    jobs = PrelabelJob.objects.in_bulk(ids)
    limits = {
        "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
        "time_limit": settings.CELERY_TASK_TIME_LIMIT,
    }
    chain(*(run_prelabel_job.si(i).set(queue=queue_for(jobs[i]), **limits) for i in ids)).apply_async()
