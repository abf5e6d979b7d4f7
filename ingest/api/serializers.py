from django.urls import reverse
from rest_framework import serializers

from ingest.models import MediaAsset


class MediaAssetSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField()

    class Meta:
        model = MediaAsset
        fields = [
            "id",
            "uid",
            "project",
            "kind",
            "status",
            "progress",
            "failure_reason",
            "original_name",
            "sha256",
            "size_bytes",
            "duration_seconds",
            "probe",
            "files",
            "text",
            "speaker",
            "dialogue_id",
            "turn",
            "start_seconds",
            "end_seconds",
            "metadata",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_files(self, asset: MediaAsset) -> dict[str, str]:
        names = (["original"] if asset.original_file else []) + sorted(asset.derived or {})
        return {name: reverse("media-file", args=[asset.pk, name]) for name in names}


class MediaUploadSerializer(serializers.Serializer):
    """Multipart body of an upload: the file and an optional JSON object of metadata."""

    file = serializers.FileField()
    metadata = serializers.CharField(required=False, allow_blank=True, help_text="a JSON object")
