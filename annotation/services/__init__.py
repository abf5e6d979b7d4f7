"""Writes of the annotation app, one module per job; the schema ones are re-exported for callers."""

from annotation.services.schemas import (
    SchemaRejected,
    UnknownTemplate,
    schema_publish,
    schema_publish_template,
)

__all__ = ["SchemaRejected", "UnknownTemplate", "schema_publish", "schema_publish_template"]
