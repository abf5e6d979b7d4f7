from django.contrib import admin

from annotation.models import (
    Annotation,
    AnnotationRevision,
    AnnotationSettings,
    Assignment,
    GoldItem,
    LabelSchema,
    ProjectGuidelines,
    QueuePlacement,
)


class ReadOnlyAdminMixin:
    """History rows (schema versions, revisions) are evidence: operators may read, never edit."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LabelSchema)
class LabelSchemaAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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


@admin.register(AnnotationSettings)
class AnnotationSettingsAdmin(admin.ModelAdmin):
    list_display = ["project", "overlap", "strategy", "updated_at"]
    list_filter = ["strategy"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "item", "annotator", "state", "reviewed_by", "created_at"]
    list_filter = ["state"]
    search_fields = ["project__name", "annotator__username", "item__original_name"]
    raw_id_fields = ["project", "item", "annotator", "reviewed_by"]


class RevisionInline(admin.TabularInline):
    """Revisions are append-only history: shown, never edited here."""

    model = AnnotationRevision
    extra = 0
    can_delete = False
    fields = ["number", "based_on", "submitted", "author", "idempotency_key", "created_at", "values"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["id", "assignment", "schema", "latest_number", "updated_at"]
    readonly_fields = ["assignment", "schema", "latest_number", "created_at", "updated_at"]
    inlines = [RevisionInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AnnotationRevision)
class AnnotationRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a revision is history, and editing one would rewrite what an annotator saved."""

    list_display = ["annotation", "number", "based_on", "submitted", "author", "created_at"]
    list_filter = ["submitted"]
    search_fields = ["author__username", "idempotency_key"]
    readonly_fields = [
        "annotation",
        "number",
        "values",
        "based_on",
        "submitted",
        "author",
        "idempotency_key",
        "request_hash",
        "created_at",
    ]


@admin.register(ProjectGuidelines)
class ProjectGuidelinesAdmin(admin.ModelAdmin):
    list_display = ["project", "updated_by", "updated_at"]
    search_fields = ["project__name"]
    readonly_fields = ["updated_at"]


@admin.register(GoldItem)
class GoldItemAdmin(admin.ModelAdmin):
    """Editable, but the API validates values against the schema: prefer it for changes."""

    list_display = ["item", "project", "schema_version", "created_by", "created_at"]
    list_filter = ["project"]
    raw_id_fields = ["item", "created_by"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(QueuePlacement)
class QueuePlacementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["assignment", "after_item_id"]
    raw_id_fields = ["assignment"]
