"""A reviewer's verdict on an assignment: accept, reject back to the annotator, or adjudicate."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from annotation.models import Annotation, Assignment, AssignmentState
from annotation.services.annotations import SaveRefused, annotation_save

REVIEWABLE = {
    "accept": (AssignmentState.SUBMITTED, AssignmentState.ADJUDICATED),
    "reject": (AssignmentState.SUBMITTED, AssignmentState.ACCEPTED, AssignmentState.ADJUDICATED),
    "adjudicate": tuple(AssignmentState),
}
OUTCOME = {
    "accept": AssignmentState.ACCEPTED,
    "reject": AssignmentState.REJECTED,
    "adjudicate": AssignmentState.ADJUDICATED,
}


class ReviewRefused(SaveRefused):
    pass


@transaction.atomic
def assignment_review(
    *,
    assignment_id: int,
    reviewer: AbstractBaseUser,
    action: str,
    comment: str = "",
    values: Any = None,
) -> Assignment:
    """Apply a verdict; a rejection needs a comment and puts the item back in the annotator's queue.

    Adjudicating with ``values`` stores them as a new revision by the reviewer, validated as a
    complete annotation, on top of the latest one (the annotator's revisions stay in history).
    """
    assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
    if assignment.state not in REVIEWABLE[action]:
        raise ReviewRefused(f"An assignment that is {assignment.state} cannot be given '{action}'.")
    if action == "reject" and not comment.strip():
        raise ReviewRefused("Say what to fix: a rejection needs a comment for the annotator.")
    if action == "adjudicate":
        _adjudicate(assignment, reviewer, values)
    assignment.state = OUTCOME[action]
    assignment.review_comment = comment
    assignment.reviewed_by = reviewer
    assignment.reviewed_at = timezone.now()
    assignment.save(update_fields=["state", "review_comment", "reviewed_by", "reviewed_at"])
    return assignment


def _adjudicate(assignment: Assignment, reviewer: AbstractBaseUser, values: Any) -> None:
    annotation = Annotation.objects.filter(assignment=assignment).first()
    if values is None:
        if annotation is None:
            raise ReviewRefused("Nothing to adjudicate: this assignment has no annotation; send 'values'.")
        return
    annotation_save(
        assignment_id=assignment.pk,
        author=reviewer,
        base_revision=annotation.latest_number if annotation else None,
        values=values,
        submit=True,
        idempotency_key=f"adjudication-{uuid.uuid4()}",
        allowed_states=tuple(AssignmentState),
    )
