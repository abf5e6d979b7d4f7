"""Splitting a long recording into utterance items from its voice-activity segments.

Each utterance is a ``MediaAsset`` of the same project with ``parent`` set to the recording and
``start_seconds``/``end_seconds`` giving its range. It carries no media of its own: its ``derived``
files are the parent's (proxy, 16 kHz WAV, peaks), and a player shows the range with a media
fragment (``#t=start,end``). Nothing is cut or copied, so making utterances is instant, costs no
storage, and an item's times stay exact against the parent's tracks; the price is that a
pre-labeler run on an utterance item reads the parent's whole file, so run pre-labelers on the
recording and read its tracks over the item's range.

An item's identity is its parent and range (hashed into ``sha256``, unique per project), so
running the split again with the same parameters creates nothing new.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ingest.models import AssetKind, AssetStatus, MediaAsset

SPEECH, WINDOWS = "speech", "windows"
MODES = (SPEECH, WINDOWS)
DEFAULTS: dict[str, Any] = {
    "mode": SPEECH,
    "min_gap_s": 0.3,
    "pad_s": 0.1,
    "min_duration_s": 0.3,
    "max_duration_s": 30.0,
    "window_s": 10.0,
}


class UtteranceError(ValueError):
    """The request cannot be served as asked (wrong parameters, an asset that cannot be split)."""


class NoVoiceActivity(Exception):
    """The recording has no finished voice-activity track to split by yet."""


@dataclass(frozen=True)
class Span:
    start: float
    end: float


@dataclass
class UtteranceResult:
    parent: MediaAsset
    items: list[MediaAsset]
    created: int
    track_id: int
    params: dict[str, Any]


def utterance_params_clean(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The defaults overlaid with ``params``; unknown keys and out-of-range values are refused."""
    params = dict(params or {})
    unknown = sorted(set(params) - set(DEFAULTS))
    if unknown:
        raise UtteranceError(f"Unknown parameter(s): {', '.join(unknown)}.")
    cleaned = dict(DEFAULTS)
    mode = params.pop("mode", SPEECH)
    if mode not in MODES:
        raise UtteranceError(f"'mode' must be one of {', '.join(MODES)}.")
    cleaned["mode"] = mode
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise UtteranceError(f"'{key}' must be a number of seconds.")
        if value < 0:
            raise UtteranceError(f"'{key}' must not be negative.")
        cleaned[key] = float(value)
    if cleaned["window_s"] <= 0:
        raise UtteranceError("'window_s' must be more than 0.")
    if cleaned["max_duration_s"] and cleaned["max_duration_s"] < cleaned["min_duration_s"]:
        raise UtteranceError("'max_duration_s' must be 0 (no limit) or at least 'min_duration_s'.")
    return cleaned


def utterance_spans(
    segments: Iterable[tuple[float, float]], *, duration: float, params: Mapping[str, Any]
) -> list[Span]:
    """The item ranges for speech ``segments`` of a recording ``duration`` seconds long.

    ``speech``: segments closer than ``min_gap_s`` are merged, those shorter than
    ``min_duration_s`` dropped, the rest padded by ``pad_s`` on each side (within the recording and
    never over a neighbour: two paddings meeting split the gap in half) and cut into equal parts of
    at most ``max_duration_s`` (0: no limit). ``windows``: fixed ``window_s`` windows over the
    whole recording, keeping those that hold any speech.
    """
    ordered = sorted((max(0.0, s), min(duration, e)) for s, e in segments if e > s)
    ordered = [(s, e) for s, e in ordered if e > s]
    if params["mode"] == WINDOWS:
        return _windows(ordered, duration=duration, width=params["window_s"])
    merged: list[list[float]] = []
    for start, end in ordered:
        if merged and start - merged[-1][1] < params["min_gap_s"]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    kept = [(s, e) for s, e in merged if e - s >= params["min_duration_s"]]
    spans = []
    pad = params["pad_s"]
    for index, (start, end) in enumerate(kept):
        low = 0.0 if index == 0 else (kept[index - 1][1] + start) / 2
        high = duration if index == len(kept) - 1 else (end + kept[index + 1][0]) / 2
        spans.extend(_split(max(low, start - pad), min(high, end + pad), params["max_duration_s"]))
    return spans


