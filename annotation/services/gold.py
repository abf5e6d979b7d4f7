"""Gold items: known answers that owners and managers attach to items, and accuracy against them.

A gold item is handed to every annotator of the project the next time assignments are generated
(``annotation.services.assignments``) and looks to them like any other item: nothing about it is
stored on the assignment, the item or the annotation. Accuracy compares each annotator's latest
submitted revision on a gold item with the gold values, field by field
(``annotation.services.gold_scoring``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from annotation.models import AnnotationRevision, GoldItem, LabelSchema
from annotation.schema import SchemaError
from annotation.schema.values import validate_values
from annotation.selectors import label_schema_current
from annotation.services.gold_scoring import FieldScore, score_value
from ingest.models import MediaAsset
from projects.models import Project


class GoldRejected(Exception):
    def __init__(self, message: str, errors: list[SchemaError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


def gold_list(*, project: Project):
    return GoldItem.objects.filter(project=project).select_related("created_by").order_by("item_id")


def gold_get(*, project: Project, item_id: int) -> GoldItem | None:
    return gold_list(project=project).filter(item_id=item_id).first()


@transaction.atomic
def gold_set(*, project: Project, item_id: int, values: Any, user: AbstractBaseUser) -> tuple[GoldItem, bool]:
    """Mark ``item_id`` as gold with ``values`` (or replace its values); returns (gold, created).

    The values are checked against the project's current schema like an annotation draft: any
    subset of fields, each one valid. An empty answer is refused because it could score nothing.
    """
    item = MediaAsset.objects.filter(project=project, pk=item_id).first()
    if item is None:
        raise GoldRejected(
            f"Item {item_id} is not in this project.", [SchemaError("item", "no such item in this project")]
        )
    schema = label_schema_current(project=project)
    if schema is None:
        raise GoldRejected("This project has no label schema yet, so no answer can be stored.")
    _check_values(schema, values, item)
    found, created = GoldItem.objects.update_or_create(
        item=item,
        defaults={"project": project, "values": values, "schema_version": schema.version},
        create_defaults={
            "project": project,
            "values": values,
            "schema_version": schema.version,
            "created_by": user,
        },
    )
    return found, created


def _check_values(schema: LabelSchema, values: Any, item: MediaAsset) -> None:
    if isinstance(values, dict) and not values:
        raise GoldRejected(
            "A gold answer needs at least one field.", [SchemaError("values", "give at least one field")]
        )
    errors = validate_values(schema.definition, values, duration=item.duration_seconds, complete=False)
    if errors:
        raise GoldRejected(
            f"The values do not fit schema version {schema.version} ({len(errors)} problem(s)).", errors
        )


def gold_delete(*, project: Project, item_id: int) -> bool:
    """Unmark the item. Assignments already given out stay; accuracy simply stops counting it."""
    deleted, _ = GoldItem.objects.filter(project=project, item_id=item_id).delete()
    return deleted > 0


@dataclass
class Tally:
    n: int = 0
    total: float = 0.0
    mae_total: float = 0.0
    mae_n: int = 0
    argmax_hits: int = 0
    argmax_n: int = 0

    def add(self, result: FieldScore) -> None:
        self.n += 1
        self.total += result.score
        if result.mae is not None:
            self.mae_total += result.mae
            self.mae_n += 1
        if result.argmax_match is not None:
            self.argmax_n += 1
            self.argmax_hits += int(result.argmax_match)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"n": self.n, "score": self.total / self.n if self.n else None}
        if self.mae_n:
            body["mae"] = self.mae_total / self.mae_n
        if self.argmax_n:
            body["argmax_match"] = self.argmax_hits / self.argmax_n
        return body


@dataclass
class AnnotatorAccuracy:
    annotator: str
    items: int = 0
    fields: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    overall: Tally = field(default_factory=Tally)


def gold_accuracy(*, project: Project) -> dict[str, Any]:
    """Per annotator and field: how many gold answers were scored (``n``) and the mean score.

    Uses each assignment's newest revision that the annotator submitted themselves (a reviewer's
    adjudication is not the annotator's answer). Fields are read with the gold's schema version,
    so a field renamed since is simply not compared. ``overall`` is the mean over every scored
    (item, field) pair of the annotator.
    """
    golds = {g.item_id: g for g in GoldItem.objects.filter(project=project)}
    schemas = {s.version: s.definition for s in LabelSchema.objects.filter(project=project)}
    revisions = (
        AnnotationRevision.objects.filter(
            annotation__assignment__project=project,
            annotation__assignment__item_id__in=list(golds),
            submitted=True,
        )
        .select_related("annotation__assignment__annotator")
        .order_by("annotation_id", "-number")
    )
    by_annotator: dict[int, AnnotatorAccuracy] = {}
    seen: set[int] = set()
    for revision in revisions:
        assignment = revision.annotation.assignment
        if revision.annotation_id in seen or revision.author_id != assignment.annotator_id:
            continue
        seen.add(revision.annotation_id)
        gold = golds[assignment.item_id]
        definition = schemas.get(gold.schema_version)
        if definition is None or not isinstance(revision.values, dict):
            continue
        row = by_annotator.setdefault(
            assignment.annotator_id, AnnotatorAccuracy(annotator=assignment.annotator.get_username())
        )
        row.items += 1
        _score_item(row, definition, gold.values, revision.values)
    return {
        "gold_items": len(golds),
        "annotators": [
            {
                "annotator": row.annotator,
                "items": row.items,
                "fields": {name: tally.as_dict() for name, tally in sorted(row.fields.items())},
                "overall": row.overall.as_dict(),
            }
            for row in sorted(by_annotator.values(), key=lambda r: r.annotator)
        ],
    }


def _score_item(row: AnnotatorAccuracy, definition: dict, gold: dict, mine: dict) -> None:
    fields = {f["name"]: f for f in definition["fields"]}
    for name, gold_value in gold.items():
        spec = fields.get(name)
        if spec is None or name not in mine:
            continue
        try:
            result = score_value(spec, gold_value, mine[name])
        except (KeyError, TypeError, ValueError):
            continue  # made under a version where this field took another shape
        if result is None:
            continue
        row.fields[name].add(result)
        row.overall.add(result)
