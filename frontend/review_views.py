"""The review page: a reviewer's queue of submitted assignments with accept, reject and adjudicate.

The page is a shell filled by the TypeScript bundle from the assignment and review APIs, which
check the REVIEW capability again on every call. The page itself checks it too, so an annotator
who opens the address gets a 403 rather than an empty page, and a non-member gets a 404 that
does not reveal the project exists.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import ensure_csrf_cookie

from annotation.models import AssignmentState
from projects.permissions import Capability
from projects.selectors import project_list_for_user, user_can


@login_required
@ensure_csrf_cookie
def review_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(project_list_for_user(user=request.user), pk=project_id)
    if not user_can(user=request.user, project=project, capability=Capability.REVIEW):
        raise PermissionDenied("Your role in this project does not allow reviewing.")
    context = {"page": "review", "project": project, "states": AssignmentState.choices}
    return render(request, "frontend/review.html", context)