def _windows(speech: list[tuple[float, float]], *, duration: float, width: float) -> list[Span]:
    spans = []
    for k in range(math.ceil(duration / width)):
        start, end = k * width, min(duration, (k + 1) * width)
        if any(s < end and e > start for s, e in speech):
            spans.append(Span(round(start, 3), round(end, 3)))
    return spans


def _split(start: float, end: float, longest: float) -> list[Span]:
    parts = max(1, math.ceil((end - start) / longest - 1e-9)) if longest else 1
    step = (end - start) / parts
    return [Span(round(start + i * step, 3), round(start + (i + 1) * step, 3)) for i in range(parts)]


def utterances_from_voice_activity(
    *, asset: MediaAsset, params: Mapping[str, Any] | None = None
) -> UtteranceResult:
    """Create (or find) one item per utterance of ``asset`` from its newest speech-segments track."""
    from models_zoo.models import JobState, Track
    from models_zoo.services.track_files import track_table_read

    cleaned = utterance_params_clean(params)
    if asset.kind not in (AssetKind.AUDIO, AssetKind.VIDEO) or asset.parent_id is not None:
        what = "an utterance item" if asset.parent_id is not None else f"a {asset.kind} asset"
        raise UtteranceError(
            f"Only a whole audio or video recording can be split; asset {asset.pk} is {what}."
        )
    if asset.status != AssetStatus.READY:
        raise NoVoiceActivity(f"Asset {asset.pk} is not ready yet ({asset.status}).")
    track = (
        Track.objects.filter(
            asset=asset, prelabeler="voice_activity", kind="speech_segments", job__state=JobState.SUCCEEDED
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if track is None:
        raise NoVoiceActivity(
            f"Asset {asset.pk} has no finished voice-activity track yet; run the voice_activity "
            "pre-labeler on it first."
        )
    table = track_table_read(track=track)
    rows = zip(table.column("start").to_pylist(), table.column("end").to_pylist(), strict=True)
    duration = float(asset.duration_seconds or track.duration_seconds or 0.0)
    spans = utterance_spans(rows, duration=duration, params=cleaned)
    items, created = [], 0
    with transaction.atomic():
        for turn, span in enumerate(spans):
            item, made = _utterance_get_or_create(parent=asset, span=span, turn=turn, track_id=track.pk)
            items.append(item)
            created += made
    return UtteranceResult(parent=asset, items=items, created=created, track_id=track.pk, params=cleaned)


def _utterance_get_or_create(
    *, parent: MediaAsset, span: Span, turn: int, track_id: int
) -> tuple[MediaAsset, bool]:
    identity = f"utterance:{parent.sha256}:{span.start:.3f}:{span.end:.3f}"
    sha256 = hashlib.sha256(identity.encode()).hexdigest()
    base = parent.original_name or str(parent.uid)
    return MediaAsset.objects.get_or_create(
        project_id=parent.project_id,
        sha256=sha256,
        defaults={
            "parent": parent,
            "kind": parent.kind,
            "status": AssetStatus.READY,
            "progress": 100,
            "original_name": f"{base} [{span.start:.2f}-{span.end:.2f}]"[:255],
            "derived": dict(parent.derived or {}),
            "duration_seconds": round(span.end - span.start, 3),
            "start_seconds": span.start,
            "end_seconds": span.end,
            "speaker": parent.speaker,
            "dialogue_id": parent.dialogue_id or str(parent.uid),
            "turn": turn,
            "metadata": {
                "utterance_of": parent.pk,
                "source_track": track_id,
                "media_fragment": f"#t={span.start:.3f},{span.end:.3f}",
            },
            "uploaded_by": parent.uploaded_by,
        },
    )
