"""The processing steps of one asset: probe, then normalise. Safe to run twice.

Each step claims the asset with a conditional update (only one worker wins),
writes derived files under fixed keys (a re-run overwrites, never duplicates),
and ends in ``ready`` or in ``failed`` with a reason a person understands.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import F, Q
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


class MediaRejected(ValueError):
    """Bad input: retrying cannot help."""


def _claim(asset_id: int, from_statuses: list[str], to_status: str) -> bool:
    changed = MediaAsset.objects.filter(pk=asset_id, status__in=from_statuses).update(
        status=to_status, heartbeat_at=timezone.now(), attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    return changed == 1


def asset_mark_failed(*, asset_id: int, reason: str) -> None:
    MediaAsset.objects.filter(pk=asset_id).update(
        status=AssetStatus.FAILED,
        failure_reason=reason,
        heartbeat_at=timezone.now(),
        updated_at=timezone.now(),
    )


class _Progress:
    """Writes progress and heartbeat at most once a second."""

    def __init__(self, asset_id: int) -> None:
        self.asset_id = asset_id
        self._last = 0.0

    def set(self, percent: float, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= 1.0:
            self._last = now
            MediaAsset.objects.filter(pk=self.asset_id).update(
                progress=max(0, min(100, int(percent))), heartbeat_at=timezone.now()
            )

    def span(self, start: float, width: float):
        return lambda fraction: self.set(start + width * fraction)


def asset_probe(*, asset_id: int) -> bool:
    """Probe the original; returns whether the asset may go on to normalisation."""
    if not _claim(asset_id, [AssetStatus.RECEIVED, AssetStatus.PROBING], AssetStatus.PROBING):
        return MediaAsset.objects.filter(pk=asset_id, status=AssetStatus.NORMALISING).exists()
    asset = MediaAsset.objects.get(pk=asset_id)
    try:
        with local_copy(asset.original_file) as path:
            result = probe_file(path)
    except (ProbeError, UnsafeInputError) as exc:
        asset_mark_failed(asset_id=asset_id, reason=str(exc))
        return False
    MediaAsset.objects.filter(pk=asset_id).update(
        kind=AssetKind.VIDEO if result.video else AssetKind.AUDIO,
        probe=result.as_dict(),
        duration_seconds=result.duration_seconds,
        status=AssetStatus.NORMALISING,
        progress=PROBE_SHARE,
        heartbeat_at=timezone.now(),
    )
    return True


def asset_normalise(*, asset_id: int) -> None:
    """Make the derived files and mark the asset ready (or failed with a reason)."""
    if not _claim(asset_id, [AssetStatus.NORMALISING], AssetStatus.NORMALISING):
        return
    asset = MediaAsset.objects.get(pk=asset_id)
    probe = _probe_from_row(asset)
    progress = _Progress(asset_id)
    try:
        with local_copy(asset.original_file) as source, work_dir() as tmp:
            derived = _derive_all(asset, source, tmp, probe, progress)
    except (TranscodeError, MediaRejected) as exc:
        detail = getattr(exc, "detail", "")
        log.warning("asset %s failed to normalise: %s %s", asset_id, exc, detail)
        asset_mark_failed(asset_id=asset_id, reason=str(exc))
        return
    MediaAsset.objects.filter(pk=asset_id, status=AssetStatus.NORMALISING).update(
        derived=derived,
        status=AssetStatus.READY,
        progress=100,
        failure_reason="",
        heartbeat_at=timezone.now(),
    )


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


def stale_assets(now=None):
    """Assets whose worker went silent (killed, host lost) or that never got a job."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.AFFECTLAB_JOB_STALE_SECONDS)
    in_flight = [AssetStatus.RECEIVED, AssetStatus.PROBING, AssetStatus.NORMALISING]
    return MediaAsset.objects.filter(status__in=in_flight).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )


def asset_reset_for_retry(*, asset_id: int) -> bool:
    """Put a stale asset back to ``received``; gives up after MAX_ATTEMPTS."""
    asset = MediaAsset.objects.get(pk=asset_id)
    if asset.attempts >= MAX_ATTEMPTS * 2:
        asset_mark_failed(
            asset_id=asset_id, reason="Processing was interrupted too many times; please re-upload."
        )
        return False
    MediaAsset.objects.filter(pk=asset_id).update(
        status=AssetStatus.RECEIVED, progress=0, heartbeat_at=timezone.now()
    )
    return True
