"""The processing steps of one asset: probe, then normalise. Safe to run twice, and at once.

A step *claims* the asset with a conditional update and holds that claim as a lease kept
alive by a heartbeat. A second copy of the same job (a message redelivered after a worker
died, a duplicate from the stale-asset sweep) cannot claim while the holder's heartbeat is
fresh, and takes over once it has gone silent. Every later write is fenced by the claim's
attempt number, so a holder that lost its lease can no longer change the row. Derived files
go under fixed storage keys (a re-run overwrites, never duplicates). A step ends in
``ready`` or in ``failed`` with a reason a person understands; errors that may pass
(storage, database) propagate, with the lease released, for the task to retry.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, connections
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ingest.models import AssetKind, AssetStatus, MediaAsset

from . import normalising
from .ffmpeg_runner import TranscodeError
from .local_files import local_copy, store_file, work_dir
from .probing import ProbeError, ProbeResult, probe_file
from .sniffing import UnsafeInputError
from .storage_keys import derived_key

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
TRUNCATION_TOLERANCE = 0.9
PROBE_SHARE, PROXY_SHARE, WAV_SHARE = 5, 75, 10
IN_FLIGHT = (AssetStatus.RECEIVED, AssetStatus.PROBING, AssetStatus.NORMALISING)
MISSING_ORIGINAL = "The original file is missing from storage; please upload it again."


class MediaRejected(ValueError):
    """Bad input: retrying cannot help."""


class AssetBusy(Exception):
    """A live worker holds the asset; this copy of the job should try again later."""

    def __init__(self, asset_id: int, retry_after: float) -> None:
        super().__init__(f"asset {asset_id} is being processed by another worker")
        self.retry_after = retry_after


def heartbeat_seconds() -> float:
    """How often a claim's heartbeat is refreshed: well inside the stale-job threshold."""
    return max(0.5, min(10.0, settings.AFFECTLAB_JOB_STALE_SECONDS / 10))


def lease_seconds() -> float:
    """How long a silent claim is respected before another copy of the job may take over."""
    return min(float(settings.AFFECTLAB_JOB_STALE_SECONDS), 6 * heartbeat_seconds())


@dataclass(frozen=True)
class Claim:
    asset_id: int
    attempt: int
    status: str

    def rows(self) -> QuerySet[MediaAsset]:
        """The asset row, for as long as this claim still holds it (the fence on every write)."""
        return MediaAsset.objects.filter(pk=self.asset_id, attempts=self.attempt, status=self.status)


def _lease_expired(now: datetime) -> Q:
    return Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - timedelta(seconds=lease_seconds()))


def _claim(asset_id: int, claimable: Q, status: str) -> Claim | None:
    now = timezone.now()
    changed = MediaAsset.objects.filter(claimable, pk=asset_id).update(
        status=status, heartbeat_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    if changed != 1:
        return None
    attempt = MediaAsset.objects.filter(pk=asset_id).values_list("attempts", flat=True).first()
    return None if attempt is None else Claim(asset_id, attempt, status)


def _raise_if_held(asset_id: int, status: str) -> None:
    """Raise AssetBusy when a live worker holds the asset in ``status``."""
    row = MediaAsset.objects.filter(pk=asset_id, status=status).values("heartbeat_at").first()
    if row and row["heartbeat_at"]:
        expires = row["heartbeat_at"] + timedelta(seconds=lease_seconds())
        raise AssetBusy(asset_id, retry_after=max(1.0, (expires - timezone.now()).total_seconds() + 0.5))


class _Heartbeat:
    """Refreshes a claim's heartbeat from a side thread while a step runs.

    The main thread may be silent for long stretches (an ffmpeg pass that reports no
    progress, a large upload to object storage); the heartbeat is what tells the sweep
    and any redelivered copy that the job is alive. The thread uses its own database
    connection, so it is not started inside a caller's transaction, where that
    connection could not see (or would wait for) the uncommitted row.
    """

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{claim.asset_id}", daemon=True)

    def start(self) -> _Heartbeat:
        if not connection.in_atomic_block:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=heartbeat_seconds() + 1)

    def _run(self) -> None:
        try:
            while not self._stop.wait(heartbeat_seconds()):
                try:
                    self.claim.rows().update(heartbeat_at=timezone.now())
                except DatabaseError:
                    log.warning("heartbeat of asset %s missed", self.claim.asset_id, exc_info=True)
        finally:
            connections.close_all()


