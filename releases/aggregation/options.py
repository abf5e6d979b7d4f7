"""How a field's annotations are combined into one consensus label per item."""

from __future__ import annotations

from dataclasses import dataclass

TIE_BREAKS = ("flag", "none")


@dataclass(frozen=True, slots=True)
class AggregationOptions:
    """Choices a release records so that its consensus labels can be rebuilt exactly.

    ``tie_break="flag"`` keeps the alphabetically-first of the tied classes and marks the item with
    ``"tie": true`` (so a user can drop or re-adjudicate it); ``"none"`` gives ``"class": null`` for ties.
    ``trace_rate_hz`` defaults to the field's declared ``rate_hz``. ``frame_s`` is the frame length of
    the grid on which segments are voted. ``seed`` is passed to anything stochastic (Dawid-Skene is
    deterministic given its input order, which is sorted).
    """

    dawid_skene: bool = False
    trace_rate_hz: float | None = None
    lag_compensation: bool = True
    max_lag_s: float = 3.0
    frame_s: float = 0.04
    tie_break: str = "flag"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.tie_break not in TIE_BREAKS:
            raise ValueError(f"tie_break must be one of {TIE_BREAKS}, not {self.tie_break!r}")
        if self.frame_s <= 0:
            raise ValueError("frame_s must be positive")
        if self.max_lag_s < 0:
            raise ValueError("max_lag_s must be 0 or positive")
        if self.trace_rate_hz is not None and self.trace_rate_hz <= 0:
            raise ValueError("trace_rate_hz must be positive")
