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
    columns = serializers.CharField(
        required=False,
        default=None,
        allow_null=True,
        help_text="comma-separated column names to return (time is always included); all when absent",
    )

    def validate_columns(self, value: str | None) -> list[str] | None:
        if value is None:
            return None
        names = [name.strip() for name in value.split(",") if name.strip()]
        if not names:
            raise serializers.ValidationError("Name at least one column.")
        return names


class TrackWindowSerializer(serializers.Serializer):
    track = serializers.IntegerField()
    start = serializers.FloatField(allow_null=True)
    end = serializers.FloatField(allow_null=True)
    total_rows = serializers.IntegerField(help_text="rows in the window before thinning")
    stride = serializers.IntegerField(help_text="every stride-th row of the window is returned")
    columns = serializers.ListField(child=serializers.CharField(), help_text="the columns each row holds")
    rows = serializers.ListField(child=serializers.DictField())


class PrelabelerSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()
    description = serializers.CharField()
    inputs = serializers.ListField(child=serializers.CharField())
    produces = serializers.ListField(child=serializers.CharField())
    default_params = serializers.DictField()
    parameters = serializers.ListField(
        child=serializers.DictField(),
        help_text="each: name, type (number/integer/boolean/text/choice), default, min, max, choices",
    )
    wants_gpu = serializers.BooleanField()
