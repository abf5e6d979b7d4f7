"""Reads of jobs and tracks, scoped to the assets a user may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ingest.selectors import assets_visible_to

from .models import PrelabelJob, Track


def tracks_visible_to(*, user: AbstractBaseUser) -> QuerySet[Track]:
    return Track.objects.filter(asset__in=assets_visible_to(user=user))


def jobs_of_asset(*, asset_id: int) -> QuerySet[PrelabelJob]:
    return PrelabelJob.objects.filter(asset_id=asset_id).prefetch_related("depends_on")


def tracks_of_asset(*, asset_id: int) -> QuerySet[Track]:
    return Track.objects.filter(asset_id=asset_id)
