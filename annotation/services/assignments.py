"""Handing items out: K annotators per ready item, by round-robin or least-loaded."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from annotation.models import AnnotationSettings, Assignment, Strategy
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
    items = project.assets.filter(status=AssetStatus.READY).order_by("id").values_list("id", flat=True)
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
    Assignment.objects.bulk_create(new)
    return GenerateResult(created=len(new), items_short=short)


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
