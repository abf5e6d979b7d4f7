"""``facs``: which action units are present, with FACS intensity A (trace) to E (maximum).

Definition: ``"units": [{"code": "AU12", "label": "Lip corner puller"},
{"code": "AD19", "label": "Tongue show", "intensity": false}]``; units score an intensity
unless they say ``"intensity": false`` (action descriptors are usually scored present/absent).
Value: ``{"AU6": "C", "AU12": "D", "AD19": true}``; an absent code means "not present".
Per segment: declare the field with ``"scope": "time"``.
"""

from __future__ import annotations

import re
from typing import Any

from ..common import check_bool, check_list, check_name, check_object, check_text
from ..errors import ErrorCollector, describe, join
from .base import KindSpec

UNIT_CODE = re.compile(r"^[A-Z]{1,3}[0-9]{1,3}[A-Z]?$")
UNIT_CODE_RULE = "must look like a FACS code: 1-3 capital letters then 1-3 digits (AU12, AD19, M55)"
INTENSITIES = ("A", "B", "C", "D", "E")
MAX_UNITS = 128


def check_definition(field: dict, path: str, errors: ErrorCollector) -> None:
    if "units" not in field:
        return
    units_path = join(path, "units")
    units = field["units"]
    if not check_list(units, units_path, errors, min_items=1, max_items=MAX_UNITS, what="units"):
        return
    codes: dict[str, int] = {}
    for index, unit in enumerate(units):
        unit_path = join(units_path, index)
        if not check_object(
            unit,
            unit_path,
            errors,
            required=("code",),
            optional=("label", "description", "intensity"),
            what="an action unit",
        ):
            continue
        check_text(unit, "label", unit_path, errors)
        check_text(unit, "description", unit_path, errors, limit=5000)
        check_bool(unit, "intensity", unit_path, errors)
        code = unit.get("code")
        code_path = join(unit_path, "code")
        if "code" in unit and check_name(code, code_path, errors, pattern=UNIT_CODE, rule=UNIT_CODE_RULE):
            if code in codes:
                errors.add(code_path, f"duplicate unit code '{code}' (first used at index {codes[code]})")
            else:
                codes[code] = index


def unit_codes(field: dict) -> list[str]:
    return [u["code"] for u in field.get("units", []) if isinstance(u, dict) and "code" in u]


def check_value(field: dict, value: Any, path: str, errors: ErrorCollector, duration: float | None) -> None:
    if not isinstance(value, dict):
        errors.add(path, f"must be an object of unit code -> intensity (A-E), got {describe(value)}")
        return
    units = {unit["code"]: unit.get("intensity", True) for unit in field["units"]}
    for code, level in value.items():
        item_path = join(path, code)
        if code not in units:
            errors.add(item_path, f"unknown action unit '{code}'")
        elif units[code]:
            if level not in INTENSITIES:
                errors.add(
                    item_path, f"intensity must be one of {', '.join(INTENSITIES)}, got {_show(level)}"
                )
        elif level is not True:
            errors.add(item_path, f"'{code}' is scored present or absent: use true, got {_show(level)}")


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else describe(value)


SPEC = KindSpec(
    name="facs",
    scopes=("item", "time"),
    required_keys=("units",),
    optional_keys=(),
    check_definition=check_definition,
    check_value=check_value,
    members=unit_codes,
    member_word="unit",
)
