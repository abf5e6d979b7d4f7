"""What a new schema version removes or renames, and the mapping that must account for it.

Annotations keep the version they were made under; nothing rewrites them. When a version drops
or renames a field, class, action unit, rating or trace dimension that the previous version had,
the publisher states what each old id becomes, so exports can translate old labels instead of
silently reading them with a new meaning. Keys name the old thing, values the new one (or null
to drop its labels):

    {"emotion.happy": "joy",      # class 'happy' of field 'emotion' is now class 'joy'
     "emotion.contempt": null,    # labels 'contempt' are dropped
     "mood": "affect",            # field 'mood' is now field 'affect' (same kind)
     "mood.calm": "relaxed"}      # ...whose class 'calm' is now 'relaxed'

A field whose kind changed counts as removed: its old values cannot be read as the new kind.
Each version stores the mapping from the version before it; translating across several
versions applies the mappings in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ErrorCollector, SchemaError, describe, join
from .kinds import KINDS

ROOT = "class_mapping"


@dataclass(frozen=True)
class MappingCheck:
    errors: list[SchemaError]
    unmapped: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_class_mapping(old: dict, new: dict, mapping: Any) -> MappingCheck:
    """Check ``mapping`` against what ``new`` drops from ``old`` (both valid definitions)."""
    errors = ErrorCollector()
    mapping = {} if mapping is None else mapping
    if not isinstance(mapping, dict):
        errors.add(ROOT, f"must be an object of old id -> new id or null, got {describe(mapping)}")
        return MappingCheck(errors.result(), [])
    for key, value in mapping.items():
        if value is not None and not isinstance(value, str):
            errors.add(join(ROOT, key), f"must be a new id or null, got {describe(value)}")
    if errors:
        return MappingCheck(errors.result(), [])
    checker = _Checker(old, new, mapping, errors)
    checker.run()
    return MappingCheck(errors.result(), checker.unmapped)


class _Checker:
    def __init__(self, old: dict, new: dict, mapping: dict, errors: ErrorCollector) -> None:
        self.old = {field["name"]: field for field in old["fields"]}
        self.new = {field["name"]: field for field in new["fields"]}
        self.mapping = mapping
        self.errors = errors
        self.unmapped: list[str] = []
        self.used: set[str] = set()
        self.dropped: set[str] = set()
        self.unresolved: set[str] = set()

    def run(self) -> None:
        for name, field in self.old.items():
            target = self._target_field(name, field)
            if target is not None:
                self._check_members(name, field, target)
        for key in self.mapping:
            if key not in self.used:
                self.errors.add(join(ROOT, key), self._why_not_needed(key))

    def _target_field(self, name: str, field: dict) -> dict | None:
        """The new field that holds this old field's labels; None when dropped or unresolved."""
        kept = self.new.get(name)
        if kept is not None and kept["kind"] == field["kind"]:
            return kept
        if name not in self.mapping:
            self.unmapped.append(name)
            self.unresolved.add(name)
            change = (
                "was removed or renamed"
                if kept is None
                else (f"changed kind from {field['kind']} to {kept['kind']}")
            )
            self.errors.add(
                join(ROOT, name),
                f"field '{name}' {change}: map it to a {field['kind']} field of the new version, "
                "or to null to drop its labels",
            )
            return None
        self.used.add(name)
        dest = self.mapping[name]
        if dest is None:
            self.dropped.add(name)
            return None
        target = self.new.get(dest)
        if target is None or target["kind"] != field["kind"]:
            self.unresolved.add(name)
        if target is None:
            self.errors.add(join(ROOT, name), f"the new version has no field '{dest}'")
            return None
        if target["kind"] != field["kind"]:
            self.errors.add(
                join(ROOT, name),
                f"'{dest}' is a {target['kind']} field but '{name}' was {field['kind']}; "
                "labels can only move to a field of the same kind",
            )
            return None
        return target

    def _check_members(self, name: str, field: dict, target: dict) -> None:
        spec = KINDS[field["kind"]]
        remaining = set(spec.members(target))
        renamed = target["name"] != name
        for member in spec.members(field):
            key = f"{name}.{member}"
            # Kept ids need no mapping; a renamed field may still remap ids it carries over.
            if member in remaining and not (renamed and key in self.mapping):
                continue
            if key not in self.mapping:
                self.unmapped.append(key)
                self.errors.add(
                    join(ROOT, key),
                    f"{spec.member_word} '{member}' of field '{name}' was removed or renamed: map it to "
                    f"a {spec.member_word} of '{target['name']}' in the new version, "
                    "or to null to drop its labels",
                )
                continue
            self.used.add(key)
            dest = self.mapping[key]
            if dest is not None and dest not in remaining:
                self.errors.add(join(ROOT, key), f"'{target['name']}' has no {spec.member_word} '{dest}'")

    def _why_not_needed(self, key: str) -> str:
        name, _, member = key.partition(".")
        if name not in self.old:
            return f"the previous version has no field '{name}'"
        if not member:
            return (
                f"field '{name}' is still in the new version with the same kind; only removed ones are mapped"
            )
        spec = KINDS[self.old[name]["kind"]]
        if name in self.unresolved:
            return f"map field '{name}' itself to a field of the new version first"
        if name in self.dropped:
            return f"field '{name}' is dropped, so its {spec.member_word}s need no mapping"
        if member not in spec.members(self.old[name]):
            return f"field '{name}' had no {spec.member_word} '{member}'"
        return (
            f"{spec.member_word} '{member}' of field '{name}' is still in the new version; "
            "only removed or renamed ones are mapped"
        )
