"""What each role may do in a project: one table, checked everywhere.

Capabilities are named for actions rather than roles so that a view asks
"may this user upload here?" and the answer lives in one place.
"""

from __future__ import annotations

from enum import StrEnum

from .models import Role


class Capability(StrEnum):
    VIEW = "view"
    UPLOAD_MEDIA = "upload_media"
    MANAGE_MEMBERS = "manage_members"
    CHANGE_SCHEMA = "change_schema"
    EXPORT = "export"
    ANNOTATE = "annotate"
    REVIEW = "review"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OWNER: frozenset(Capability),
    Role.MANAGER: frozenset(
        {Capability.VIEW, Capability.UPLOAD_MEDIA, Capability.MANAGE_MEMBERS, Capability.REVIEW}
    ),
    Role.ANNOTATOR: frozenset({Capability.VIEW, Capability.ANNOTATE}),
    Role.REVIEWER: frozenset({Capability.VIEW, Capability.REVIEW}),
}


def role_allows(role: str | None, capability: Capability) -> bool:
    if role is None:
        return False
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
