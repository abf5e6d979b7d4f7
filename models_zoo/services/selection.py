"""Running one pre-labeler over a selection of a project's assets: one job per asset."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from projects.models import Project

from ..models import PrelabelJob
from ..prelabelers.base import BadInput
from ..registry import prelabeler_get
from .requests import AssetNotReady, prelabel_request

MAX_SELECTION = 1000


class SelectionError(ValueError):
    """The selection itself is wrong (empty, too large, or naming assets outside the project)."""


@dataclass
class SelectionResult:
    jobs: list[PrelabelJob] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {"asset": id, "reason": why}


def prelabel_selection_request(
    *, project: Project, name: str, asset_ids: Iterable[int], params: Mapping[str, Any] | None, user=None
) -> SelectionResult:
    """Request ``name`` on every selected asset, reusing finished jobs by the usual dedupe rule.

    The pre-labeler, its parameters and the ids are checked before anything is queued, so a bad
    request changes nothing. An asset that the pre-labeler cannot take (no audio for ``asr``, not
    ready yet) is listed in ``skipped`` with the reason rather than failing the whole selection,
    since a "select all" naturally mixes kinds. Raises UnknownPrelabeler, BadInput, SelectionError.
    """
    prelabeler = prelabeler_get(name)
    prelabeler.clean_params(params)  # parameter errors are the same for every asset: refuse up front
    wanted = list(dict.fromkeys(asset_ids))
    if not wanted:
        raise SelectionError("Select at least one asset.")
    if len(wanted) > MAX_SELECTION:
        raise SelectionError(f"At most {MAX_SELECTION} assets can be sent at once; got {len(wanted)}.")
    assets = project.assets.in_bulk(wanted)
    foreign = [i for i in wanted if i not in assets]
    if foreign:
        raise SelectionError(f"Not assets of this project: {', '.join(str(i) for i in foreign)}.")
    result = SelectionResult()
    for asset_id in wanted:
        try:
            with transaction.atomic():
                job = prelabel_request(asset=assets[asset_id], name=name, params=params, user=user)
        except (BadInput, AssetNotReady) as exc:
            result.skipped.append({"asset": asset_id, "reason": str(exc)})
        else:
            result.jobs.append(job)
    return result
