"""The labeling page's one-call payload: item, schema, own latest revision, queue position, tracks."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ingest.models import MediaAsset
from models_zoo.models import Track

from .work_serializers import ItemSerializer, ProgressSerializer


class MediaFilesSerializer(serializers.Serializer):
    proxy = serializers.CharField(required=False, help_text="browser-playable MP4 (video) or M4A (audio)")
    audio = serializers.CharField(required=False, help_text="16 kHz mono WAV")
    peaks = serializers.CharField(required=False, help_text="waveform min/max pairs (audiowaveform JSON)")
    poster = serializers.CharField(required=False, help_text="a still of the video")


class WorkspaceItemSerializer(ItemSerializer):
    """The item as the queue shows it, plus where its media files are and its frame rate."""

    files = serializers.SerializerMethodField()
    fps = serializers.SerializerMethodField()

    class Meta(ItemSerializer.Meta):
        fields = [*ItemSerializer.Meta.fields, "files", "fps"]
        read_only_fields = fields

    @extend_schema_field(MediaFilesSerializer)
    def get_files(self, item: MediaAsset) -> dict[str, str]:
        return self.context.get("files", {})

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_fps(self, item: MediaAsset) -> float | None:
        return self.context.get("fps")


class ContextTurnSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediaAsset
        fields = ["id", "turn", "speaker", "text"]
        read_only_fields = fields


class WorkspaceSchemaSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    definition = serializers.JSONField()


class WorkspaceRevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    values = serializers.JSONField()
    submitted = serializers.BooleanField()


class TrackSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = [
            "id",
            "kind",
            "prelabeler",
            "version",
            "sample_rate",
            "duration_seconds",
            "columns",
            "row_count",
        ]
        read_only_fields = fields


class WorkspaceAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    annotator = serializers.CharField(source="annotator.username")
    state = serializers.CharField()
    review_comment = serializers.CharField()


class WorkspaceSerializer(serializers.Serializer):
    assignment = WorkspaceAssignmentSerializer()
    editable = serializers.BooleanField(help_text="false for reviewers, managers and finished assignments")
    item = WorkspaceItemSerializer()
    context = ContextTurnSerializer(many=True, help_text="the other turns of a text item's dialogue")
    schema = WorkspaceSchemaSerializer(
        allow_null=True, help_text="the version the annotation uses, or current"
    )
    latest = WorkspaceRevisionSerializer(allow_null=True, help_text="this assignment's latest revision")
    progress = ProgressSerializer()
    previous = serializers.IntegerField(allow_null=True, help_text="previous assignment id in the queue")
    next = serializers.IntegerField(allow_null=True, help_text="next assignment id in the queue")
    tracks = TrackSummarySerializer(many=True)
