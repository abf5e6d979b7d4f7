"""Request and response shapes of resumable uploads, manifest imports and text imports."""

from rest_framework import serializers

from ingest.models import ChunkedUpload

from .serializers import MediaAssetSerializer


class ChunkedUploadCreateSerializer(serializers.Serializer):
    """Announce a file before sending its bytes in chunks."""

    filename = serializers.CharField(max_length=1000)
    size = serializers.IntegerField(min_value=1, help_text="the whole file's size in bytes")
    metadata = serializers.JSONField(required=False, help_text="a JSON object")


class ChunkedUploadSerializer(serializers.ModelSerializer):
    """Where an upload stands: resume by sending the chunk that starts at ``offset``."""

    id = serializers.UUIDField(source="uid", read_only=True)
    filename = serializers.CharField(source="original_name", read_only=True)
    size = serializers.IntegerField(source="size_bytes", read_only=True)
    offset = serializers.IntegerField(source="received_bytes", read_only=True)
    asset = MediaAssetSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ChunkedUpload
        fields = [
            "id",
            "filename",
            "size",
            "offset",
            "status",
            "metadata",
            "asset",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ChunkRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    offset = serializers.IntegerField(required=False, help_text="resume by sending the chunk starting here")


class ManifestImportSerializer(serializers.Serializer):
    manifest = serializers.FileField(
        help_text="CSV (with a header) or JSONL; each row has 'file' (under the import folder) or 'text'"
    )


class TextImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="JSONL, one utterance per line: text, speaker, dialogue_id, turn..."
    )


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(required=False, help_text="manifest line where the row starts")
    line = serializers.IntegerField(required=False, help_text="line of the JSONL file")
    error = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.IntegerField(), help_text="ids of new assets")
    existing = serializers.ListField(child=serializers.IntegerField(), help_text="ids already stored")
    errors = ImportErrorSerializer(many=True)
