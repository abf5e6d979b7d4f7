"""Shapes of the release API (contracts §3)."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotation.models import AssignmentState

from ..models import DatasetVersion, IncludeMedia
from ..services.semver import BUMPS
from ..services.versions import VersionRefused, VersionRequest


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


def version_request_from(data: dict[str, Any]) -> VersionRequest:
    """A ``VersionRequest`` checked by the API's own serializer, for the command line and the admin.

    Every way of creating a version accepts and refuses the same input; errors come back as
    ``VersionRefused`` keyed like the service's own (``filters.item_ids``), so each caller can
    name its option or form field.
    """
    body = VersionCreateSerializer(data=data)
    if not body.is_valid():
        raise VersionRefused(_flat_errors(body.errors))
    valid = body.validated_data
    return VersionRequest(
        version=valid.get("version") or None, bump=valid["bump"], notes=valid["notes"],
        filters=valid["filters"], include_media=valid["include_media"], seed=valid["seed"],
        dawid_skene=valid["dawid_skene"],
    )  # fmt: skip


MAX_ITEM_IDS = 1_000_000  # as ``VersionFiltersSerializer.item_ids``
_ID_RANGE = re.compile(r"^(\d+)-(\d+)$")


def id_tokens(text: str) -> list[str]:
    """Words of a typed list: commas and whitespace both separate."""
    return [token for token in re.split(r"[,\s]+", text) if token]


def parse_item_ids(text: str) -> list[int]:
    """Item ids typed by a person: ``3, 5 10-20``; ``ValueError`` names the first word that is neither."""
    ids: list[int] = []
    for token in id_tokens(text):
        if token.isdigit():
            ids.append(int(token))
        elif (span := _ID_RANGE.match(token)) and 0 <= int(span[2]) - int(span[1]) < MAX_ITEM_IDS:
            ids.extend(range(int(span[1]), int(span[2]) + 1))
        else:
            raise ValueError(f"{token!r} is neither an item id nor a range like 10-20.")
        if len(ids) > MAX_ITEM_IDS:
            raise ValueError(f"at most {MAX_ITEM_IDS:,} items.")
    return ids


def _flat_errors(errors: Any, prefix: str = "") -> dict[str, str]:
    """DRF's nested errors as ``{"filters.item_ids": "first message"}``; an entry's error names its list."""
    if isinstance(errors, dict):
        out: dict[str, str] = {}
        for key, value in errors.items():
            if key == "non_field_errors" or isinstance(key, int):
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            for field, message in _flat_errors(value, name).items():
                out.setdefault(field, message)
        return out
    if isinstance(errors, list) and errors:
        return _flat_errors(errors[0], prefix)
    return {prefix: str(errors)}


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
