from django.contrib import admin

from ingest.models import ChunkedUpload, MediaAsset


@admin.register(MediaAsset)
class MediaAssetAdmin(admin.ModelAdmin):
    list_display = ["id", "original_name", "project", "kind", "status", "progress", "created_at"]
    list_filter = ["status", "kind", "project"]
    search_fields = ["original_name", "sha256", "text", "speaker", "dialogue_id"]
    readonly_fields = ["uid", "sha256", "size_bytes", "probe", "derived", "heartbeat_at", "attempts"]
    actions = ["reprocess"]

    @admin.action(description="Re-run processing")
    def reprocess(self, request, queryset) -> None:
        from ingest.services.processing import asset_reset_for_retry
        from ingest.tasks import start_processing

        for asset in queryset.exclude(kind="text"):
            if asset_reset_for_retry(asset_id=asset.pk):
                start_processing(asset.pk)


@admin.register(ChunkedUpload)
class ChunkedUploadAdmin(admin.ModelAdmin):
    list_display = ["uid", "original_name", "project", "status", "received_bytes", "size_bytes", "created_at"]
    list_filter = ["status"]
