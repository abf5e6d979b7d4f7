"""Serializers for assignments, queues, annotation revisions and reviews."""

from rest_framework import serializers

from annotation.models import AnnotationRevision, AnnotationSettings, Assignment
from ingest.models import MediaAsset


class AnnotationSettingsSerializer(serializers.ModelSerializer):
    overlap = serializers.IntegerField(min_value=1, max_value=50, help_text="annotators per item (K)")

    class Meta:
        model = AnnotationSettings
        fields = ["overlap", "strategy"]


class GenerateResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    items_short = serializers.IntegerField(help_text="ready items still below K: too few annotators")


class ItemSerializer(serializers.ModelSerializer):
    """What an annotator needs to label an item; no one's labels are part of it."""

    class Meta:
        model = MediaAsset
        fields = [
            "id",
            "kind",
            "original_name",
            "duration_seconds",
            "text",
            "speaker",
            "dialogue_id",
            "turn",
            "start_seconds",
            "end_seconds",
            "metadata",
        ]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    annotator = serializers.SlugRelatedField(slug_field="username", read_only=True)
    item = ItemSerializer(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "project",
            "item",
            "annotator",
            "state",
            "review_comment",
            "created_at",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class RevisionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    values = serializers.JSONField(read_only=True)

    class Meta:
        model = AnnotationRevision
        fields = ["number", "based_on", "values", "submitted", "author", "created_at"]
        read_only_fields = fields


class RevisionSummarySerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AnnotationRevision
        fields = ["number", "based_on", "submitted", "author", "created_at"]
        read_only_fields = fields


class AnnotationStateSerializer(serializers.Serializer):
    assignment = AssignmentSerializer()
    schema_version = serializers.IntegerField(allow_null=True)
    latest = RevisionSerializer(allow_null=True)
    history = RevisionSummarySerializer(many=True)


class QueueNextSerializer(serializers.Serializer):
    assignment = AssignmentSerializer(allow_null=True, help_text="null when the queue is done")
    schema_version = serializers.IntegerField(allow_null=True)
    schema = serializers.JSONField(allow_null=True, help_text="definition the values must fit")
    latest = RevisionSerializer(allow_null=True, help_text="the annotator's own latest save, if any")
    progress = ProgressSerializer()


class AnnotationSaveSerializer(serializers.Serializer):
    base_revision = serializers.IntegerField(allow_null=True, min_value=1)
    values = serializers.JSONField()
    submit = serializers.BooleanField(default=False)


class SaveResultSerializer(serializers.Serializer):
    revision = RevisionSerializer()
    assignment_state = serializers.CharField()


class RejectedSaveSerializer(serializers.Serializer):
    base_revision = serializers.IntegerField(allow_null=True)
    values = serializers.JSONField()
    submit = serializers.BooleanField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    latest = RevisionSerializer(allow_null=True)
    rejected = RejectedSaveSerializer()


class ValueErrorItemSerializer(serializers.Serializer):
    path = serializers.CharField()
    message = serializers.CharField()


class ValuesRejectedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = ValueErrorItemSerializer(many=True)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["accept", "reject", "adjudicate"])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    values = serializers.JSONField(required=False, help_text="adjudicate only: the final values")

    def validate(self, attrs: dict) -> dict:
        if "values" in attrs and attrs["action"] != "adjudicate":
            raise serializers.ValidationError({"values": "Only 'adjudicate' takes values."})
        return attrs


class AnnotatorProgressSerializer(serializers.Serializer):
    annotator = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    assigned = serializers.IntegerField()
    submitted = serializers.IntegerField()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    adjudicated = serializers.IntegerField()
