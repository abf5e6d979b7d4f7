"""Handing items out: K annotators per ready item, by round-robin or least-loaded.

Gold items (``annotation.models.GoldItem``) are the exception: each goes to every annotator, and
each new gold assignment is placed among the annotator's open work (``QueuePlacement``) at a
pseudo-random point, so gold items are spread through the queue rather than bunched by item id.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from annotation.models import (
    AnnotationSettings,
    Assignment,
    AssignmentState,
    GoldItem,
    QueuePlacement,
    Strategy,
)
from ingest.models import AssetStatus
from projects.models import Membership, Project, Role


@dataclass(frozen=True)
class GenerateResult:
    created: int
    items_short: int  # ready items still below K because the project has too few annotators


@transaction.atomic
def annotation_settings_set(*, project: Project, overlap: int, strategy: str) -> AnnotationSettings:
    found, _ = AnnotationSettings.objects.update_or_create(
        project=project, defaults={"overlap": overlap, "strategy": strategy}
    )
    return found


@transaction.atomic
def assignments_generate(*, project: Project) -> GenerateResult:
    """Give every ready item that has fewer than K annotators the annotators it lacks.

    Running it again adds nothing (items already at K are skipped, and an annotator is never
    given an item twice). Round-robin walks the annotators in id order from where the project's
    existing assignments left off, so the same state always gives the same result. The project
    row is locked so two generations cannot both fill the same slot.
    """
    Project.objects.select_for_update().filter(pk=project.pk).first()
    settings = AnnotationSettings.objects.filter(project=project).first() or AnnotationSettings()
    annotators = list(
        Membership.objects.filter(project=project, role=Role.ANNOTATOR)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    taken: dict[int, set[int]] = {}
    for item_id, user_id in Assignment.objects.filter(project=project).values_list("item_id", "annotator_id"):
        taken.setdefault(item_id, set()).add(user_id)
    load = dict.fromkeys(annotators, 0)
    for row in Assignment.objects.filter(project=project).values("annotator_id").annotate(n=Count("id")):
        if row["annotator_id"] in load:
            load[row["annotator_id"]] = row["n"]
    gold = set(GoldItem.objects.filter(project=project).values_list("item_id", flat=True))
    ready = project.assets.filter(status=AssetStatus.READY).order_by("id").values_list("id", flat=True)
    items = [item_id for item_id in ready if item_id not in gold]
    picker = _Picker(annotators, load, settings.strategy, start=sum(len(v) for v in taken.values()))
    new: list[Assignment] = []
    short = 0
    for item_id in items:
        have = taken.setdefault(item_id, set())
        while len(have) < settings.overlap:
            chosen = picker.pick(exclude=have)
            if chosen is None:
                short += 1
                break
            have.add(chosen)
            new.append(Assignment(project=project, item_id=item_id, annotator_id=chosen))
    gold_new = [
        Assignment(project=project, item_id=item_id, annotator_id=user_id)
        for item_id in ready
        if item_id in gold
        for user_id in annotators
        if user_id not in taken.setdefault(item_id, set())
    ]
    Assignment.objects.bulk_create(new + gold_new)
    _place_gold(project, gold_new, gold)
    return GenerateResult(created=len(new) + len(gold_new), items_short=short)


def _place_gold(project: Project, created: list[Assignment], gold: set[int]) -> None:
    """Spread each annotator's new gold assignments through their open, non-gold work.

    With n open items the gold ones go after one of the first n - 1, one per stratum of that
    range, so none lands first or last (when n >= 2) and they do not bunch. The choice is
    seeded by project and annotator, so the same state always gives the same queue.
    """
    per_annotator: dict[int, list[int]] = {}
    for assignment in created:
        per_annotator.setdefault(assignment.annotator_id, []).append(assignment.item_id)
    placements: list[QueuePlacement] = []
    for annotator_id, gold_items in per_annotator.items():
        anchors = sorted(
            item_id
            for item_id in Assignment.objects.filter(
                project=project, annotator_id=annotator_id, state=AssignmentState.ASSIGNED
            ).values_list("item_id", flat=True)
            if item_id not in gold
        )
        if not anchors:
            continue
        # Not for security: only the queue position, which must be reproducible.
        rng = random.Random(f"{project.pk}:{annotator_id}")  # noqa: S311
        rng.shuffle(gold_items)
        ids = dict(
            Assignment.objects.filter(
                project=project, annotator_id=annotator_id, item_id__in=gold_items
            ).values_list("item_id", "id")
        )
        slots = max(len(anchors) - 1, 1)
        for index, item_id in enumerate(gold_items):
            low = index * slots // len(gold_items)
            high = max(low + 1, (index + 1) * slots // len(gold_items))
            anchor = anchors[rng.randrange(low, high)]
            placements.append(QueuePlacement(assignment_id=ids[item_id], after_item_id=anchor))
    QueuePlacement.objects.bulk_create(placements)


class _Picker:
    """Chooses the next annotator for one slot, skipping those already on the item."""

    def __init__(self, annotators: list[int], load: dict[int, int], strategy: str, start: int) -> None:
        self.annotators = annotators
        self.load = load
        self.strategy = strategy
        self.cursor = start % len(annotators) if annotators else 0

    def pick(self, *, exclude: set[int]) -> int | None:
        free = [a for a in self.annotators if a not in exclude]
        if not free:
            return None
        if self.strategy == Strategy.LEAST_LOADED:
            chosen = min(free, key=lambda a: (self.load[a], a))
        else:
            chosen = self._next_round_robin(exclude)
        self.load[chosen] += 1
        return chosen

    def _next_round_robin(self, exclude: set[int]) -> int:
        for step in range(len(self.annotators)):
            candidate = self.annotators[(self.cursor + step) % len(self.annotators)]
            if candidate not in exclude:
                self.cursor = (self.cursor + step + 1) % len(self.annotators)
                return candidate
        raise AssertionError("pick() checked that a free annotator exists")
