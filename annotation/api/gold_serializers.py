"""Serializers for gold items and the accuracy report; only owners and managers ever get these."""

from rest_framework import serializers

from annotation.models import GoldItem


class GoldItemSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", read_only=True)
    values = serializers.JSONField(read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = GoldItem
        fields = ["item", "values", "schema_version", "created_by", "created_at", "updated_at"]
        read_only_fields = fields


class GoldCreateSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, help_text="id of a media item of this project")
    values = serializers.JSONField(help_text="known answer: any subset of the current schema's fields")


class GoldUpdateSerializer(serializers.Serializer):
    values = serializers.JSONField(help_text="known answer: any subset of the current schema's fields")


class GoldErrorItemSerializer(serializers.Serializer):
    path = serializers.CharField()
    message = serializers.CharField()


class GoldRejectedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = GoldErrorItemSerializer(many=True)


class FieldAccuracySerializer(serializers.Serializer):
    n = serializers.IntegerField(help_text="gold answers scored for this field")
    score = serializers.FloatField(allow_null=True, help_text="mean score, 1 = always matches the gold")
    mae = serializers.FloatField(required=False, help_text="dimensional fields: mean absolute error")
    argmax_match = serializers.FloatField(
        required=False, help_text="soft categorical fields: share with the gold's most probable class"
    )


class AnnotatorAccuracySerializer(serializers.Serializer):
    annotator = serializers.CharField()
    items = serializers.IntegerField(help_text="gold items this annotator submitted")
    fields = serializers.DictField(child=FieldAccuracySerializer())
    overall = FieldAccuracySerializer()


class GoldAccuracySerializer(serializers.Serializer):
    gold_items = serializers.IntegerField()
    annotators = AnnotatorAccuracySerializer(many=True)