@contextmanager
def _holding(claim: Claim) -> Iterator[None]:
    """Keep the claim alive while the body runs; release it if the body raises, so a retry may go at once."""
    beat = _Heartbeat(claim).start()
    try:
        yield
    except BaseException:
        try:
            claim.rows().update(heartbeat_at=None, updated_at=timezone.now())
        except DatabaseError:
            log.warning("could not release asset %s; its lease will expire", claim.asset_id, exc_info=True)
        raise
    finally:
        beat.stop()


def _load(claim: Claim) -> MediaAsset | None:
    """The claimed asset, or None when it was deleted meanwhile or holds no stored original."""
    asset = MediaAsset.objects.filter(pk=claim.asset_id).first()
    if asset is not None and not (asset.original_file and default_storage.exists(asset.original_file)):
        _fail(claim, MISSING_ORIGINAL)
        return None
    return asset


def _fail(claim: Claim, reason: str) -> None:
    now = timezone.now()
    claim.rows().update(status=AssetStatus.FAILED, failure_reason=reason, heartbeat_at=now, updated_at=now)


def asset_mark_failed(*, asset_id: int, reason: str) -> bool:
    """Fail an asset still in flight (time limit, retries exhausted); never overwrites a finished one."""
    now = timezone.now()
    changed = MediaAsset.objects.filter(pk=asset_id, status__in=IN_FLIGHT).update(
        status=AssetStatus.FAILED, failure_reason=reason, heartbeat_at=now, updated_at=now
    )
    return changed == 1


