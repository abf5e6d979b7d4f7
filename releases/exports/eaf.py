"""``eaf/<item_id>.eaf``: ELAN files for items with segment labels, written with pympi-ling.

One tier per field and annotator (``<field>@<annotator>``) plus ``<field>@consensus`` with the
aggregated segments, times in milliseconds. pympi stamps a new document with the current time;
it is replaced by a fixed date so that the same labels always give the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pympi.Elan import Eaf

from .bundle import ReleaseBundle
from .common import json_safe

FIXED_DATE = "2000-01-01T00:00:00+00:00"


def _segment_rows(bundle: ReleaseBundle) -> dict[str, dict[str, list]]:
    """item_id -> tier name -> segments, for every segments-kind field."""
    tiers: dict[str, dict[str, list]] = defaultdict(dict)
    names = [f["name"] for f in bundle.snapshot.definition.get("fields", []) if f["kind"] == "segments"]
    labels = bundle.snapshot.labels
    if not names or not len(labels):
        return tiers
    chosen = labels[labels["field"].isin(names)]
    for item_id, annotator, name, value in zip(
        chosen["item_id"], chosen["annotator"], chosen["field"], chosen["value"], strict=True
    ):
        tiers[item_id][f"{name}@{annotator}"] = value or []
    for name in names:
        frame = bundle.aggregated.get(name)
        if frame is None:
            continue
        for item_id, value in zip(frame["item_id"], frame["value"], strict=True):
            if str(item_id) in tiers:
                tiers[str(item_id)][f"{name}@consensus"] = json_safe(value) or []
    return tiers


def _document(tiers: dict[str, list]) -> Eaf:
    eaf = Eaf(author="AffectLab")
    eaf.adocument["DATE"] = FIXED_DATE
    for tier in sorted(tiers):
        eaf.add_tier(tier)
        for segment in sorted(tiers[tier], key=lambda s: (s["start"], s["end"], str(s.get("class")))):
            start, end = round(segment["start"] * 1000), round(segment["end"] * 1000)
            if end > start:
                eaf.add_annotation(tier, start, end, str(segment.get("class", "")))
    eaf.remove_tier("default")
    return eaf


def write_eaf(bundle: ReleaseBundle, out_dir: Path) -> None:
    for item_id, tiers in sorted(_segment_rows(bundle).items()):
        path = out_dir / "eaf" / f"{item_id}.eaf"
        path.parent.mkdir(parents=True, exist_ok=True)
        _document(tiers).to_file(str(path))
