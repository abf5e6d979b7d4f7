"""Database set-up shared by the browser tests.

Call these from fixtures that run before ``browsing``: the ORM is off limits once the browser
is open (see the conftest docstring).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from annotation.models import Assignment
from annotation.services import schema_publish
from annotation.services.annotations import annotation_save
from annotation.services.assignments import annotation_settings_set, assignments_generate
from ingest.models import AssetKind, AssetStatus, MediaAsset


def text_items(project, texts: Iterable[str], *, name: str | None = "turn-{}.txt") -> list[MediaAsset]:
    """Ready text items in order; ``name`` is formatted with each item's position (None: no file name).

    The texts must differ: an item's sha256 is that of its text, unique within a project.
    """
    items = []
    for turn, text in enumerate(texts):
        named = {} if name is None else {"original_name": name.format(turn)}
        items.append(
            MediaAsset.objects.create(
                project=project,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                kind=AssetKind.TEXT,
                status=AssetStatus.READY,
                text=text,
                **named,
            )
        )
    return items


def publish_and_assign(project, owner, definition: dict, *, overlap: int | None = None) -> None:
    """Publishes ``definition`` and hands the project's items out (round robin, when ``overlap`` is set)."""
    schema_publish(project=project, definition=definition, user=owner)
    if overlap is not None:
        annotation_settings_set(project=project, overlap=overlap, strategy="round_robin")
    assignments_generate(project=project)


def submit(assignment: Assignment, values: dict[str, Any]) -> None:
    """Stores ``values`` as the assignment's annotator would, submitted for review."""
    annotation_save(
        assignment_id=assignment.pk,
        author=assignment.annotator,
        base_revision=None,
        values=values,
        submit=True,
        idempotency_key=f"seed-{assignment.pk}",
    )
