from django.contrib import admin

from annotation.models import LabelSchema


@admin.register(LabelSchema)
class LabelSchemaAdmin(admin.ModelAdmin):
    """Read-only: versions are append-only and published through the API so they are validated."""

    list_display = ["project", "version", "template", "created_by", "created_at"]
    list_filter = ["template"]
    search_fields = ["project__name", "note"]
    readonly_fields = [
        "project",
        "version",
        "definition",
        "class_mapping",
        "template",
        "note",
        "created_by",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
