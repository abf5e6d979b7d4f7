from __future__ import annotations

from rest_framework import serializers

from ..models import PrelabelJob, Track


class PrelabelRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    params = serializers.DictField(required=False, default=dict)


class PrelabelJobSerializer(serializers.ModelSerializer):
    depends_on = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PrelabelJob
        fields = [
            "id", "asset", "prelabeler", "version", "params", "params_hash", "depends_on", "state",
            "progress", "error", "device", "attempts", "heartbeat_at", "created_at", "started_at",
            "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = [
            "id", "asset", "job", "kind", "prelabeler", "version", "sample_rate", "duration_seconds",
            "columns", "row_count", "metadata", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class TrackWindowQuerySerializer(serializers.Serializer):
    start = serializers.FloatField(required=False, allow_null=True, default=None)
    end = serializers.FloatField(required=False, allow_null=True, default=None)
    max_points = serializers.IntegerField(required=False, min_value=1, max_value=100_000, default=2000)


class TrackWindowSerializer(serializers.Serializer):
    track = serializers.IntegerField()
    start = serializers.FloatField(allow_null=True)
    end = serializers.FloatField(allow_null=True)
    total_rows = serializers.IntegerField(help_text="rows in the window before thinning")
    stride = serializers.IntegerField(help_text="every stride-th row of the window is returned")
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField())


class PrelabelerSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()
    description = serializers.CharField()
    inputs = serializers.ListField(child=serializers.CharField())
    produces = serializers.ListField(child=serializers.CharField())
    default_params = serializers.DictField()
    wants_gpu = serializers.BooleanField()
