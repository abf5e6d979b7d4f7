from django.urls import path

from . import annotation_views, assignment_views, gold_views, guidelines_views, views, workspace_views

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
    path(
        "projects/<int:project_id>/annotation-settings/",
        assignment_views.AnnotationSettingsView.as_view(),
        name="project-annotation-settings",
    ),
    path(
        "projects/<int:project_id>/assignments/",
        assignment_views.AssignmentListView.as_view(),
        name="project-assignments",
    ),
    path(
        "projects/<int:project_id>/assignments/generate/",
        assignment_views.AssignmentGenerateView.as_view(),
        name="project-assignments-generate",
    ),
    path(
        "projects/<int:project_id>/assignments/progress/",
        assignment_views.AssignmentProgressView.as_view(),
        name="project-assignments-progress",
    ),
    path("projects/<int:project_id>/queue/", assignment_views.QueueListView.as_view(), name="project-queue"),
    path(
        "projects/<int:project_id>/queue/next/",
        assignment_views.QueueNextView.as_view(),
        name="project-queue-next",
    ),
    path(
        "assignments/<int:assignment_id>/annotation/",
        annotation_views.AnnotationView.as_view(),
        name="assignment-annotation",
    ),
    path(
        "assignments/<int:assignment_id>/workspace/",
        workspace_views.WorkspaceView.as_view(),
        name="assignment-workspace",
    ),
    path(
        "assignments/<int:assignment_id>/review/",
        annotation_views.AssignmentReviewView.as_view(),
        name="assignment-review",
    ),
    path(
        "projects/<int:project_id>/guidelines/",
        guidelines_views.ProjectGuidelinesView.as_view(),
        name="project-guidelines",
    ),
    path("projects/<int:project_id>/gold/", gold_views.GoldListView.as_view(), name="project-gold"),
    path(
        "projects/<int:project_id>/gold/accuracy/",
        gold_views.GoldAccuracyView.as_view(),
        name="project-gold-accuracy",
    ),
    path(
        "projects/<int:project_id>/gold/<int:item_id>/",
        gold_views.GoldDetailView.as_view(),
        name="project-gold-item",
    ),
]
