"""Label schemas: the versioned definitions that annotations are made under."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projects.models import Project


class LabelSchema(models.Model):
    """One version of a project's label schema; the project's current schema is its highest version.

    Versions are append-only: publishing a change makes a new row and nothing edits an old one, so
    every annotation can keep pointing at the version it was made under. ``class_mapping`` says
    what the previous version's removed or renamed fields/classes became (see
    ``annotation.schema.mapping``), so exports can translate old labels.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="label_schemas")
    version = models.PositiveIntegerField()
    definition = models.JSONField()
    class_mapping = models.JSONField(default=dict, blank=True)
    template = models.CharField(max_length=64, blank=True, help_text="built-in template it came from, if any")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="one_label_schema_per_version"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="label_schema_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.project} schema v{self.version}"


class Strategy(models.TextChoices):
    ROUND_ROBIN = "round_robin", "Round-robin"
    LEAST_LOADED = "least_loaded", "Least-loaded"


class AnnotationSettings(models.Model):
    """How a project hands items out: ``overlap`` annotators per item, chosen by ``strategy``."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="annotation_settings")
    overlap = models.PositiveSmallIntegerField(default=1, help_text="annotators per item (K)")
    strategy = models.CharField(max_length=16, choices=Strategy.choices, default=Strategy.ROUND_ROBIN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "annotation settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overlap__gte=1, overlap__lte=50), name="annotation_overlap_1_to_50"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project}: K={self.overlap}, {self.strategy}"


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    ADJUDICATED = "adjudicated", "Adjudicated"


class Assignment(models.Model):
    """One item given to one annotator; an item never goes to the same annotator twice."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    item = models.ForeignKey("ingest.MediaAsset", on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    state = models.CharField(max_length=16, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED)
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project_id", "item_id", "annotator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "annotator"], name="one_assignment_per_item_and_annotator"
            )
        ]
        indexes = [models.Index(fields=["project", "annotator", "state"])]

    def __str__(self) -> str:
        return f"{self.item} → {self.annotator} ({self.state})"


class Annotation(models.Model):
    """An assignment's labels, kept under the schema version it was started with."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="annotation")
    schema = models.ForeignKey(LabelSchema, on_delete=models.RESTRICT, related_name="annotations")
    latest_number = models.PositiveIntegerField(default=0, help_text="number of the newest revision")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"annotation of {self.assignment} (r{self.latest_number})"


class AnnotationRevision(models.Model):
    """One save, never edited: ``based_on`` is the revision the author saw when saving.

    ``idempotency_key`` and ``request_hash`` let a retried request find the revision it
    already stored instead of storing a second one.
    """

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    values = models.JSONField()
    based_on = models.PositiveIntegerField(null=True, blank=True)
    submitted = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+")
    idempotency_key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "number"], name="one_revision_per_number"),
            models.UniqueConstraint(
                fields=["annotation", "idempotency_key"], name="one_revision_per_idempotency_key"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="revision_number_from_1"),
        ]

    def __str__(self) -> str:
        return f"r{self.number} of annotation {self.annotation_id}"


class ProjectGuidelines(models.Model):
    """A project's labeling guidelines, written in Markdown and shown beside the task.

    Only the Markdown is stored; the HTML is rendered and sanitised on every read
    (``annotation.services.guidelines``), so a tightened sanitiser applies to old text too.
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="guidelines")
    markdown = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "project guidelines"

    def __str__(self) -> str:
        return f"guidelines of {self.project}"


class GoldItem(models.Model):
    """An item whose answer is known, given to every annotator to measure their accuracy.

    ``values`` fit schema ``schema_version`` of the project (any subset of its fields); only
    owners and managers ever see this row, annotators get the item like any other.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gold_items")
    item = models.OneToOneField("ingest.MediaAsset", on_delete=models.CASCADE, related_name="gold")
    values = models.JSONField()
    schema_version = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project_id", "item_id"]

    def __str__(self) -> str:
        return f"gold answer for item {self.item_id}"


class QueuePlacement(models.Model):
    """Where an assignment sits in its annotator's queue when not at its own item's place.

    Queues run in item order; an assignment with a placement comes right after the item
    ``after_item_id`` instead. Gold items use it so they are spread through each queue rather
    than grouped where their item ids would put them.
    """

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="placement")
    after_item_id = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"assignment {self.assignment_id} after item {self.after_item_id}"
