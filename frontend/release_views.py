"""Browser pages for dataset releases: a project's versions (with the create form) and a version's report.

Both are shells filled by the TypeScript bundle from the release API, which checks access again
on every call. The create form is rendered only for members whose role carries the EXPORT
capability, so other members never receive it; the same right gates downloads, so the page
offers download links only to them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import ensure_csrf_cookie

from annotation.models import AssignmentState
from projects.models import Role
from projects.permissions import Capability
from projects.selectors import project_list_for_user, user_can
from releases.models import DatasetVersion, IncludeMedia
from releases.services.versions import DEFAULT_REVIEW_STATES

BUMPS = (("minor", "Minor (x.Y.0)"), ("major", "Major (X.0.0)"), ("patch", "Patch (x.y.Z)"))


@login_required
@ensure_csrf_cookie
def releases_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(project_list_for_user(user=request.user), pk=project_id)
    can_export = user_can(user=request.user, project=project, capability=Capability.EXPORT)
    context: dict[str, object] = {"page": "releases", "project": project, "can_export": can_export}
    if can_export:
        # The release API's annotator filter takes user ids, which the members API does not expose.
        annotators = (
            project.memberships.filter(role=Role.ANNOTATOR).select_related("user").order_by("user__username")
        )
        context["create"] = {
            "bumps": BUMPS,
            "media": IncludeMedia.choices,
            "review_states": [
                (value, label, value in DEFAULT_REVIEW_STATES) for value, label in AssignmentState.choices
            ],
            "annotators": [(m.user_id, m.user.get_username()) for m in annotators],
        }
    return render(request, "frontend/releases.html", context)


@login_required
@ensure_csrf_cookie
def report_page(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(
        DatasetVersion.objects.filter(project__in=project_list_for_user(user=request.user)).select_related(
            "project"
        ),
        pk=version_id,
    )
    return render(
        request, "frontend/report.html", {"page": "report", "version": version, "project": version.project}
    )
