from django.urls import path

from . import selection_views, views

urlpatterns = [
    path("media/<int:asset_id>/prelabel/", views.AssetPrelabelView.as_view(), name="media-prelabel"),
    path("media/<int:asset_id>/jobs/", views.AssetJobsView.as_view(), name="media-prelabel-jobs"),
    path("media/<int:asset_id>/tracks/", views.AssetTracksView.as_view(), name="media-tracks"),
    path("tracks/<int:track_id>/data/", views.TrackDataView.as_view(), name="track-data"),
    path("tracks/<int:track_id>/crops/<path:name>", views.TrackCropView.as_view(), name="track-crop"),
    path("prelabelers/", views.PrelabelerListView.as_view(), name="prelabelers"),
    path(
        "projects/<int:project_id>/prelabel/",
        selection_views.ProjectPrelabelView.as_view(),
        name="project-prelabel",
    ),
]
