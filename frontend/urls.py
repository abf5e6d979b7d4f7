from django.urls import path

from . import label_views, release_views, review_views, views

app_name = "frontend"

urlpatterns = [
    path("projects/<int:project_id>/releases/", release_views.releases_page, name="releases"),
    path("releases/<int:version_id>/report/", release_views.report_page, name="release-report"),
    path("", views.project_list_page, name="project-list"),
    path("projects/<int:project_id>/", views.project_page, name="project"),
    path("projects/<int:project_id>/label/", label_views.label_start_page, name="label-start"),
    path("assignments/<int:assignment_id>/label/", label_views.label_page, name="label"),
    path("projects/<int:project_id>/review/", review_views.review_page, name="review"),
]
