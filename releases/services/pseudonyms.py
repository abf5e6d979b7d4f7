"""Pseudonymous annotator ids (A01, A02, ...) that stay the same across a project's releases.

Annotators are numbered in the order they were first given an item in the project (the lowest
assignment id of each), over all of the project's assignments whatever a release's filters are,
so A02 is the same person in 1.0.0 and 1.1.0 and in a release restricted to some annotators.
Removing a member does not renumber anyone: their assignments (and so their place) remain.
Usernames never leave the database.
"""

from __future__ import annotations

from django.db.models import Min

from annotation.models import Assignment


def annotator_pseudonyms(*, project_id: int) -> dict[int, str]:
    """user id -> "A01"...; the width grows past 99 annotators but is the same for everyone."""
    order = list(
        Assignment.objects.filter(project_id=project_id)
        .values("annotator_id")
        .annotate(first=Min("id"))
        .order_by("first")
        .values_list("annotator_id", flat=True)
    )
    width = max(2, len(str(len(order))))
    return {user_id: f"A{index:0{width}d}" for index, user_id in enumerate(order, start=1)}
