"""``trace``: a continuous value (1-D) or point (2-D, e.g. valence x arousal) sampled while media plays.

Definition: ``rate_hz`` and ``dimensions`` (one or two ``{"name", "min", "max"}``).
Value: samples ``[[t, v], ...]`` (or ``[[t, valence, arousal], ...]``), times in seconds, strictly
increasing, spaced roughly at the declared rate: each gap between 0.5 and 2 sampling periods.
The labeling UI resamples what it records to the declared rate, so a wider gap means lost data.
"""

from __future__ import annotations

from typing import Any

from ..common import (
    FIELD_NAME,
    FIELD_NAME_RULE,
    TOLERANCE,
    check_list,
    check_name,
    check_object,
    check_text,
    is_number,
)
from ..errors import ErrorCollector, describe, join
from ..spans import as_list
from .base import KindSpec

MAX_RATE_HZ = 1000
MAX_SAMPLES = 1_000_000
MIN_GAP_PERIODS = 0.5
MAX_GAP_PERIODS = 2.0


def check_definition(field: dict, path: str, errors: ErrorCollector) -> None:
    if "rate_hz" in field:
        rate = field["rate_hz"]
        if not is_number(rate) or not 0 < rate <= MAX_RATE_HZ:
            errors.add(
                join(path, "rate_hz"),
                f"must be a number above 0 and at most {MAX_RATE_HZ}, got "
                f"{rate if is_number(rate) else describe(rate)}",
            )
    if "dimensions" in field:
        _check_dimensions(field["dimensions"], join(path, "dimensions"), errors)


def _check_dimensions(dims: Any, path: str, errors: ErrorCollector) -> None:
    if not check_list(dims, path, errors, min_items=1, max_items=2, what="dimensions"):
        return
    names: dict[str, int] = {}
    for index, dim in enumerate(dims):
        dim_path = join(path, index)
        if not check_object(
            dim,
            dim_path,
            errors,
            required=("name", "min", "max"),
            optional=("label", "description"),
            what="a dimension",
        ):
            continue
        check_text(dim, "label", dim_path, errors)
        check_text(dim, "description", dim_path, errors, limit=5000)
        name = dim.get("name")
        if "name" in dim and check_name(
            name, join(dim_path, "name"), errors, pattern=FIELD_NAME, rule=FIELD_NAME_RULE
        ):
            if name in names:
                errors.add(join(dim_path, "name"), f"duplicate dimension name '{name}'")
            names[name] = index
        _check_range(dim, dim_path, errors)


def _check_range(dim: dict, path: str, errors: ErrorCollector) -> None:
    ok = True
    for key in ("min", "max"):
        if key in dim and not is_number(dim[key]):
            errors.add(join(path, key), f"must be a number, got {describe(dim[key])}")
            ok = False
    if ok and "min" in dim and "max" in dim and dim["min"] >= dim["max"]:
        errors.add(join(path, "max"), f"must be greater than min ({dim['min']}), got {dim['max']}")


def dimension_names(field: dict) -> list[str]:
    return [d["name"] for d in field.get("dimensions", []) if isinstance(d, dict) and "name" in d]


def check_value(field: dict, value: Any, path: str, errors: ErrorCollector, duration: float | None) -> None:
    samples = as_list(value, path, errors, "samples [t, value...]")
    if samples is None:
        return
    if not samples:
        errors.add(path, "needs at least one sample")
        return
    if len(samples) > MAX_SAMPLES:
        errors.add(path, f"allows at most {MAX_SAMPLES} samples, got {len(samples)}")
        return
    dims = field["dimensions"]
    period = 1.0 / field["rate_hz"]
    previous: float | None = None
    for index, sample in enumerate(samples):
        time = _check_sample(sample, dims, join(path, index), errors, duration)
        if time is None:
            previous = None
            continue
        if previous is not None:
            _check_gap(previous, time, period, field["rate_hz"], join(path, index), errors)
        previous = time


def _check_sample(
    sample: Any, dims: list[dict], path: str, errors: ErrorCollector, duration: float | None
) -> float | None:
    """Validate one ``[t, v...]`` sample; return its time when the time itself is usable."""
    width = 1 + len(dims)
    if not isinstance(sample, list) or len(sample) != width:
        shape = "[t, " + ", ".join(d["name"] for d in dims) + "]"
        got = f"a list of {len(sample)}" if isinstance(sample, list) else describe(sample)
        errors.add(path, f"must be a sample {shape} of {width} numbers, got {got}")
        return None
    time = sample[0]
    usable = is_number(time) and time >= 0 and (duration is None or time <= duration + TOLERANCE)
    if not is_number(time):
        errors.add(join(path, 0), f"time must be a number of seconds, got {describe(time)}")
    elif time < 0:
        errors.add(join(path, 0), f"time must be at least 0, got {time}")
    elif not usable:
        errors.add(join(path, 0), f"time {time} is past the end of the media ({duration} s)")
    for offset, dim in enumerate(dims, start=1):
        number = sample[offset]
        if not is_number(number):
            errors.add(join(path, offset), f"{dim['name']} must be a number, got {describe(number)}")
        elif not dim["min"] - TOLERANCE <= number <= dim["max"] + TOLERANCE:
            errors.add(join(path, offset), f"{dim['name']} {number} is outside {dim['min']}..{dim['max']}")
    return time if usable else None


def _check_gap(
    previous: float, time: float, period: float, rate: float, path: str, errors: ErrorCollector
) -> None:
    if time <= previous:
        errors.add(
            join(path, 0),
            f"time {time} is not after the previous sample's ({previous}); "
            "samples must be in increasing time order",
        )
        return
    gap = time - previous
    if not MIN_GAP_PERIODS * period - TOLERANCE <= gap <= MAX_GAP_PERIODS * period + TOLERANCE:
        errors.add(
            join(path, 0),
            f"{gap:.6g} s after the previous sample; at {rate:g} Hz samples are expected every "
            f"{period:.6g} s (allowed {MIN_GAP_PERIODS * period:.6g}..{MAX_GAP_PERIODS * period:.6g} s)",
        )


SPEC = KindSpec(
    name="trace",
    scopes=("time",),
    required_keys=("rate_hz", "dimensions"),
    optional_keys=(),
    check_definition=check_definition,
    check_value=check_value,
    members=dimension_names,
    member_word="dimension",
    timed_value=True,
)
