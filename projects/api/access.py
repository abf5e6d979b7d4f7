"""Project look-ups for API views: non-members get 404, members lacking a right get 403."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.exceptions import NotFound, PermissionDenied

from projects.models import Project
from projects.permissions import Capability, role_allows
from projects.selectors import project_list_for_user, project_role


def project_for(*, user: AbstractBaseUser, project_id: int | str, capability: Capability) -> Project:
    project = project_list_for_user(user=user).filter(pk=project_id).first()
    if project is None:
        raise NotFound("No such project.")
    if not role_allows(project_role(project=project, user=user), capability):
        raise PermissionDenied(f"Your role in this project does not allow '{capability}'.")
    return project
