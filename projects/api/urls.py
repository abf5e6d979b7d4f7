from django.urls import path

from . import views

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<int:project_id>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:project_id>/members/", views.MembershipListView.as_view(), name="membership-list"),
    path(
        "projects/<int:project_id>/members/<int:membership_id>/",
        views.MembershipDetailView.as_view(),
        name="membership-detail",
    ),
]
