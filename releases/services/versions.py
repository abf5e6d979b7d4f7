"""Creating a dataset version: check the request, number it, store the row, queue the build."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotation.models import AssignmentState
from ingest.models import MediaAsset
from projects.models import Project

from ..models import DatasetVersion, IncludeMedia, VersionState
from .semver import BUMPS, bump_version, format_version, parse_version

DEFAULT_REVIEW_STATES = (AssignmentState.SUBMITTED, AssignmentState.ACCEPTED, AssignmentState.ADJUDICATED)
FILTER_KEYS = ("item_ids", "annotator_ids", "review_states")


class VersionRefused(Exception):
    """The request cannot become a version; ``errors`` maps request fields to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class VersionRequest:
    version: str | None = None
    bump: str = "minor"
    notes: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    include_media: str = IncludeMedia.NONE
    seed: int = 0
    dawid_skene: bool = False


def latest_version(*, project: Project) -> tuple[int, int, int] | None:
    row = (
        DatasetVersion.objects.filter(project=project)
        .order_by("-major", "-minor", "-patch")
        .values_list("major", "minor", "patch")
        .first()
    )
    return tuple(row) if row else None


def next_version_number(*, project: Project, version: str | None, bump: str) -> str:
    """The requested number, checked to be above every existing one, or the bump of the latest."""
    previous = latest_version(project=project)
    if version is None:
        try:
            return format_version(bump_version(previous, bump))
        except ValidationError as exc:
            raise VersionRefused({"bump": exc.messages[0]}) from exc
    try:
        parts = parse_version(version)
    except ValidationError as exc:
        raise VersionRefused({"version": exc.messages[0]}) from exc
    if previous is not None and parts <= previous:
        latest = format_version(previous)
        raise VersionRefused(
            {"version": f"{version} must be greater than the project's latest version {latest}."}
        )
    return version


def clean_filters(*, project: Project, filters: Any) -> dict[str, list]:
    """Filters with sorted, de-duplicated ids; ids outside the project are refused by name."""
    if filters is None:
        filters = {}
    if not isinstance(filters, dict):
        raise VersionRefused({"filters": "must be an object with item_ids, annotator_ids and review_states."})
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise VersionRefused(
            {"filters": f"unknown filter(s) {', '.join(unknown)}; use {', '.join(FILTER_KEYS)}."}
        )
    cleaned: dict[str, list] = {}
    errors: dict[str, str] = {}
    for key in ("item_ids", "annotator_ids"):
        ids = filters.get(key)
        if ids is None:
            continue
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            errors[f"filters.{key}"] = "must be a list of whole-number ids."
            continue
        cleaned[key] = sorted(set(ids))
    if "item_ids" in cleaned:
        known = set(
            MediaAsset.objects.filter(project=project, pk__in=cleaned["item_ids"]).values_list(
                "pk", flat=True
            )
        )
        foreign = [i for i in cleaned["item_ids"] if i not in known]
        if foreign:
            errors["filters.item_ids"] = f"not items of this project: {', '.join(map(str, foreign[:20]))}."
    if "annotator_ids" in cleaned:
        known = set(
            project.memberships.filter(user_id__in=cleaned["annotator_ids"]).values_list("user_id", flat=True)
        )
        foreign = [i for i in cleaned["annotator_ids"] if i not in known]
        if foreign:
            errors["filters.annotator_ids"] = (
                f"not members of this project: {', '.join(map(str, foreign[:20]))}."
            )
    states = filters.get("review_states")
    if states is not None:
        if not isinstance(states, list) or not all(isinstance(s, str) for s in states):
            errors["filters.review_states"] = "must be a list of assignment states."
        else:
            bad = sorted(set(states) - set(AssignmentState.values))
            if bad:
                known = ", ".join(AssignmentState.values)
                errors["filters.review_states"] = (
                    f"unknown review state(s) {', '.join(bad)}; choose from {known}."
                )
            elif not states:
                errors["filters.review_states"] = "must name at least one state."
            else:
                cleaned["review_states"] = sorted(set(states))
    if errors:
        raise VersionRefused(errors)
    return cleaned


def review_states_of(filters: dict) -> list[str]:
    return list(filters.get("review_states") or sorted(DEFAULT_REVIEW_STATES))


@transaction.atomic
def version_create(
    *, project: Project, user: AbstractBaseUser | None, request: VersionRequest, enqueue: bool = True
) -> DatasetVersion:
    """Store a queued version and, once the transaction commits, send its build to a worker."""
    if request.bump not in BUMPS:
        raise VersionRefused({"bump": f"must be one of {', '.join(BUMPS)}."})
    if request.include_media not in IncludeMedia.values:
        raise VersionRefused({"include_media": f"must be one of {', '.join(IncludeMedia.values)}."})
    Project.objects.select_for_update().filter(pk=project.pk).first()  # one numbering at a time
    filters = clean_filters(project=project, filters=request.filters)
    number = next_version_number(project=project, version=request.version, bump=request.bump)
    version = DatasetVersion(
        project=project, project_name=project.name, version=number, notes=request.notes or "",
        filters=filters, include_media=request.include_media, seed=request.seed,
        dawid_skene=request.dawid_skene, created_by=user, state=VersionState.QUEUED,
        progress_message="Waiting for a worker.", storage_prefix=f"releases/{project.pk}/{number}",
    )  # fmt: skip
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:
        raise VersionRefused({"version": f"{number} already exists in this project."}) from exc
    if enqueue:
        transaction.on_commit(lambda: version_enqueue(version_id=version.pk))
    return version


def version_enqueue(*, version_id: int) -> None:
    from ..tasks import build_dataset_version

    build_dataset_version.delay(version_id)
