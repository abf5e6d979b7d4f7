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
