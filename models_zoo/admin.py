from django.contrib import admin

from .models import PrelabelJob, Track


@admin.register(PrelabelJob)
class PrelabelJobAdmin(admin.ModelAdmin):
    list_display = ("id", "asset", "prelabeler", "version", "state", "progress", "device", "created_at")
    list_filter = ("state", "prelabeler", "device")
    search_fields = ("prelabeler", "params_hash", "asset__original_name")
    raw_id_fields = ("asset", "requested_by")
    filter_horizontal = ("depends_on",)
    readonly_fields = ("created_at", "updated_at", "started_at", "finished_at", "heartbeat_at")


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("id", "asset", "kind", "prelabeler", "version", "row_count", "created_at")
    list_filter = ("kind", "prelabeler")
    raw_id_fields = ("asset", "job")
    readonly_fields = ("created_at",)
