"""``transcripts/<item_id>.vtt``: WebVTT from each item's ASR segments track, where one exists."""

from __future__ import annotations

from pathlib import Path

from models_zoo.prelabelers.webvtt import webvtt_render

from .bundle import ReleaseBundle
from .common import write_text

ASR = ("asr", "segments")


def write_transcripts(bundle: ReleaseBundle, out_dir: Path) -> None:
    tracks = bundle.snapshot.tracks
    for item_id, prelabeler, kind, data in zip(
        tracks["item_id"], tracks["prelabeler"], tracks["kind"], tracks["data"], strict=True
    ):
        if (prelabeler, kind) == ASR and data is not None:
            write_text(
                out_dir / "transcripts" / f"{item_id}.vtt", webvtt_render(cues=data.to_dict("records"))
            )
