"""Builders for the release tests: a small labelled project and a synchronous build."""

from __future__ import annotations

import hashlib
import uuid

from annotation.models import Assignment, AssignmentState
from annotation.services import schema_publish
from annotation.services.annotations import annotation_save
from annotation.services.assignments import annotation_settings_set, assignments_generate
from ingest.models import AssetStatus, MediaAsset
from projects.models import Role
from projects.services import membership_set
from releases.models import DatasetVersion
from releases.services.build import version_build
from releases.services.versions import VersionRequest, version_create
from tests.factories import UserFactory

DURATION = 10.0
DEFINITION = {
    "fields": [
        {
            "name": "emotion", "kind": "categorical", "scope": "item", "mode": "soft",
            "classes": [{"id": "happy"}, {"id": "neutral"}, {"id": "sad"}],
        },
        {
            "name": "vad", "kind": "dimensional", "scope": "item",
            "ratings": [
                {"name": "valence", "min": 1, "max": 9, "step": 1},
                {"name": "arousal", "min": 1, "max": 9, "step": 1},
            ],
        },
        {
            "name": "events", "kind": "segments", "scope": "time",
            "classes": [{"id": "laugh"}, {"id": "sigh"}],
        },
        {
            "name": "valence_trace", "kind": "trace", "scope": "time", "rate_hz": 10,
            "dimensions": [{"name": "valence", "min": -1, "max": 1}],
        },
    ]
}  # fmt: skip


def make_item(project, n: int) -> MediaAsset:
    return MediaAsset.objects.create(
        project=project, kind="video", status=AssetStatus.READY, duration_seconds=DURATION,
        original_name=f"clip{n}.mp4", sha256=hashlib.sha256(f"{project.pk}-{n}".encode()).hexdigest(),
        metadata={"subject": f"s{n}", "session": n},
    )  # fmt: skip


def values_for(item_index: int, annotator_index: int) -> dict:
    """Different but overlapping labels per annotator, so agreement is neither 0 nor 1."""
    happy = 0.2 + 0.2 * ((item_index + annotator_index) % 3)
    base = 0.1 * (item_index % 3 - 1) + 0.05 * annotator_index
    return {
        "emotion": {"distribution": {"happy": round(happy, 2), "neutral": round(1 - happy, 2)}},
        "vad": {"valence": 3 + item_index % 3 + (annotator_index % 2), "arousal": 5 - (annotator_index % 2)},
        "events": [
            {"start": 1.0 + 0.2 * annotator_index, "end": 3.0, "class": "laugh"},
            {"start": 6.0, "end": 7.5 + 0.1 * (item_index % 3), "class": "sigh"},
        ],
        "valence_trace": [
            [round(t / 10, 1), round(max(-1.0, min(1.0, base + 0.01 * t)), 3)] for t in range(100)
        ],
    }


def save(assignment: Assignment, values: dict, submit: bool = True) -> None:
    latest = assignment.annotation.latest_number if hasattr(assignment, "annotation") else None
    annotation_save(
        assignment_id=assignment.pk, author=assignment.annotator, base_revision=latest or None, values=values,
        submit=submit, idempotency_key=str(uuid.uuid4()),
    )  # fmt: skip


def labelled_project(project, *, items: int = 3, annotators: int = 3) -> list:
    """``items`` video items, each labelled and submitted by every one of ``annotators`` annotators."""
    schema_publish(project=project, definition=DEFINITION, user=project.created_by)
    annotation_settings_set(project=project, overlap=annotators, strategy="round_robin")
    assets = [make_item(project, n) for n in range(items)]
    users = []
    for i in range(annotators):
        user = UserFactory(username=f"coder{project.pk}-{i}")
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
        users.append(user)
    assignments_generate(project=project)
    for assignment in Assignment.objects.filter(project=project).select_related("annotator"):
        save(assignment, values_for(assets.index(assignment.item), users.index(assignment.annotator)))
    assert (
        Assignment.objects.filter(project=project, state=AssignmentState.SUBMITTED).count()
        == items * annotators
    )
    return assets


def build(project, **request) -> DatasetVersion:
    """Create a version and build it in this process; returns the refreshed row."""
    version = version_create(
        project=project, user=project.created_by, request=VersionRequest(**request), enqueue=False
    )
    version_build(version_id=version.pk)
    return DatasetVersion.objects.get(pk=version.pk)
