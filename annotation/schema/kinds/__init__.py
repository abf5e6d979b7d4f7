"""The field kinds a label schema may use, by name."""

from __future__ import annotations

from . import categorical, dimensional, facs, segments, text, trace
from .base import KindSpec

KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (categorical.SPEC, dimensional.SPEC, segments.SPEC, trace.SPEC, facs.SPEC, text.SPEC)
}

__all__ = ["KINDS", "KindSpec"]
