"""Media assets (video, audio, text) and resumable uploads."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from projects.models import Project


class AssetKind(models.TextChoices):
    UNKNOWN = "unknown", "Unknown (not probed yet)"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    TEXT = "text", "Text"


class AssetStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROBING = "probing", "Probing"
    NORMALISING = "normalising", "Normalising"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class MediaAsset(models.Model):
    """One item of a project: a media file or a text utterance, with free metadata.

    ``sha256`` identifies the content within a project: the same bytes uploaded
    twice return the existing asset. For text assets it hashes the utterance
    together with its dialogue position, so the same words said in two places
    stay two items.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=16, choices=AssetKind.choices, default=AssetKind.UNKNOWN)
    status = models.CharField(max_length=16, choices=AssetStatus.choices, default=AssetStatus.RECEIVED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100 for the current processing run")
    failure_reason = models.TextField(blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField(default=0)
    original_file = models.CharField(max_length=500, blank=True, help_text="storage key of the original")
    derived = models.JSONField(
        default=dict, blank=True, help_text="storage keys of proxy, audio, peaks, poster"
    )
    probe = models.JSONField(default=dict, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)

    text = models.TextField(blank=True)
    speaker = models.CharField(max_length=200, blank=True)
    dialogue_id = models.CharField(max_length=200, blank=True)
    turn = models.IntegerField(null=True, blank=True)
    start_seconds = models.FloatField(null=True, blank=True)
    end_seconds = models.FloatField(null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="utterances",
        help_text="the recording this item is a time range of (start_seconds to end_seconds)",
    )
    metadata = models.JSONField(default=dict, blank=True)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dialogue_id", "turn", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "sha256"], name="one_asset_per_content_per_project")
        ]
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["project", "dialogue_id", "turn"]),
        ]

    def __str__(self) -> str:
        return self.original_name or (self.text[:40] if self.text else str(self.uid))


class UploadStatus(models.TextChoices):
    OPEN = "open", "Receiving chunks"
    COMPLETE = "complete", "Complete"
    ABORTED = "aborted", "Aborted"


class ChunkedUpload(models.Model):
    """A resumable upload: chunks append at ``received_bytes`` until ``size_bytes`` arrive."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="chunked_uploads")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    original_name = models.CharField(max_length=255)
    size_bytes = models.BigIntegerField()
    received_bytes = models.BigIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=UploadStatus.choices, default=UploadStatus.OPEN)
    asset = models.ForeignKey(MediaAsset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.received_bytes}/{self.size_bytes})"
