from rest_framework import serializers

from annotation.models import LabelSchema


class LabelSchemaSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    definition = serializers.JSONField(read_only=True)
    class_mapping = serializers.JSONField(read_only=True)

    class Meta:
        model = LabelSchema
        fields = [
            "id",
            "version",
            "definition",
            "class_mapping",
            "template",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class SchemaPublishSerializer(serializers.Serializer):
    """Either a full ``definition`` or the slug of a built-in ``template``."""

    definition = serializers.JSONField(required=False, help_text="a label-schema definition")
    template = serializers.CharField(required=False, max_length=64, help_text="slug of a built-in template")
    class_mapping = serializers.DictField(
        child=serializers.CharField(allow_null=True, max_length=200),
        required=False,
        help_text='what removed or renamed ids become: {"field.old_class": "new_class" or null}',
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate(self, attrs: dict) -> dict:
        has_definition, has_template = "definition" in attrs, "template" in attrs
        if has_definition == has_template:
            raise serializers.ValidationError("Send either 'definition' or 'template' (exactly one of them).")
        return attrs


class SchemaErrorItemSerializer(serializers.Serializer):
    path = serializers.CharField()
    message = serializers.CharField()


class SchemaRejectedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = SchemaErrorItemSerializer(many=True)
    unmapped = serializers.ListField(child=serializers.CharField(), required=False)


class SchemaTemplateSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    citation = serializers.CharField()
    definition = serializers.JSONField()
