"""Transcripts as WebVTT (W3C WebVTT), for players and subtitle exports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def webvtt_timestamp(seconds: float) -> str:
    """``HH:MM:SS.mmm``; WebVTT allows hours of any width, so long recordings stay valid."""
    millis = max(0, int(round(seconds * 1000)))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _cue_text(text: str) -> str:
    """Escape what WebVTT cue text reserves, and keep a cue free of blank lines and '-->'."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines)


def webvtt_render(*, cues: Iterable[Mapping[str, Any]]) -> str:
    """A WebVTT document from rows with ``start`` (or ``time``), ``end`` and ``text``.

    Rows come straight from an ``asr`` segments track; empty texts are left out and cues are
    numbered from 1 in time order.
    """
    rows = sorted(cues, key=lambda row: float(row.get("start", row.get("time", 0.0))))
    blocks = ["WEBVTT"]
    number = 0
    for row in rows:
        text = _cue_text(str(row.get("text") or ""))
        if not text:
            continue
        start = float(row.get("start", row.get("time", 0.0)))
        end = max(float(row["end"]), start)
        number += 1
        blocks.append(f"{number}\n{webvtt_timestamp(start)} --> {webvtt_timestamp(end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def transcript_track_webvtt(*, track) -> str:
    """The WebVTT of a stored ``asr`` segments track."""
    from models_zoo.services.track_files import track_table_read

    return webvtt_render(cues=track_table_read(track=track).to_pylist())
