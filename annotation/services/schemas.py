"""Writes for label schemas: publishing a new version, from a definition or a built-in template."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from annotation.models import LabelSchema
from annotation.schema import SchemaError, validate_schema
from annotation.schema.mapping import check_class_mapping
from annotation.selectors import label_schema_current
from annotation.templates_builtin import TEMPLATES, template_get
from projects.models import Project
from projects.permissions import Capability
from projects.selectors import user_can


class SchemaRejected(Exception):
    """A publish that cannot go through; ``errors`` carry JSON paths for the client."""

    def __init__(self, message: str, errors: list[SchemaError], unmapped: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.unmapped = unmapped or []


class UnknownTemplate(SchemaRejected):
    pass


@transaction.atomic
def schema_publish(
    *,
    project: Project,
    definition: Any,
    user: AbstractBaseUser,
    class_mapping: dict[str, str | None] | None = None,
    note: str = "",
    template: str = "",
) -> LabelSchema:
    """Validate ``definition`` and make it the project's next schema version.

    An identical definition returns the current version instead of adding a copy. A version
    that removes or renames a field or class of the previous one needs ``class_mapping``
    (see ``annotation.schema.mapping``); existing annotations keep the version they were made
    under, and the mapping is stored with the new version so exports can translate.
    """
    if not user_can(user=user, project=project, capability=Capability.CHANGE_SCHEMA):
        raise PermissionDenied("Only the project's owners may change its label schema.")
    errors = validate_schema(definition)
    if errors:
        raise SchemaRejected(f"The label schema has {len(errors)} problem(s).", errors)
    # Lock the project row so two publishers cannot both compute the same next version.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    previous = label_schema_current(project=project)
    mapping = class_mapping or {}
    if previous is not None and previous.definition == definition and not mapping:
        return previous
    if previous is None:
        if mapping:
            raise SchemaRejected(
                "class_mapping applies only when a previous version exists.",
                [SchemaError("class_mapping", "this project has no earlier schema version to map from")],
            )
    else:
        _require_mapping(previous, definition, mapping)
    return LabelSchema.objects.create(
        project=project,
        version=(previous.version + 1) if previous else 1,
        definition=definition,
        class_mapping=mapping,
        template=template,
        note=note,
        created_by=user,
    )


def _require_mapping(previous: LabelSchema, definition: dict, mapping: dict) -> None:
    check = check_class_mapping(previous.definition, definition, mapping)
    if check.ok:
        return
    if check.unmapped:
        listed = ", ".join(check.unmapped)
        message = (
            f"This change removes or renames what version {previous.version} had: {listed}. "
            "Send class_mapping saying what each becomes (a new id, or null to drop its labels); "
            "existing annotations keep their version and are translated with this mapping."
        )
    else:
        message = "class_mapping does not fit this change."
    raise SchemaRejected(message, check.errors, check.unmapped)


def schema_publish_template(
    *,
    project: Project,
    template: str,
    user: AbstractBaseUser,
    class_mapping: dict[str, str | None] | None = None,
    note: str = "",
) -> LabelSchema:
    """Publish a built-in template as the project's next version."""
    chosen = template_get(template)
    if chosen is None:
        known = ", ".join(TEMPLATES)
        raise UnknownTemplate(
            f"There is no built-in template '{template}'.",
            [SchemaError("template", f"unknown template '{template}'; expected one of: {known}")],
        )
    return schema_publish(
        project=project,
        definition=chosen.build(),
        user=user,
        class_mapping=class_mapping,
        note=note,
        template=chosen.slug,
    )
