"""The JSON and HTML documents of a release: schema, report, pre-labeler quality, splits, tracks."""

from __future__ import annotations

from pathlib import Path

from .bundle import ReleaseBundle
from .common import pretty_json, safe_name, write_text


def write_documents(bundle: ReleaseBundle, out_dir: Path) -> None:
    snapshot = bundle.snapshot
    write_text(out_dir / "schema.json", pretty_json(
        {"schema_version": snapshot.schema_version, "definition": snapshot.definition}
    ))  # fmt: skip
    write_text(out_dir / "report.json", pretty_json(bundle.report))
    write_text(out_dir / "report.html", bundle.report_html)
    write_text(out_dir / "prelabel_quality.json", pretty_json(bundle.prelabel_quality))
    counts: dict[str, int] = {}
    for split in bundle.splits.values():
        counts[split] = counts.get(split, 0) + 1
    write_text(out_dir / "splits.json", pretty_json({
        "format": "affectlab-splits/1", "seed": bundle.seed, "stratify_field": bundle.stratify_field,
        "counts": counts, "items": bundle.splits,
    }))  # fmt: skip
    tracks = snapshot.tracks
    write_text(out_dir / "tracks.json", pretty_json([
        {"item_id": item_id, "prelabeler": prelabeler, "version": version, "kind": kind,
         "path": f"tracks/{item_id}/{safe_name(prelabeler)}__{safe_name(kind)}.parquet"}
        for item_id, prelabeler, version, kind in zip(
            tracks["item_id"], tracks["prelabeler"], tracks["version"], tracks["kind"], strict=True
        )
    ]))  # fmt: skip
