"""Pre-labeler jobs and the time-indexed tracks they write."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ingest.models import MediaAsset


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class PrelabelJob(models.Model):
    """One run of one pre-labeler on one asset with one set of parameters.

    Unique on (asset, pre-labeler, version, params hash): asking again returns this row, so a
    finished result is reused and a new version or new parameters make a new job (and new tracks)
    while the old ones stay readable.
    """

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="prelabel_jobs")
    prelabeler = models.CharField(max_length=100)
    version = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    params_hash = models.CharField(max_length=64)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents")
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100")
    error = models.TextField(blank=True)
    device = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "prelabeler", "version", "params_hash"], name="one_job_per_prelabel_request"
            )
        ]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.prelabeler} {self.version} on asset {self.asset_id} ({self.state})"


class Track(models.Model):
    """The summary row of one time-indexed output; the rows themselves live in a Parquet file."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="tracks")
    job = models.ForeignKey(PrelabelJob, on_delete=models.CASCADE, related_name="tracks")
    kind = models.CharField(max_length=100)
    prelabeler = models.CharField(max_length=100)
    version = models.CharField(max_length=40)
    sample_rate = models.FloatField(null=True, blank=True, help_text="rows per second; empty for events")
    duration_seconds = models.FloatField(null=True, blank=True)
    columns = models.JSONField(default=list, blank=True, help_text="[{name, type}] of the Parquet file")
    row_count = models.PositiveIntegerField(default=0)
    storage_key = models.CharField(max_length=500)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asset_id", "kind", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["job", "kind"], name="one_track_per_kind_per_job")]

    def __str__(self) -> str:
        return f"{self.kind} of asset {self.asset_id} ({self.prelabeler} {self.version})"
