"""Finding dataset-version builds that stopped without a word, so the periodic sweep can send them again.

A build's message can be lost (broker restart before it was delivered) or its worker can die
mid-build; ``version_claim`` already lets a redelivered message take over a stale build, and this
module decides when to send one. A build that keeps killing its worker (say, out of memory) is
failed after ``MAX_ATTEMPTS`` claims instead of being sent forever.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import DatasetVersion, VersionState

MAX_ATTEMPTS = 3


def stale_version_ids() -> list[int]:
    """Versions queued or building with no sign of life for longer than the stale period."""
    stale = timezone.now() - timedelta(seconds=settings.AFFECTLAB_JOB_STALE_SECONDS)
    silent = Q(state=VersionState.QUEUED, heartbeat__isnull=True, created_at__lt=stale) | Q(
        state__in=(VersionState.QUEUED, VersionState.BUILDING), heartbeat__lt=stale
    )
    return list(DatasetVersion.objects.filter(silent).order_by("pk").values_list("pk", flat=True))


def version_give_up_if_exhausted(*, version_id: int) -> bool:
    """Fail a stale version that was already claimed ``MAX_ATTEMPTS`` times; True when it was."""
    return bool(
        DatasetVersion.objects.filter(
            pk=version_id,
            state__in=(VersionState.QUEUED, VersionState.BUILDING),
            attempts__gte=MAX_ATTEMPTS,
        ).update(
            state=VersionState.FAILED,
            error=(
                f"The build stopped without finishing {MAX_ATTEMPTS} times (its worker was lost each "
                "time, often for lack of memory); build the version again once that is fixed."
            ),
            heartbeat=timezone.now(),
        )
    )
