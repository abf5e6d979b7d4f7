from django.urls import path

from . import chunked_views, import_views, utterance_views, views

urlpatterns = [
    path("projects/<int:project_id>/media/", views.ProjectMediaView.as_view(), name="project-media"),
    path("media/<int:asset_id>/", views.MediaDetailView.as_view(), name="media-detail"),
    path("media/<int:asset_id>/files/<str:name>/", views.MediaFileView.as_view(), name="media-file"),
    path(
        "media/<int:asset_id>/utterances/",
        utterance_views.AssetUtterancesView.as_view(),
        name="media-utterances",
    ),
    path(
        "projects/<int:project_id>/uploads/",
        chunked_views.ProjectUploadsView.as_view(),
        name="project-uploads",
    ),
    path("uploads/<uuid:upload_id>/", chunked_views.UploadDetailView.as_view(), name="chunked-upload-detail"),
    path(
        "uploads/<uuid:upload_id>/complete/",
        chunked_views.UploadCompleteView.as_view(),
        name="chunked-upload-complete",
    ),
    path(
        "projects/<int:project_id>/imports/",
        import_views.ManifestImportView.as_view(),
        name="project-imports",
    ),
    path("projects/<int:project_id>/texts/", import_views.TextImportView.as_view(), name="project-texts"),
]
