"""The label-schema language: validated JSON made of typed fields, and checks for their values.

``validate_schema(definition)`` returns every problem of a schema with its JSON path;
``validate_value(field, value)`` / ``validate_values(definition, values)`` check annotation
values against it. Each field kind lives in its own module under ``kinds/``.
"""

from .definition import validate_schema
from .errors import SchemaError
from .values import validate_value, validate_values

__all__ = ["SchemaError", "validate_schema", "validate_value", "validate_values"]
