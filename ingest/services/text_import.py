"""Text items (dialogue utterances, posts) as first-class assets, imported from JSONL.

A text asset has no file to probe, so it is ``ready`` the moment it exists.
Its identity (``sha256``) is the hash of the words *and* their place in a
dialogue: re-importing a file changes nothing, while "yes." said at turn 2
and again at turn 7 stays two items. Every line is checked on its own and
reported with its line number, so one bad line never blocks the rest.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from ingest.models import AssetKind, AssetStatus, MediaAsset
from projects.models import Project

from .assets import AssetResult
from .filenames import display_name
from .metadata import parse_metadata

MAX_TEXT_CHARS = 100_000
MAX_LINE_BYTES = 256 * 1024
MAX_LABEL_CHARS = 200  # the model's max_length for speaker and dialogue_id
TEXT_FIELDS = ("text", "speaker", "dialogue_id", "turn", "start", "end")


class UtteranceError(ValueError):
    """One record that cannot become a text asset; the message is shown to the client."""


class ImportRejected(ValueError):
    """The whole file is unusable (too many lines, nothing in it); nothing is imported."""


@dataclass(frozen=True)
class Utterance:
    text: str
    speaker: str = ""
    dialogue_id: str = ""
    turn: int | None = None
    start: float | None = None
    end: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def content_sha256(self) -> str:
        """Hash of the words and their place; floats keep one spelling so 1 and 1.0 match."""
        canonical = {
            "dialogue_id": self.dialogue_id,
            "end": self.end,
            "speaker": self.speaker,
            "start": self.start,
            "text": self.text,
            "turn": self.turn,
        }
        encoded = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass
class ImportReport:
    """What an import did: ids created, ids that already existed, and per-line errors."""

    created: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, result: AssetResult) -> None:
        (self.created if result.created else self.existing).append(result.asset.pk)


def utterance_from_record(record: Any) -> Utterance:
    """Validate one decoded record; known keys become fields, every other key metadata."""
    if not isinstance(record, dict):
        raise UtteranceError(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None:
        raise UtteranceError("'text' is missing")
    if not isinstance(text, str) or not text.strip():
        raise UtteranceError("'text' must be a non-empty string")
    if len(text) > MAX_TEXT_CHARS:
        raise UtteranceError(f"'text' is longer than {MAX_TEXT_CHARS:,} characters")
    start, end = _seconds(record, "start"), _seconds(record, "end")
    if start is not None and end is not None and end < start:
        raise UtteranceError(f"'end' ({end}) is before 'start' ({start})")
    extra = {key: value for key, value in record.items() if key not in TEXT_FIELDS}
    try:
        metadata = parse_metadata(extra)
    except ValueError as exc:  # MetadataError, or a NaN that JSON cannot store
        raise UtteranceError(str(exc)) from exc
    return Utterance(
        text=text,
        speaker=_label(record, "speaker"),
        dialogue_id=_label(record, "dialogue_id"),
        turn=_turn(record),
        start=start,
        end=end,
        metadata=metadata,
    )


def _label(record: dict, key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise UtteranceError(f"'{key}' must be a string")
    value = str(value)
    if len(value) > MAX_LABEL_CHARS:
        raise UtteranceError(f"'{key}' is longer than {MAX_LABEL_CHARS} characters")
    return value


def _turn(record: dict) -> int | None:
    value = record.get("turn")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UtteranceError(f"'turn' must be an integer, got {json.dumps(value)}")
    if value < 0:
        raise UtteranceError("'turn' must not be negative")
    return value


def _seconds(record: dict, key: str) -> float | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UtteranceError(f"'{key}' must be a number of seconds, got {json.dumps(value)}")
    if value < 0:
        raise UtteranceError(f"'{key}' must not be negative")
    return float(value)


class TurnTracker:
    """Remembers the (dialogue, turn) pairs seen in one import, so a repeated turn is an error."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int], int] = {}

    def claim(self, utterance: Utterance, where: int) -> None:
        if utterance.turn is None:
            return
        key = (utterance.dialogue_id, utterance.turn)
        if key in self._seen:
            raise UtteranceError(
                f"dialogue '{utterance.dialogue_id}' already has turn {utterance.turn} "
                f"(line {self._seen[key]} of this file)"
            )
        self._seen[key] = where