class _Progress:
    """Writes progress (and heartbeat) at most once a second, fenced by the claim."""

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        self._last = 0.0

    def set(self, percent: float, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= 1.0:
            self._last = now
            self.claim.rows().update(progress=max(0, min(100, int(percent))), heartbeat_at=timezone.now())

    def span(self, start: float, width: float) -> Callable[[float], None]:
        return lambda fraction: self.set(start + width * fraction)


def asset_probe(*, asset_id: int) -> bool:
    """Probe the original; returns whether the asset may go on to normalisation.

    Raises AssetBusy while another worker is probing it.
    """
    now = timezone.now()
    claimable = Q(status=AssetStatus.RECEIVED) | (Q(status=AssetStatus.PROBING) & _lease_expired(now))
    claim = _claim(asset_id, claimable, AssetStatus.PROBING)
    if claim is None:
        _raise_if_held(asset_id, AssetStatus.PROBING)
        return MediaAsset.objects.filter(pk=asset_id, status=AssetStatus.NORMALISING).exists()
    with _holding(claim):
        return _probe_claimed(claim)


def _probe_claimed(claim: Claim) -> bool:
    asset = _load(claim)
    if asset is None:
        return False
    try:
        with local_copy(asset.original_file) as path:
            result = probe_file(path)
    except (ProbeError, UnsafeInputError) as exc:
        _fail(claim, str(exc))
        return False
    handed_over = claim.rows().update(
        kind=AssetKind.VIDEO if result.video else AssetKind.AUDIO,
        probe=result.as_dict(),
        duration_seconds=result.duration_seconds,
        status=AssetStatus.NORMALISING,
        progress=PROBE_SHARE,
        heartbeat_at=None,  # free for the normaliser to claim at once
        updated_at=timezone.now(),
    )
    return handed_over == 1


def asset_normalise(*, asset_id: int) -> None:
    """Make the derived files and mark the asset ready (or failed with a reason).

    Raises AssetBusy while another worker is normalising it; does nothing once it is
    ready, failed or deleted.
    """
    claimable = Q(status=AssetStatus.NORMALISING) & _lease_expired(timezone.now())
    claim = _claim(asset_id, claimable, AssetStatus.NORMALISING)
    if claim is None:
        _raise_if_held(asset_id, AssetStatus.NORMALISING)
        return
    with _holding(claim):
        _normalise_claimed(claim)


def _normalise_claimed(claim: Claim) -> None:
    asset = _load(claim)
    if asset is None:
        return
    probe = _probe_from_row(asset)
    progress = _Progress(claim)
    try:
        with local_copy(asset.original_file) as source, work_dir() as tmp:
            derived = _derive_all(asset, source, tmp, probe, progress)
    except (TranscodeError, MediaRejected) as exc:
        log.warning("asset %s failed to normalise: %s %s", asset.pk, exc, getattr(exc, "detail", ""))
        _fail(claim, str(exc))
        return
    finished = claim.rows().update(
        derived=derived,
        status=AssetStatus.READY,
        progress=100,
        failure_reason="",
        heartbeat_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if finished:
        log.info("asset %s is ready", asset.pk)


def _derive_all(asset: MediaAsset, source: Path, tmp: Path, probe: ProbeResult, progress: _Progress) -> dict:
    derived: dict[str, str] = {}
    if probe.video:
        proxy = normalising.make_video_proxy(
            source, tmp / "proxy.mp4", probe, progress.span(PROBE_SHARE, PROXY_SHARE)
        )
        _refuse_truncated(proxy, probe)
        derived["proxy"] = store_file(derived_key(asset, "proxy.mp4"), proxy)
        poster = normalising.make_poster(source, tmp / "poster.jpg", probe)
        derived["poster"] = store_file(derived_key(asset, "poster.jpg"), poster)
    else:
        proxy = normalising.make_audio_proxy(
            source, tmp / "proxy.m4a", probe, progress.span(PROBE_SHARE, PROXY_SHARE)
        )
        _refuse_truncated(proxy, probe)
        derived["proxy"] = store_file(derived_key(asset, "proxy.m4a"), proxy)
    progress.set(PROBE_SHARE + PROXY_SHARE, force=True)
    if probe.audio:
        wav = normalising.make_analysis_wav(
            source, tmp / "audio.wav", probe, progress.span(PROBE_SHARE + PROXY_SHARE, WAV_SHARE)
        )
        derived["audio"] = store_file(derived_key(asset, "audio.wav"), wav)
        peaks = normalising.make_peaks(wav, tmp / "peaks.json")
        derived["peaks"] = store_file(derived_key(asset, "peaks.json"), peaks)
    progress.set(99, force=True)
    return derived


def _refuse_truncated(proxy: Path, probe: ProbeResult) -> None:
    declared = probe.duration_seconds
    actual = normalising.decoded_duration(proxy) if proxy.exists() and proxy.stat().st_size else None
    if actual is None:
        raise MediaRejected("No audio or video could be decoded from the file; it is probably corrupt.")
    if declared and declared > 1.0 and actual < declared * TRUNCATION_TOLERANCE:
        raise MediaRejected(
            f"The file is truncated: it declares {declared:.1f} s but only {actual:.1f} s could be decoded."
        )


def _probe_from_row(asset: MediaAsset) -> ProbeResult:
    data = asset.probe or {}
    return ProbeResult(
        container=data.get("container", ""),
        demuxer=data.get("demuxer", ""),
        duration_seconds=data.get("duration_seconds"),
        video=data.get("video"),
        audio=data.get("audio"),
        streams=data.get("streams", []),
    )


def _stale(now: datetime) -> Q:
    cutoff = now - timedelta(seconds=settings.AFFECTLAB_JOB_STALE_SECONDS)
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    return Q(status__in=IN_FLIGHT) & silent


def stale_assets(now: datetime | None = None) -> QuerySet[MediaAsset]:
    """Assets whose worker went silent (killed, host lost) or whose job message was lost."""
    return MediaAsset.objects.filter(_stale(now or timezone.now()))


def asset_requeue_stale(*, asset_id: int) -> bool:
    """Put a stale asset back to ``received`` if it is still stale; gives up after MAX_ATTEMPTS runs.

    The check and the reset are one conditional update, so a worker that claimed the
    asset in the meantime keeps it.
    """
    now = timezone.now()
    stale = MediaAsset.objects.filter(_stale(now), pk=asset_id)
    worn_out = stale.filter(attempts__gte=MAX_ATTEMPTS * 2).update(
        status=AssetStatus.FAILED,
        failure_reason="Processing was interrupted too many times; please re-upload.",
        heartbeat_at=now,
        updated_at=now,
    )
    if worn_out:
        return False
    return stale.update(status=AssetStatus.RECEIVED, progress=0, heartbeat_at=now, updated_at=now) == 1


def asset_reset_for_retry(*, asset_id: int) -> bool:
    """Run processing again from the start (an operator's choice), unless a live worker holds the asset."""
    now = timezone.now()
    held = Q(status__in=[AssetStatus.PROBING, AssetStatus.NORMALISING]) & ~_lease_expired(now)
    changed = (
        MediaAsset.objects.filter(pk=asset_id)
        .exclude(held)
        .update(status=AssetStatus.RECEIVED, progress=0, failure_reason="", heartbeat_at=None, updated_at=now)
    )
    return changed == 1
