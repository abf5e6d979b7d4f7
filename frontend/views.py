"""Browser pages: thin shells whose behaviour comes from the Vite-built TypeScript bundle."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import ensure_csrf_cookie

from projects.selectors import project_list_for_user


@login_required
@ensure_csrf_cookie
def project_list_page(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/project_list.html", {"page": "project-list"})


@login_required
@ensure_csrf_cookie
def project_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(project_list_for_user(user=request.user), pk=project_id)
    return render(request, "frontend/project.html", {"page": "project", "project": project})
