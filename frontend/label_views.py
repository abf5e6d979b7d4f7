"""The labeling pages: one assignment's workspace, and the entry point that opens the next one.

Both are shells: the bundle reads everything through the API. The workspace page adds a
per-response style nonce to the CSP because the waveform library builds its timeline inside a
shadow root with its own ``<style>`` element; the nonce lets exactly that element apply while
``style-src`` keeps refusing inline styles everywhere else and ``script-src`` stays ``'self'``.
"""

from __future__ import annotations

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import ensure_csrf_cookie

from annotation.selectors import assignment_visible
from projects.selectors import project_list_for_user


@login_required
@ensure_csrf_cookie
@csp_update({"style-src": [NONCE]})
def label_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = assignment_visible(user=request.user, assignment_id=assignment_id)
    if assignment is None:
        raise Http404("No such assignment.")
    context = {
        "page": "label",
        "assignment": assignment,
        "project": assignment.project,
        "style_nonce": str(request.csp_nonce),
    }
    return render(request, "frontend/label.html", context)


@login_required
@ensure_csrf_cookie
def label_start_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """Finds the caller's next open assignment in the browser and moves on to its page."""
    project = get_object_or_404(project_list_for_user(user=request.user), pk=project_id)
    return render(request, "frontend/label.html", {"page": "label-start", "project": project})
