"""Serializers for project guidelines: Markdown in, Markdown plus sanitised HTML out."""

from rest_framework import serializers

from annotation.services.guidelines import MAX_MARKDOWN_CHARS


class GuidelinesSerializer(serializers.Serializer):
    markdown = serializers.CharField()
    html = serializers.CharField(help_text="rendered and sanitised; safe to insert as HTML")
    updated_at = serializers.DateTimeField()
    updated_by = serializers.CharField(allow_null=True, help_text="username of the last editor")


class StrictTextField(serializers.CharField):
    """Text only: a number or list is a client bug, not something to store as its repr."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class GuidelinesWriteSerializer(serializers.Serializer):
    markdown = StrictTextField(allow_blank=True, trim_whitespace=False, max_length=MAX_MARKDOWN_CHARS)
