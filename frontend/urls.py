from django.urls import path

from . import views

app_name = "frontend"

urlpatterns = [
    path("", views.project_list_page, name="project-list"),
    path("projects/<int:project_id>/", views.project_page, name="project"),
]
