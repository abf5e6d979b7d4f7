"""Shapes of the release API (contracts §3)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotation.models import AssignmentState

from ..models import DatasetVersion, IncludeMedia
from ..services.semver import BUMPS


class VersionFiltersSerializer(serializers.Serializer):
    item_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=1_000_000)
    annotator_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=10_000)
    review_states = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        help_text=f"assignment states to include: {', '.join(AssignmentState.values)} "
        "(default: submitted, accepted, adjudicated)",
    )

    def to_internal_value(self, data: object) -> dict:
        """An unknown filter is refused rather than ignored: a typo must not release everything."""
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        if unknown:
            raise serializers.ValidationError(
                f"unknown filter(s) {', '.join(unknown)}; use {', '.join(self.fields)}."
            )
        return super().to_internal_value(data)


class VersionCreateSerializer(serializers.Serializer):
    version = serializers.CharField(required=False, allow_null=True, max_length=40)
    bump = serializers.ChoiceField(choices=[(b, b) for b in BUMPS], default="minor")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=20_000)
    filters = VersionFiltersSerializer(required=False, default=dict)
    include_media = serializers.ChoiceField(choices=IncludeMedia.choices, default=IncludeMedia.NONE)
    seed = serializers.IntegerField(default=0, min_value=0, max_value=2**31 - 1)
    dawid_skene = serializers.BooleanField(default=False)


class FileEntrySerializer(serializers.Serializer):
    path = serializers.CharField()
    bytes = serializers.IntegerField()
    sha256 = serializers.CharField()


class CountsSerializer(serializers.Serializer):
    items = serializers.IntegerField()
    annotators = serializers.IntegerField()
    annotations = serializers.IntegerField()


class DiffSerializer(serializers.Serializer):
    previous = serializers.CharField(allow_null=True)
    items_added = serializers.ListField(child=serializers.CharField())
    items_removed = serializers.ListField(child=serializers.CharField())
    items_changed = serializers.ListField(child=serializers.CharField())
    label_changes = serializers.IntegerField()
    labels_added = serializers.IntegerField()
    labels_removed = serializers.IntegerField()
    summary = serializers.CharField()


class DatasetVersionSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text="queued, building, ready or failed")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    counts = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = DatasetVersion
        fields = [
            "id", "project", "version", "state", "progress", "progress_message", "error", "notes", "filters",
            "include_media", "seed", "dawid_skene", "created_by", "created_at", "built_at", "counts", "files",
            "diff", "download_url", "report_url",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(CountsSerializer(allow_null=True))
    def get_counts(self, obj: DatasetVersion) -> dict | None:
        return obj.counts or None

    @extend_schema_field(FileEntrySerializer(many=True))
    def get_files(self, obj: DatasetVersion) -> list[dict]:
        return obj.files or []

    @extend_schema_field(DiffSerializer(allow_null=True))
    def get_diff(self, obj: DatasetVersion) -> dict | None:
        return obj.diff or None

    def get_download_url(self, obj: DatasetVersion) -> str:
        return f"/api/versions/{obj.pk}/download/"

    def get_report_url(self, obj: DatasetVersion) -> str:
        return f"/api/versions/{obj.pk}/report/"