def text_asset_create(
    *,
    project: Project,
    utterance: Utterance,
    uploaded_by: AbstractBaseUser | None,
    source_name: str = "",
) -> AssetResult:
    """Store one utterance as a ready text asset, or return the asset that already holds it.

    A different utterance already stored at the same dialogue turn is refused:
    two items claiming one turn would make the dialogue's order ambiguous.
    """
    sha256 = utterance.content_sha256()
    existing = MediaAsset.objects.filter(project=project, sha256=sha256).first()
    if existing is not None:
        return AssetResult(existing, created=False)
    _refuse_taken_turn(project, utterance)
    try:
        with transaction.atomic():
            asset = MediaAsset.objects.create(
                project=project,
                kind=AssetKind.TEXT,
                status=AssetStatus.READY,
                progress=100,
                sha256=sha256,
                size_bytes=len(utterance.text.encode("utf-8")),
                original_name=display_name(source_name) if source_name else "",
                text=utterance.text,
                speaker=utterance.speaker,
                dialogue_id=utterance.dialogue_id,
                turn=utterance.turn,
                start_seconds=utterance.start,
                end_seconds=utterance.end,
                metadata=utterance.metadata,
                uploaded_by=uploaded_by,
            )
    except IntegrityError:
        # The same utterance was stored by a concurrent request between our check and insert.
        return AssetResult(MediaAsset.objects.get(project=project, sha256=sha256), created=False)
    return AssetResult(asset, created=True)


def _refuse_taken_turn(project: Project, utterance: Utterance) -> None:
    if utterance.turn is None:
        return
    taken = (
        MediaAsset.objects.filter(
            project=project, kind=AssetKind.TEXT, dialogue_id=utterance.dialogue_id, turn=utterance.turn
        )
        .only("pk")
        .first()
    )
    if taken is not None:
        raise UtteranceError(
            f"dialogue '{utterance.dialogue_id}' turn {utterance.turn} already holds a different "
            f"utterance (asset {taken.pk}); delete it first to replace it"
        )


def read_lines(handle: IO[bytes], *, max_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes) without ever holding more than one bounded line in memory.

    A line longer than ``max_bytes`` yields ``None`` in place of its content,
    so the caller reports that line and carries on with the next one.
    """
    number = 0
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := handle.readline(max_bytes)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line


def decode_jsonl_line(raw: bytes | None, *, max_bytes: int = MAX_LINE_BYTES) -> Any:
    """One JSONL line to a Python value; every failure is an UtteranceError naming the cause."""
    if raw is None:
        raise UtteranceError(f"the line is longer than {max_bytes // 1024} KiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UtteranceError("the line is not valid UTF-8") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UtteranceError(f"not valid JSON: {exc.msg} at column {exc.colno}") from exc
    except RecursionError as exc:
        raise UtteranceError("the JSON is nested too deeply") from exc


def parse_utterance_lines(
    lines: Iterable[tuple[int, bytes | None]],
) -> list[tuple[int, Utterance | UtteranceError]]:
    """Decode and validate every non-blank line before anything is stored.

    Parsing first lets an over-long file be refused whole (nothing half-imported)
    and catches a turn repeated within the file before either copy is stored.
    """
    limit = int(settings.AFFECTLAB_MAX_MANIFEST_ROWS)
    turns = TurnTracker()
    parsed: list[tuple[int, Utterance | UtteranceError]] = []
    for number, raw in lines:
        if raw is not None and not raw.strip():
            continue
        if len(parsed) >= limit:
            raise ImportRejected(f"the file has more than {limit:,} lines; split it into smaller files")
        try:
            utterance = utterance_from_record(decode_jsonl_line(raw))
            turns.claim(utterance, number)
        except UtteranceError as exc:
            parsed.append((number, exc))
            continue
        parsed.append((number, utterance))
    if not parsed:
        raise ImportRejected("the file holds no utterances")
    return parsed


def texts_import_jsonl(
    *, project: Project, handle: IO[bytes], uploaded_by: AbstractBaseUser | None, source_name: str = ""
) -> ImportReport:
    """Import a JSONL file of utterances; each line stands alone and errors carry line numbers."""
    report = ImportReport()
    for number, item in parse_utterance_lines(read_lines(handle)):
        if isinstance(item, UtteranceError):
            report.errors.append({"line": number, "error": str(item)})
            continue
        try:
            report.add(
                text_asset_create(
                    project=project, utterance=item, uploaded_by=uploaded_by, source_name=source_name
                )
            )
        except UtteranceError as exc:
            report.errors.append({"line": number, "error": str(exc)})
    return report
