"""Reads of assets, always scoped to projects the user belongs to."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ingest.models import MediaAsset


def assets_visible_to(*, user: AbstractBaseUser) -> QuerySet[MediaAsset]:
    return MediaAsset.objects.filter(project__memberships__user=user).distinct()
