"""Write a whole release folder from a bundle, in a fixed order; the manifest comes last."""

from __future__ import annotations

from pathlib import Path

from .bundle import ReleaseBundle
from .documents import write_documents
from .eaf import write_eaf
from .items_csv import write_items_csv
from .jsonl import raw_json_by_item, write_items_jsonl
from .labels_csv import write_labels_csv
from .manifest import write_manifest
from .parquet import write_parquet
from .stored_copies import write_media, write_tracks
from .traces import write_traces
from .transcripts import write_transcripts


def release_folder_write(bundle: ReleaseBundle, out_dir: Path) -> list[dict]:
    """Every file of the release under ``out_dir``; returns [{path, bytes, sha256}] of all of them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    raw = raw_json_by_item(bundle)
    write_items_jsonl(bundle, out_dir, raw)
    write_items_csv(bundle, out_dir)
    write_labels_csv(bundle, out_dir)
    write_parquet(bundle, out_dir, raw)
    write_traces(bundle, out_dir)
    write_eaf(bundle, out_dir)
    write_transcripts(bundle, out_dir)
    bundle.settle()  # the report may still be computing beside the writers above
    write_documents(bundle, out_dir)
    write_tracks(bundle, out_dir)
    write_media(bundle, out_dir)
    return write_manifest(bundle, out_dir)
