"""Building a dataset version: snapshot -> aggregation -> splits -> report -> quality -> files.

``version_build`` is what the Celery task calls: it claims the version, builds the release
folder in a local work folder, stores it under the version's prefix, computes the diff to the
previous ready version and marks the version ready, reporting progress with a message at each
step. Any failure leaves the version ``failed`` with a reason a person can read; nothing is
swallowed. ``bundle_build`` is the pure part (no database writes), shared by the task, the
command line and the benchmark.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
from django.db import DatabaseError

from ingest.services.local_files import work_dir

from ..exports.bundle import ReleaseBundle
from ..exports.folder import release_folder_write
from ..models import DatasetVersion
from .diff import version_diff
from .folder_storage import folder_clear, folder_store
from .progress import BuildClaim, ClaimLost, version_claim
from .snapshot import Snapshot, snapshot_read

log = logging.getLogger(__name__)

Report = Callable[[int, str], None]
AGGREGATED_COLUMNS = ["item_id", "value", "method", "n_annotations"]


class BuildFailed(Exception):
    """A build cannot finish for a reason the user can act on; the message says which."""


def _quiet(percent: int, message: str) -> None:
    return None


def stratify_field_of(definition: dict) -> str | None:
    """The first categorical field: splits keep its majority labels balanced where they can."""
    return next((f["name"] for f in definition.get("fields", []) if f["kind"] == "categorical"), None)


def aggregate_all(
    snapshot: Snapshot, *, dawid_skene: bool, seed: int, report: Report
) -> dict[str, pd.DataFrame]:
    from releases.aggregation import AggregationOptions, aggregate_field

    options = AggregationOptions(dawid_skene=dawid_skene, seed=seed)
    fields = snapshot.definition.get("fields", [])
    by_field = dict(iter(snapshot.labels.groupby("field", sort=True))) if len(snapshot.labels) else {}
    aggregated: dict[str, pd.DataFrame] = {}
    for index, field in enumerate(fields):
        report(15 + 35 * index // max(1, len(fields)), f"Aggregating field '{field['name']}'.")
        rows = by_field.get(field["name"])
        if rows is None or not len(rows):
            aggregated[field["name"]] = pd.DataFrame(columns=AGGREGATED_COLUMNS)
            continue
        aggregated[field["name"]] = aggregate_field(
            field, rows.reset_index(drop=True), options=options, trace_arrays=True
        )
    return aggregated


def bundle_build(
    *, version: DatasetVersion, snapshot: Snapshot, report: Report = _quiet, n_resamples: int = 1000
) -> ReleaseBundle:
    """Everything the release folder holds, computed from one snapshot (no database writes)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="release-report") as pool:
        bundle = _bundle_started(
            version=version, snapshot=snapshot, report=report, n_resamples=n_resamples, pool=pool
        )
        bundle.settle()
    return bundle


def _bundle_started(
    *,
    version: DatasetVersion,
    snapshot: Snapshot,
    report: Report,
    n_resamples: int,
    pool: ThreadPoolExecutor,
) -> ReleaseBundle:
    """The bundle with its agreement report still being computed on ``pool``.

    The report reads the snapshot and the consensus and nothing else, and most of its time is
    spent in numpy calls that release the GIL, so it runs beside the splits and the writing of
    every data file; the folder writer waits for it (``ReleaseBundle.settle``) only before the
    report files themselves.
    """
    from releases.quality import prelabel_quality
    from releases.splits import assign_splits

    aggregated = aggregate_all(snapshot, dawid_skene=version.dawid_skene, seed=version.seed, report=report)
    report(50, "Computing agreement statistics; assigning train/validation/test splits meanwhile.")
    tracks = snapshot.tracks[["item_id", "prelabeler", "version", "kind", "data"]]
    pending = pool.submit(
        _agreement_report, snapshot, aggregated, tracks, seed=version.seed, n_resamples=n_resamples
    )
    stratify = stratify_field_of(snapshot.definition)
    splits = assign_splits(
        snapshot.items, labels=snapshot.labels, stratify_field=stratify, seed=version.seed
    ) if len(snapshot.items) else {}  # fmt: skip
    report(60, "Comparing pre-labelers with the human consensus.")
    quality = prelabel_quality(snapshot.definition, aggregated, tracks) if len(tracks) else []
    return ReleaseBundle(
        project_id=version.project_id, project_name=version.project_name, version=version.version,
        notes=version.notes, filters=version.filters, include_media=version.include_media, seed=version.seed,
        dawid_skene=version.dawid_skene, snapshot=snapshot, aggregated=aggregated,
        splits={str(k): v for k, v in splits.items()}, stratify_field=stratify, report={},
        report_html="", prelabel_quality=quality, pending_report=pending,
    )  # fmt: skip


