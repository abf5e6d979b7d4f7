"""Running a project's chosen pre-labelers on each asset as soon as it is ready."""

from __future__ import annotations

import logging

from ingest.models import AssetStatus, MediaAsset

from ..models import PrelabelJob
from ..prelabelers.base import BadInput
from ..registry import UnknownPrelabeler, prelabeler_get
from .requests import AssetNotReady, prelabel_request

log = logging.getLogger(__name__)


def auto_prelabelers_validate(names: object) -> list[str]:
    """A project's auto-run list: a list of registered pre-labeler names, without repeats."""
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValueError("auto_prelabelers must be a list of pre-labeler names")
    for name in names:
        try:
            prelabeler_get(name)
        except UnknownPrelabeler as exc:
            raise ValueError(f"unknown pre-labeler {name!r}") from exc
    return list(dict.fromkeys(names))


def prelabel_autorun(*, asset_id: int) -> list[PrelabelJob]:
    """Request the project's auto-run pre-labelers for one ready asset.

    A pre-labeler whose inputs this asset lacks (faces on an audio file, speech on a silent
    video) is skipped, not failed: the project-wide choice cannot fit every item.
    """
    asset = MediaAsset.objects.select_related("project").filter(pk=asset_id).first()
    if asset is None or asset.status != AssetStatus.READY:
        return []
    jobs = []
    for name in asset.project.auto_prelabelers or []:
        try:
            jobs.append(prelabel_request(asset=asset, name=name))
        except (BadInput, AssetNotReady, UnknownPrelabeler) as exc:
            log.info("asset %s: auto-run of %s skipped: %s", asset_id, name, exc)
    return jobs
