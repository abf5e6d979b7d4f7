"""Reads of label schemas, always through a project the caller may already see."""

from __future__ import annotations

from django.db.models import QuerySet

from annotation.models import LabelSchema
from projects.models import Project


def label_schema_versions(*, project: Project) -> QuerySet[LabelSchema]:
    """Every version, newest first."""
    return project.label_schemas.select_related("created_by").order_by("-version")


def label_schema_current(*, project: Project) -> LabelSchema | None:
    return label_schema_versions(project=project).first()


def label_schema_get(*, project: Project, version: int) -> LabelSchema | None:
    return label_schema_versions(project=project).filter(version=version).first()
