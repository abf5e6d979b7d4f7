"""Claiming a version for a build and reporting its progress, fenced by the claim's attempt.

A build claims the row with one conditional ``UPDATE`` (queued, or building with a heartbeat
older than ``AFFECTLAB_JOB_STALE_SECONDS``), so a redelivered message cannot start a second build
of a version that is still being built, and may take over one whose worker died. Every later
write names the attempt it claimed with; a worker that lost its claim changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from ..models import DatasetVersion, VersionState


class ClaimLost(Exception):
    """Another worker took the version over; this build must stop without writing."""


@dataclass(frozen=True)
class BuildClaim:
    version_id: int
    attempt: int

    def _rows(self):
        return DatasetVersion.objects.filter(
            pk=self.version_id, attempts=self.attempt, state=VersionState.BUILDING
        )

    def report(self, percent: int, message: str) -> None:
        changed = self._rows().update(
            progress=max(0, min(100, int(percent))), progress_message=message[:300], heartbeat=timezone.now()
        )
        if not changed:
            raise ClaimLost(f"version {self.version_id} was taken over or changed during its build")

    def finish(self, **fields) -> None:
        fields = {**fields, "state": VersionState.READY, "progress": 100, "heartbeat": timezone.now(),
                  "built_at": timezone.now(), "error": ""}  # fmt: skip
        if not self._rows().update(**fields):
            raise ClaimLost(f"version {self.version_id} was taken over or changed during its build")

    def fail(self, reason: str) -> bool:
        return bool(self._rows().update(state=VersionState.FAILED, error=reason, heartbeat=timezone.now()))


def version_claim(*, version_id: int) -> BuildClaim | None:
    """Claim the version for this worker, or None when it is ready, failed, or being built elsewhere."""
    stale = timezone.now() - timedelta(seconds=settings.AFFECTLAB_JOB_STALE_SECONDS)
    claimable = Q(state=VersionState.QUEUED) | Q(state=VersionState.BUILDING, heartbeat__lt=stale)
    row = DatasetVersion.objects.filter(claimable, pk=version_id).values_list("attempts", flat=True).first()
    if row is None:
        return None
    changed = (
        DatasetVersion.objects.filter(claimable, pk=version_id, attempts=row).update(
            state=VersionState.BUILDING,
            attempts=F("attempts") + 1,
            progress=0,
            heartbeat=timezone.now(),
            progress_message="Starting the build.",
            error="",
        )  # fmt: skip
    )
    return BuildClaim(version_id=version_id, attempt=row + 1) if changed else None
