"""Reads scoped to what a user may see: a foreign id is a 404 by construction."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from .models import Membership, Project
from .permissions import Capability, role_allows


def project_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Project]:
    return Project.objects.filter(pk__in=Membership.objects.filter(user=user).values("project_id"))


def project_list_with_counts(*, user: AbstractBaseUser) -> QuerySet[Project]:
    """The user's projects with their asset counts in one query (no N+1 on the project list)."""
    return project_list_for_user(user=user).annotate(asset_count=Count("assets"))


def project_role(*, project: Project, user: AbstractBaseUser) -> str | None:
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(project=project, user=user).only("role").first()
    return membership.role if membership else None


def user_can(*, user: AbstractBaseUser, project: Project, capability: Capability) -> bool:
    return role_allows(project_role(project=project, user=user), capability)
