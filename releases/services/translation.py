"""Reading labels made under an older schema version with the newest version's meaning.

Each schema version stores the class mapping from the version before it (see
``annotation.schema.mapping``); a value made under version 2 of a project now at version 4 goes
through the mappings of versions 3 and 4 in turn. Per kind:

- categorical hard: the class is renamed, or the label dropped when it maps to null;
  multi: classes renamed, dropped ones removed (the label dropped when none is left);
  soft: probabilities of classes mapped together are summed, dropped classes removed and the
  rest renormalised to sum to 1 (the label dropped when nothing is left).
- segments: classes renamed; segments of a dropped class removed.
- dimensional / facs: ratings or units renamed; dropped ones removed.
- trace: dimensions keep their position; a dropped dimension's column is removed.
- fields with ``scope: "time"`` hold spans; each span's value is translated as above.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotation.schema.kinds import KINDS

Values = dict[str, Any]
DROP = object()


def _rename(member_map: dict[str, str | None], member: str) -> Any:
    if member in member_map:
        target = member_map[member]
        return DROP if target is None else target
    return member


def _categorical(field: dict, value: Any, member_map: dict) -> Any:
    if not isinstance(value, dict):
        return value
    out = dict(value)
    if "class" in value:
        new = _rename(member_map, value["class"])
        return DROP if new is DROP else {**out, "class": new}
    if "classes" in value:
        classes = []
        for cls in value["classes"]:
            new = _rename(member_map, cls)
            if new is not DROP and new not in classes:
                classes.append(new)
        if not classes:
            return DROP
        out["classes"] = classes
    if "distribution" in value:
        dist: dict[str, float] = {}
        for cls, p in value["distribution"].items():
            new = _rename(member_map, cls)
            if new is not DROP:
                dist[new] = dist.get(new, 0.0) + p
        total = sum(dist.values())
        if total <= 0:
            return DROP
        out["distribution"] = {cls: p / total for cls, p in dist.items()} if abs(total - 1) > 1e-9 else dist
    if isinstance(value.get("intensity"), dict):
        out["intensity"] = _rename_keys(value["intensity"], member_map)
    return out


def _rename_keys(mapping: dict, member_map: dict) -> dict:
    out = {}
    for key, item in mapping.items():
        new = _rename(member_map, key)
        if new is not DROP:
            out[new] = item
    return out


def _keyed(field: dict, value: Any, member_map: dict) -> Any:
    return _rename_keys(value, member_map) if isinstance(value, dict) else value


def _segments(field: dict, value: Any, member_map: dict) -> Any:
    if not isinstance(value, list):
        return value
    out = []
    for segment in value:
        new = _rename(member_map, segment.get("class"))
        if new is not DROP:
            out.append({**segment, "class": new})
    return out


def _trace(field: dict, value: Any, member_map: dict) -> Any:
    names = [dim["name"] for dim in field.get("dimensions", [])]
    keep = [i for i, name in enumerate(names) if _rename(member_map, name) is not DROP]
    if len(keep) == len(names) or not isinstance(value, list):
        return value
    if not keep:
        return DROP
    return [[sample[0], *(sample[i + 1] for i in keep)] for sample in value]


def _text(field: dict, value: Any, member_map: dict) -> Any:
    return value


BY_KIND: dict[str, Callable[[dict, Any, dict], Any]] = {
    "categorical": _categorical,
    "segments": _segments,
    "dimensional": _keyed,
    "facs": _keyed,
    "trace": _trace,
    "text": _text,
}


def _step(old_definition: dict, mapping: dict) -> Callable[[Values], Values]:
    """One version step: the previous version's values -> this version's."""
    fields = {field["name"]: field for field in old_definition.get("fields", [])}
    members: dict[str, dict[str, str | None]] = {}
    for key, target in mapping.items():
        name, dot, member = key.partition(".")
        if dot:
            members.setdefault(name, {})[member] = target

    def translate(values: Values) -> Values:
        out: Values = {}
        for name, value in values.items():
            new_name = mapping.get(name, name)
            if new_name is None:
                continue
            field = fields.get(name)
            member_map = members.get(name)
            if field is not None and member_map:
                value = _translate_value(field, value, member_map)
                if value is DROP:
                    continue
            out[new_name] = value
        return out

    return translate


def _translate_value(field: dict, value: Any, member_map: dict) -> Any:
    convert = BY_KIND.get(field["kind"], _text)
    timed_kind = KINDS[field["kind"]].timed_value if field["kind"] in KINDS else False
    if field.get("scope") == "time" and not timed_kind and isinstance(value, list):
        spans = []
        for span in value:
            new = convert(field, span.get("value"), member_map) if isinstance(span, dict) else DROP
            if new is not DROP:
                spans.append({**span, "value": new})
        return spans
    return convert(field, value, member_map)


def translator(schemas: list[tuple[int, dict, dict]]) -> Callable[[Values, int], Values]:
    """From (version, definition, class_mapping) rows, a function (values, made_under) -> newest values."""
    ordered = sorted(schemas, key=lambda row: row[0])
    steps = {}
    for (_, old_def, _), (version, _, mapping) in zip(ordered, ordered[1:], strict=False):
        steps[version] = _step(old_def, mapping or {})
    newest = ordered[-1][0] if ordered else 0

    def translate(values: Values, made_under: int) -> Values:
        for version in range(made_under + 1, newest + 1):
            if version in steps:
                values = steps[version](values)
        return values

    return translate
