"""Admin for dataset versions (built content read-only) and a build action on projects."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from projects.admin import ProjectAdmin
from projects.models import Project

from .models import DatasetVersion, VersionState
from .services.versions import VersionRefused, VersionRequest, version_create

BUILT_FIELDS = (
    "project", "project_name", "version", "state", "progress", "progress_message", "error", "heartbeat",
    "attempts", "created_by", "created_at", "built_at", "counts", "files", "diff", "storage_prefix",
    "filters", "include_media", "seed", "dawid_skene",
)  # fmt: skip


@admin.register(DatasetVersion)
class DatasetVersionAdmin(admin.ModelAdmin):
    list_display = ["project_name", "version", "state", "progress", "created_at", "built_at"]
    list_filter = ["state", "include_media"]
    search_fields = ["project_name", "version", "notes"]
    fields = ["notes", *BUILT_FIELDS]

    def get_readonly_fields(self, request: HttpRequest, obj: DatasetVersion | None = None) -> tuple[str, ...]:
        """Everything the build wrote is read-only; a ready version's notes are too (it is immutable)."""
        if obj is not None and obj.state == VersionState.READY:
            return ("notes", *BUILT_FIELDS)
        return BUILT_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions are made by the project action, the API or the command line

    def has_delete_permission(self, request: HttpRequest, obj: DatasetVersion | None = None) -> bool:
        """A failed or stuck version may be removed to free its number; a ready one never."""
        if obj is not None and obj.state == VersionState.READY:
            return False
        return super().has_delete_permission(request, obj)


@admin.action(description="Build a new dataset version (minor)")
def build_minor_version(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Project]
) -> None:
    for project in queryset:
        try:
            version = version_create(project=project, user=request.user, request=VersionRequest(bump="minor"))
        except VersionRefused as exc:
            modeladmin.message_user(request, f"{project}: {exc}", messages.ERROR)
            continue
        modeladmin.message_user(request, f"{project}: version {version.version} queued.", messages.SUCCESS)


# Added to the projects app's registered admin from here, so the projects app does not depend on releases.
ProjectAdmin.actions = (*(ProjectAdmin.actions or ()), build_minor_version)
