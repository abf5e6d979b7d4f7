"""What a pre-labeler declares and what it is handed when it runs."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ingest.models import MediaAsset


class BadInput(ValueError):
    """The asset or parameters cannot be processed: the job fails with this message, no retry."""


@dataclass
class TrackOutput:
    """One time-indexed table a run produces; every table has a ``time`` column in seconds."""

    kind: str
    columns: dict[str, list]
    sample_rate: float | None = None
    duration_seconds: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # pyarrow type names where inference would guess


@dataclass
class RunContext:
    asset: MediaAsset
    params: dict[str, Any]
    model: Any
    device: str
    output_prefix: str  # storage folder for files besides the tracks (face crops...)
    upstream: Mapping[str, Path]  # "prelabeler/kind" -> local path of that Parquet file
    progress: Callable[[float], None]  # fraction 0..1; also keeps the job's heartbeat fresh


class Prelabeler(ABC):
    """Subclass, set the class attributes and implement ``run`` (and ``load_model`` if it has a model).

    ``inputs`` names what the asset must offer: ``"video"``, ``"audio"``, ``"text"`` or another
    pre-labeler's track as ``"track:<prelabeler>/<kind>"`` (that pre-labeler then runs first).
    """

    name: ClassVar[str]
    version: ClassVar[str]
    description: ClassVar[str] = ""
    inputs: ClassVar[tuple[str, ...]] = ()
    produces: ClassVar[tuple[str, ...]] = ()
    default_params: ClassVar[dict[str, Any]] = {}
    param_ranges: ClassVar[dict[str, tuple[float, float]]] = {}  # inclusive bounds of numeric parameters
    param_choices: ClassVar[dict[str, tuple[str, ...]]] = {}  # the only values a text parameter takes
    wants_gpu: ClassVar[bool] = False
    supports_cuda: ClassVar[bool] = False

    def clean_params(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Defaults overlaid with the request; unknown keys and wrong types are bad input."""
        params = dict(params or {})
        unknown = sorted(set(params) - set(self.default_params))
        if unknown:
            raise BadInput(f"Unknown parameter(s) for {self.name}: {', '.join(unknown)}.")
        cleaned = dict(self.default_params)
        for key, value in params.items():
            cleaned[key] = _coerce(self.name, key, value, self.default_params[key])
        for key, (low, high) in self.param_ranges.items():
            if not low <= cleaned[key] <= high:
                raise BadInput(f"Parameter {key!r} of {self.name} must be between {low} and {high}.")
        for key, allowed in self.param_choices.items():
            if cleaned[key] not in allowed:
                shown = ", ".join(repr(choice) for choice in allowed)
                raise BadInput(f"Parameter {key!r} of {self.name} must be one of {shown}.")
        return cleaned

    @classmethod
    def param_schema(cls) -> list[dict[str, Any]]:
        """Each parameter's type, default, bounds and choices, so that a client can build a form."""
        schema = []
        for key, default in cls.default_params.items():
            if isinstance(default, bool):
                kind = "boolean"
            elif isinstance(default, int):
                kind = "integer"
            elif isinstance(default, float):
                kind = "number"
            else:
                kind = "choice" if key in cls.param_choices else "text"
            low, high = cls.param_ranges.get(key, (None, None))
            schema.append({
                "name": key, "type": kind, "default": default, "min": low, "max": high,
                "choices": list(cls.param_choices.get(key, ())),
            })  # fmt: skip
        return schema

    def upstream(self) -> list[tuple[str, str]]:
        """(pre-labeler, track kind) pairs this one reads."""
        found = []
        for spec in self.inputs:
            if spec.startswith("track:"):
                name, _, kind = spec.removeprefix("track:").partition("/")
                found.append((name, kind))
        return found

    def model_key(self, params: Mapping[str, Any]) -> str:
        """What distinguishes one loaded model from another (e.g. a path); cached per worker process."""
        return ""

    def load_model(self, params: Mapping[str, Any], device: str) -> Any:
        return None

    @abstractmethod
    def run(self, ctx: RunContext) -> list[TrackOutput]:
        """Produce this pre-labeler's tracks for ``ctx.asset``; every pre-labeler defines it."""


def _coerce(name: str, key: str, value: Any, default: Any) -> Any:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(default, bool) and isinstance(value, bool):
        return value
    if isinstance(default, float) and not isinstance(default, bool) and number:
        return float(value)
    if isinstance(default, int) and not isinstance(default, bool) and number and float(value).is_integer():
        return int(value)
    if isinstance(default, str) and isinstance(value, str):
        return value
    if default is None:
        return value
    raise BadInput(f"Parameter {key!r} of {name} must be a {type(default).__name__}.")
