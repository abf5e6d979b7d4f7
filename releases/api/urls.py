from django.urls import path

from . import views

urlpatterns = [
    path("projects/<int:project_id>/versions/", views.ProjectVersionsView.as_view(), name="project-versions"),
    path("versions/<int:version_id>/", views.VersionDetailView.as_view(), name="version-detail"),
    path("versions/<int:version_id>/report/", views.VersionReportView.as_view(), name="version-report"),
    path("versions/<int:version_id>/download/", views.VersionDownloadView.as_view(), name="version-download"),
    path("versions/<int:version_id>/files/<path:path>", views.VersionFileView.as_view(), name="version-file"),
]
