"""Typed results shared by every agreement measure.

A release prints these numbers into papers, so the types refuse to carry NaN or infinity: a measure
that cannot be computed says so in words (``value=None`` plus ``undefined_reason``) instead of
emitting a float that a JSON or CSV writer would print as ``NaN``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Basis = Literal["agreement", "disagreement"]


def _finite_or_none(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number or None, not {number!r}")
    return number


@dataclass(frozen=True, slots=True)
class ConfidenceInterval:
    """A percentile bootstrap interval over resampled items (units), with what is needed to redo it."""

    low: float
    high: float
    level: float
    n_resamples: int
    n_valid: int
    seed: int | None
    method: str = "percentile bootstrap, items resampled with replacement"

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", _finite_or_none("low", self.low))
        object.__setattr__(self, "high", _finite_or_none("high", self.high))

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "level": self.level,
            "n_resamples": self.n_resamples,
            "n_valid": self.n_valid,
            "seed": self.seed,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class AgreementResult:
    """One agreement figure.

    ``observed``/``expected`` are the observed and chance terms of the measure where it has them:
    P_o and P_e for kappas (``basis="agreement"``), D_o and D_e for Krippendorff's alpha
    (``basis="disagreement"``). ``n_items`` and ``n_annotators`` count what the figure was computed
    from, after dropping items and annotators that could not contribute.
    """

    measure: str
    value: float | None
    undefined_reason: str | None = None
    ci: ConfidenceInterval | None = None
    ci_undefined_reason: str | None = None
    n_items: int = 0
    n_annotators: int = 0
    observed: float | None = None
    expected: float | None = None
    basis: Basis | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("value", "observed", "expected"):
            object.__setattr__(self, name, _finite_or_none(name, getattr(self, name)))
        if self.value is None and not self.undefined_reason:
            raise ValueError("an undefined result needs an undefined_reason")
        if self.value is not None and self.undefined_reason:
            raise ValueError("a defined result carries no undefined_reason")

    @property
    def defined(self) -> bool:
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: numbers are finite floats or None, never NaN."""
        return {
            "measure": self.measure,
            "value": self.value,
            "undefined_reason": self.undefined_reason,
            "ci": self.ci.to_dict() if self.ci else None,
            "ci_undefined_reason": self.ci_undefined_reason,
            "n_items": self.n_items,
            "n_annotators": self.n_annotators,
            "observed": self.observed,
            "expected": self.expected,
            "basis": self.basis,
            "details": _json_safe(self.details),
        }


def _json_safe(value: Any) -> Any:
    """Details may hold numpy scalars or nested results; turn them into plain, NaN-free JSON values."""
    if isinstance(value, AgreementResult | ConfidenceInterval):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def undefined(measure: str, reason: str, **fields: Any) -> AgreementResult:
    """An explicit "undefined, because ..." result."""
    return AgreementResult(measure=measure, value=None, undefined_reason=reason, **fields)
