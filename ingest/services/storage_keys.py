"""Where an asset's files live in storage: derived from ids only, never from client input."""

from __future__ import annotations

from ingest.models import MediaAsset


def asset_prefix(asset: MediaAsset) -> str:
    return f"projects/{asset.project_id}/assets/{asset.uid}"


def original_key(asset: MediaAsset) -> str:
    return f"{asset_prefix(asset)}/original"


def derived_key(asset: MediaAsset, name: str) -> str:
    return f"{asset_prefix(asset)}/derived/{name}"
