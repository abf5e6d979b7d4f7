"""Everything the labeling page needs for one assignment, read in one place.

The page opens with a single request so that a long item (an hour of video with a per-frame
action-unit track) costs the same number of round trips as a ten-second clip: the workspace
carries summaries and URLs only, never track rows or media bytes, which the page fetches
by window when it needs them.

Blindness is structural: the only revision read here is the one of the assignment itself,
and the assignment is resolved through ``assignment_visible``, so another annotator's id is
``None`` (a 404 for the view).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from annotation.models import Annotation, Assignment, AssignmentState, LabelSchema
from annotation.selectors import (
    annotation_revisions,
    assignment_progress,
    assignment_queue,
    assignment_visible,
    label_schema_current,
)
from ingest.models import AssetKind, MediaAsset
from models_zoo.models import Track
from models_zoo.selectors import tracks_of_asset
from projects.permissions import Capability
from projects.selectors import user_can

MEDIA_FILES = ("proxy", "audio", "peaks", "poster")
MAX_CONTEXT_TURNS = 200
EDITABLE_STATES = (AssignmentState.ASSIGNED, AssignmentState.REJECTED, AssignmentState.SUBMITTED)


@dataclass(frozen=True)
class Workspace:
    assignment: Assignment
    editable: bool
    schema: LabelSchema | None
    latest: dict[str, Any] | None
    files: dict[str, str]
    fps: float | None
    context: list[MediaAsset]
    progress: dict[str, int]
    previous_id: int | None
    next_id: int | None
    tracks: list[Track]


def workspace_get(*, user: AbstractBaseUser, assignment_id: int) -> Workspace | None:
    """The workspace of an assignment the user may see, or None (foreign, unknown or not permitted)."""
    assignment = assignment_visible(user=user, assignment_id=assignment_id)
    if assignment is None:
        return None
    item = assignment.item
    annotation = Annotation.objects.filter(assignment=assignment).select_related("schema").first()
    schema = annotation.schema if annotation else label_schema_current(project=assignment.project)
    own = assignment.annotator_id == user.pk
    previous_id, next_id = _neighbours(assignment)
    return Workspace(
        assignment=assignment,
        editable=own
        and assignment.state in EDITABLE_STATES
        and user_can(user=user, project=assignment.project, capability=Capability.ANNOTATE),
        schema=schema,
        latest=_latest(assignment),
        files=_file_urls(item),
        fps=_fps(item),
        context=_dialogue_context(item),
        progress=assignment_progress(project=assignment.project, user=assignment.annotator),
        previous_id=previous_id,
        next_id=next_id,
        tracks=list(tracks_of_asset(asset_id=item.pk).order_by("kind", "-created_at")),
    )


def _latest(assignment: Assignment) -> dict[str, Any] | None:
    revision = annotation_revisions(assignment=assignment).first()
    if revision is None:
        return None
    return {"number": revision.number, "values": revision.values, "submitted": revision.submitted}


def _file_urls(item: MediaAsset) -> dict[str, str]:
    derived = item.derived or {}
    return {
        name: reverse("media-file", kwargs={"asset_id": item.pk, "name": name})
        for name in MEDIA_FILES
        if isinstance(derived.get(name), str) and derived[name]
    }


def _fps(item: MediaAsset) -> float | None:
    video = (item.probe or {}).get("video")
    fps = video.get("fps") if isinstance(video, dict) else None
    return float(fps) if isinstance(fps, int | float) and fps > 0 else None


def _dialogue_context(item: MediaAsset) -> list[MediaAsset]:
    """The other turns of the item's dialogue, in turn order (empty for media and lone utterances)."""
    if item.kind != AssetKind.TEXT or not item.dialogue_id:
        return []
    turns = (
        MediaAsset.objects.filter(
            project_id=item.project_id, dialogue_id=item.dialogue_id, kind=AssetKind.TEXT
        )
        .exclude(pk=item.pk)
        .only("id", "speaker", "text", "turn")
        .order_by("turn", "id")
    )
    return list(turns[:MAX_CONTEXT_TURNS])


def _neighbours(assignment: Assignment) -> tuple[int | None, int | None]:
    """The assignments before and after this one in its annotator's work order."""
    ids = list(
        assignment_queue(project=assignment.project, user=assignment.annotator).values_list("id", flat=True)
    )
    try:
        index = ids.index(assignment.pk)
    except ValueError:
        return None, None
    previous_id = ids[index - 1] if index > 0 else None
    next_id = ids[index + 1] if index + 1 < len(ids) else None
    return previous_id, next_id
