"""``manifest.json``: what the release is and the sha256 and size of every other file in it.

The manifest holds no build time (that lives on the version row), so the same inputs give
the same manifest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .bundle import ReleaseBundle
from .common import pretty_json, write_text

MANIFEST = "manifest.json"
# 2: raw and consensus traces are stored once, in traces/*.parquet; other tables refer to them
RELEASE_FORMAT = "affectlab-release/2"


def file_entry(path: Path, relative: str) -> dict:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return {"path": relative, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def folder_entries(out_dir: Path) -> list[dict]:
    """Every file under ``out_dir`` as {path, bytes, sha256}, sorted by its POSIX path."""
    paths = sorted(
        (p for p in out_dir.rglob("*") if p.is_file()), key=lambda p: p.relative_to(out_dir).as_posix()
    )
    return [file_entry(p, p.relative_to(out_dir).as_posix()) for p in paths]


def write_manifest(bundle: ReleaseBundle, out_dir: Path) -> list[dict]:
    """Write the manifest over the folder's files; return the entries of all files, manifest included."""
    entries = [entry for entry in folder_entries(out_dir) if entry["path"] != MANIFEST]
    write_text(out_dir / MANIFEST, pretty_json({
        "format": RELEASE_FORMAT,
        "project": {"id": bundle.project_id, "name": bundle.project_name},
        "version": bundle.version, "notes": bundle.notes, "seed": bundle.seed, "filters": bundle.filters,
        "review_states": bundle.snapshot.review_states, "include_media": bundle.include_media,
        "dawid_skene": bundle.dawid_skene, "schema_version": bundle.snapshot.schema_version,
        "counts": bundle.snapshot.counts, "files": entries,
    }))  # fmt: skip
    return sorted([*entries, file_entry(out_dir / MANIFEST, MANIFEST)], key=lambda e: e["path"])
