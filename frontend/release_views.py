"""Browser pages for dataset releases: a project's versions (with the create form) and a version's report.

Both are shells filled by the TypeScript bundle from the release API, which checks access again
on every call. A release holds every annotator's labels, so under blind labeling both pages need
the REVIEW capability, as the API's read endpoints do: an annotator gets a 403, a non-member a
404. The create form is rendered only for members whose role carries the EXPORT capability, so
other members never receive it; the same right gates downloads, so the page offers download
links only to them.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import ensure_csrf_cookie

from annotation.models import AssignmentState
from ingest.models import AssetStatus, MediaAsset
from projects.models import Project, Role
from projects.permissions import Capability
from projects.selectors import project_list_for_user, user_can
from releases.models import DatasetVersion, IncludeMedia
from releases.services.versions import DEFAULT_REVIEW_STATES

BUMPS = (("minor", "Minor (x.Y.0)"), ("major", "Major (X.0.0)"), ("patch", "Patch (x.y.Z)"))
READ = Capability.REVIEW  # the release API's read right (releases/api/views.py)
# Above this many ready items the page offers typed item ids only: the subject picker carries
# every item id in the page, which would make it heavy.
SUBJECT_PICKER_LIMIT = 20_000


def _may_read(request: HttpRequest, project: Project) -> None:
    """A member who may not read releases gets a 403 rather than a shell whose API calls all fail."""
    if not user_can(user=request.user, project=project, capability=READ):
        raise PermissionDenied("Your role in this project does not allow reading its releases.")


@login_required
@ensure_csrf_cookie
def releases_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(project_list_for_user(user=request.user), pk=project_id)
    _may_read(request, project)
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
            "subjects": _subject_items(project),
        }
    return render(request, "frontend/releases.html", context)


def _subject_items(project: Project) -> list[tuple[str, str, int]] | None:
    """``(subject, "id id …", count)`` per subject of the ready items, or None for a large project.

    The API filters items by id only, so the page maps a chosen subject to its item ids. The
    subject is the one the release's splits group by: ``metadata.subject``, else the speaker.
    """
    rows = list(
        MediaAsset.objects.filter(project=project, status=AssetStatus.READY)
        .order_by("pk")
        .values_list("pk", "metadata__subject", "speaker")[: SUBJECT_PICKER_LIMIT + 1]
    )
    if len(rows) > SUBJECT_PICKER_LIMIT:
        return None
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for pk, subject, speaker in rows:
        key = str(subject) if subject not in (None, "") else speaker
        if key:
            groups[key].append(pk)
    return [(subject, " ".join(map(str, ids)), len(ids)) for subject, ids in sorted(groups.items())]


@login_required
@ensure_csrf_cookie
def report_page(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(
        DatasetVersion.objects.filter(project__in=project_list_for_user(user=request.user)).select_related(
            "project"
        ),
        pk=version_id,
    )
    _may_read(request, version.project)
    return render(
        request, "frontend/report.html", {"page": "report", "version": version, "project": version.project}
    )