def _agreement_report(
    snapshot: Snapshot, aggregated: dict, tracks: pd.DataFrame, *, seed: int, n_resamples: int
) -> tuple[dict, str]:
    """The report and its HTML; reads only what it is given (no database, no files)."""
    from releases.report import build_report, render_report_html

    agreement = build_report(
        snapshot.definition, snapshot.labels.copy(deep=False), snapshot.items, seed=seed,
        n_resamples=n_resamples, tracks=tracks, aggregated=aggregated,
    )  # fmt: skip
    return agreement, render_report_html(agreement)


def release_build_to(
    *, version: DatasetVersion, out_dir: Path, report: Report = _quiet
) -> tuple[Snapshot, list[dict]]:
    """Read the project and write the whole release folder under a local ``out_dir``."""
    report(5, "Reading items, annotations and tracks.")
    snapshot = snapshot_read(project_id=version.project_id, filters=version.filters or {})
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="release-report") as pool:
        bundle = _bundle_started(
            version=version, snapshot=snapshot, report=report, n_resamples=1000, pool=pool
        )
        report(65, "Writing JSONL, CSV, Parquet, ELAN, WebVTT and report files.")
        entries = release_folder_write(bundle, out_dir)
    return snapshot, entries


def version_build(*, version_id: int) -> str:
    """Build one version end to end; returns its final state ('ready', 'failed' or 'skipped')."""
    claim = version_claim(version_id=version_id)
    if claim is None:
        log.info("dataset version %s is not claimable (ready, failed or being built)", version_id)
        return "skipped"
    try:
        _build_claimed(claim)
    except ClaimLost:
        log.warning("dataset version %s was taken over by another worker", version_id)
        return "skipped"
    except BuildFailed as exc:
        claim.fail(str(exc))
        return "failed"
    except DatabaseError as exc:
        log.exception("dataset version %s failed on a database error", version_id)
        claim.fail(f"The build stopped on a database error ({type(exc).__name__}: {exc}); try again later.")
        return "failed"
    except Exception as exc:
        log.exception("dataset version %s failed", version_id)
        claim.fail(f"The build stopped on an unexpected error ({type(exc).__name__}: {exc}).")
        return "failed"
    return "ready"


def _build_claimed(claim: BuildClaim) -> None:
    version = DatasetVersion.objects.get(pk=claim.version_id)
    if not version.storage_prefix:
        raise BuildFailed("This version has no storage folder assigned; create it through the API or admin.")
    with work_dir() as tmp:
        out_dir = tmp / "release"
        snapshot, entries = release_build_to(version=version, out_dir=out_dir, report=claim.report)
        claim.report(88, "Storing the release files.")
        folder_clear(version.storage_prefix)
        folder_store(version.storage_prefix, out_dir, entries)
    claim.report(95, "Comparing with the previous version.")
    diff = version_diff(version=version, snapshot=snapshot)
    claim.finish(
        counts=snapshot.counts, files=entries, diff=diff,
        progress_message=f"Ready: {len(entries)} files. {diff['summary']}"[:300],
    )  # fmt: skip
