"""Writes for projects and memberships."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import Membership, Project, Role


@transaction.atomic
def project_create(*, name: str, created_by: AbstractBaseUser, description: str = "") -> Project:
    """Create a project; its creator becomes its owner."""
    project = Project.objects.create(name=name, description=description, created_by=created_by)
    Membership.objects.create(project=project, user=created_by, role=Role.OWNER)
    return project


@transaction.atomic
def membership_set(*, project: Project, user: AbstractBaseUser, role: str) -> Membership:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(Role.values)}")
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership


_UPDATABLE = frozenset({"name", "description", "auto_prelabelers"})


@transaction.atomic
def project_update(*, project: Project, **changes: object) -> Project:
    """Apply validated changes to a project's editable fields."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(project, field, value)
    project.save(update_fields=[*changes, "updated_at"])
    return project
