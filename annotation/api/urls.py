from django.urls import path

from . import views

urlpatterns = [
    path("schema-templates/", views.SchemaTemplateListView.as_view(), name="schema-template-list"),
    path("projects/<int:project_id>/schema/", views.ProjectSchemaView.as_view(), name="project-schema"),
    path(
        "projects/<int:project_id>/schema/versions/",
        views.ProjectSchemaVersionListView.as_view(),
        name="project-schema-versions",
    ),
    path(
        "projects/<int:project_id>/schema/versions/<int:version>/",
        views.ProjectSchemaVersionDetailView.as_view(),
        name="project-schema-version",
    ),
]
