"""Dataset versions: immutable, semantically numbered snapshots of a project's labels.

A version row is the index of a release folder in storage (``storage_prefix``); once ``ready``,
neither the row's content nor the folder ever changes. The folder holds every byte a user
downloads (items, raw and aggregated labels, report, splits, tracks, manifest), so deleting a
project's live items or annotations later leaves published releases readable.

``project`` is PROTECT: a project that has published versions cannot be deleted by accident
(papers cite these numbers); its items and annotations can be, and the releases keep working
from storage alone. ``project_name`` keeps the name the release was built under.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .services.semver import parse_version


class VersionState(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class IncludeMedia(models.TextChoices):
    NONE = "none", "No media"
    ORIGINAL = "original", "Original files"
    PROXY = "proxy", "Browser proxies"


# Fields that describe what a version is; none may change once it is ready.
CONTENT_FIELDS = (
    "project_id", "project_name", "version", "major", "minor", "patch", "notes", "filters",
    "include_media", "seed", "dawid_skene", "state", "counts", "files", "diff", "storage_prefix",
    "built_at", "created_by_id", "created_at",
)  # fmt: skip


class ImmutableVersion(ValidationError):
    """A ready version was about to be changed."""


class DatasetVersion(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="dataset_versions")
    project_name = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=40, help_text="semantic version X.Y.Z")
    major = models.PositiveIntegerField(default=0, editable=False)
    minor = models.PositiveIntegerField(default=0, editable=False)
    patch = models.PositiveIntegerField(default=0, editable=False)
    notes = models.TextField(blank=True)
    filters = models.JSONField(default=dict, blank=True)
    include_media = models.CharField(max_length=16, choices=IncludeMedia.choices, default=IncludeMedia.NONE)
    seed = models.IntegerField(default=0)
    dawid_skene = models.BooleanField(default=False)

    state = models.CharField(max_length=16, choices=VersionState.choices, default=VersionState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100")
    progress_message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    files = models.JSONField(default=list, blank=True, help_text="[{path, bytes, sha256}] of the folder")
    diff = models.JSONField(default=dict, blank=True)
    storage_prefix = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["project_id", "-major", "-minor", "-patch"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="one_dataset_version_per_number"),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="dataset_version_progress_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_name or self.project_id} {self.version} ({self.state})"

    def save(self, *args, **kwargs) -> None:
        """Keep the sortable number parts in step and refuse any change to a ready version.

        Progress, heartbeat and error of a version in flight are written with conditional
        ``UPDATE``s by the build service; this check guards every ``save()`` (admin, shell,
        serializers) against rewriting a published release.
        """
        major, minor, patch = parse_version(self.version)
        self.major, self.minor, self.patch = major, minor, patch
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values(*CONTENT_FIELDS).first()
            if stored is not None and stored["state"] == VersionState.READY:
                changed = [name for name in CONTENT_FIELDS if stored[name] != getattr(self, name)]
                if changed:
                    raise ImmutableVersion(
                        f"Version {stored['version']} is ready and immutable; refused to change "
                        f"{', '.join(changed)}. Build a new version instead."
                    )
        super().save(*args, **kwargs)

    @property
    def version_tuple(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)
