"""Admin for dataset versions (built content read-only) and a build action on projects.

The action asks for the same choices as the API and the command line (number or bump, notes,
filters, media, seed, Dawid-Skene) on an intermediate page, and checks them with the API's own
serializer and the version service, so every way of creating a version refuses the same input.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template import engines
from django.template.response import TemplateResponse

from annotation.models import AssignmentState
from projects.admin import ProjectAdmin
from projects.models import Project

from .api.serializers import parse_item_ids, version_request_from
from .models import DatasetVersion, IncludeMedia, VersionState
from .services.semver import BUMPS
from .services.versions import DEFAULT_REVIEW_STATES, VersionRefused, version_create

BUILT_FIELDS = (
    "project", "project_name", "version", "state", "progress", "progress_message", "error", "heartbeat",
    "attempts", "created_by", "created_at", "built_at", "counts", "files", "diff", "storage_prefix",
    "filters", "include_media", "seed", "dawid_skene",
)  # fmt: skip


@admin.register(DatasetVersion)
class DatasetVersionAdmin(admin.ModelAdmin):
    list_display = ["project_name", "version", "state", "progress", "created_at", "built_at"]
    list_filter = ["state", "include_media"]
    search_fields = ["project_name", "version", "notes"]
    fields = ["notes", *BUILT_FIELDS]

    def get_readonly_fields(self, request: HttpRequest, obj: DatasetVersion | None = None) -> tuple[str, ...]:
        """Everything the build wrote is read-only; a ready version's notes are too (it is immutable)."""
        if obj is not None and obj.state == VersionState.READY:
            return ("notes", *BUILT_FIELDS)
        return BUILT_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions are made by the project action, the API or the command line

    def has_delete_permission(self, request: HttpRequest, obj: DatasetVersion | None = None) -> bool:
        """A failed or stuck version may be removed to free its number; a ready one never."""
        if obj is not None and obj.state == VersionState.READY:
            return False
        return super().has_delete_permission(request, obj)


# Service error keys -> form fields, so a refusal is shown beside what caused it.
FORM_FIELDS = {
    "version": "version", "bump": "bump", "notes": "notes", "include_media": "include_media",
    "seed": "seed", "dawid_skene": "dawid_skene", "filters.item_ids": "items",
    "filters.annotator_ids": "annotators", "filters.review_states": "review_states",
}  # fmt: skip

BUILD_TEMPLATE = """{% extends "admin/base_site.html" %}
{% block breadcrumbs %}<div class="breadcrumbs"><a href="{% url 'admin:index' %}">Home</a>
&rsaquo; <a href="{% url 'admin:projects_project_changelist' %}">Projects</a> &rsaquo; {{ title }}</div>
{% endblock %}
{% block content %}
<p>Projects: {% for project in projects %}<strong>{{ project }}</strong>{% if not forloop.last %}, {% endif %}
{% endfor %}</p>
{% if not single %}<p>Item and annotator filters can be chosen when a single project is selected.</p>
{% endif %}
<form method="post" id="build-version-form">{% csrf_token %}
{{ form.non_field_errors }}
<table>{{ form.as_table }}</table>
{% for project in projects %}<input type="hidden" name="{{ selected }}" value="{{ project.pk }}">{% endfor %}
<input type="hidden" name="action" value="{{ action }}">
<input type="hidden" name="apply" value="1">
<div class="submit-row"><input type="submit" class="default" value="Queue the build"></div>
</form>
{% endblock %}
"""


class BuildVersionForm(forms.Form):
    """What ``POST /api/projects/{id}/versions/`` takes; the filters only when one project is chosen."""

    version = forms.CharField(
        required=False, max_length=40, help_text="X.Y.Z above the latest; empty to bump the latest instead"
    )
    bump = forms.ChoiceField(choices=[(b, b) for b in BUMPS], initial="minor")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000)
    items = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="item ids, separated by commas or spaces, ranges like 10-20; empty for every item",
    )  # fmt: skip
    annotators = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="none ticked: every annotator"
    )
    review_states = forms.MultipleChoiceField(
        choices=AssignmentState.choices, initial=list(DEFAULT_REVIEW_STATES),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    include_media = forms.ChoiceField(choices=IncludeMedia.choices, initial=IncludeMedia.NONE)
    seed = forms.IntegerField(initial=0, min_value=0, max_value=2**31 - 1)
    dawid_skene = forms.BooleanField(required=False, label="Dawid-Skene for categorical fields")

    def __init__(self, *args: Any, project: Project | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project is None:
            del self.fields["items"], self.fields["annotators"]
            return
        members = project.memberships.select_related("user").order_by("user__username")
        self.fields["annotators"].choices = [
            (str(m.user_id), f"{m.user.get_username()} ({m.get_role_display()})") for m in members
        ]

    def clean_items(self) -> list[int] | None:
        text = self.cleaned_data.get("items") or ""
        try:
            ids = parse_item_ids(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return ids or None

    def request_data(self) -> dict[str, Any]:
        """The API's request body; a filter left empty is not sent, so it means "all"."""
        data = self.cleaned_data
        filters: dict[str, list] = {"review_states": list(data["review_states"])}
        if data.get("items"):
            filters["item_ids"] = data["items"]
        if data.get("annotators"):
            filters["annotator_ids"] = [int(user_id) for user_id in data["annotators"]]
        return {
            "version": data["version"] or None, "bump": data["bump"], "notes": data["notes"],
            "filters": filters, "include_media": data["include_media"], "seed": data["seed"],
            "dawid_skene": data["dawid_skene"],
        }  # fmt: skip


@admin.action(description="Build a new dataset version…", permissions=["change"])
def build_version(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Project]
) -> TemplateResponse | None:
    """Ask for the version's choices first; queue one version per selected project once they are valid."""
    projects = list(queryset.order_by("pk"))
    single = projects[0] if len(projects) == 1 else None
    form = BuildVersionForm(request.POST if "apply" in request.POST else None, project=single)
    if form.is_bound and form.is_valid() and _queue_versions(modeladmin, request, projects, form):
        return None  # back to the project list, where the messages say what was queued
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Build a new dataset version", "form": form, "projects": projects, "single": single,
        "opts": modeladmin.model._meta, "action": "build_version",
        "selected": helpers.ACTION_CHECKBOX_NAME,
    }  # fmt: skip
    return TemplateResponse(request, engines["django"].from_string(BUILD_TEMPLATE), context)


def _queue_versions(
    modeladmin: admin.ModelAdmin, request: HttpRequest, projects: list[Project], form: BuildVersionForm
) -> bool:
    """Queue the versions; False (errors on the form) when the only project's request is refused."""
    for project in projects:
        try:
            version = version_create(
                project=project, user=request.user, request=version_request_from(form.request_data())
            )
        except VersionRefused as exc:
            if len(projects) == 1:
                for key, message in exc.errors.items():
                    form.add_error(FORM_FIELDS.get(key), message)
                return False
            modeladmin.message_user(request, f"{project}: {exc}", messages.ERROR)
            continue
        modeladmin.message_user(request, f"{project}: version {version.version} queued.", messages.SUCCESS)
    return True


# Added to the projects app's registered admin from here, so the projects app does not depend on releases.
ProjectAdmin.actions = (*(ProjectAdmin.actions or ()), build_version)
