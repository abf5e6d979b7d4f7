from django.urls import path

from . import views

urlpatterns = [
    path("projects/<int:project_id>/media/", views.ProjectMediaView.as_view(), name="project-media"),
    path("media/<int:asset_id>/", views.MediaDetailView.as_view(), name="media-detail"),
    path("media/<int:asset_id>/files/<str:name>/", views.MediaFileView.as_view(), name="media-file"),
]
