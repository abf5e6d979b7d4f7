#!/usr/bin/env python
"""Release benchmark: building a dataset version against the floor of reading the same rows.

Prints ratios measured side by side in one run; nothing is asserted, so a missed goal shows up
as a number to explain rather than as a flaky failure.

a. Build vs. read floor: a project of N items x 3 annotators (a soft categorical over 7 classes,
   three 1-9 ratings, a 60-second trace at 10 Hz), made with bulk inserts, is released by
   ``releases.services.build.version_build`` (snapshot, aggregation, splits, agreement report,
   every export, storing, diff) and compared with the floor: one pass over the same item and
   latest-revision rows with ``values_list`` (JSON decoded, as any reader must). Goal <= 3x.
b. Scaling (``--large``): the same at 100,000 items; goal: build time <= 11x the 10,000 time.

Wall-clock and CPU seconds are printed for both sides (on a shared machine the CPU ratio is the steadier
one), with the process's peak resident set.

Everything runs in a temporary AFFECTLAB_VAR_DIR (its own SQLite file and media folder), so
nothing touches var/ and no running worker picks anything up.

    .venv/bin/python bench/release.py [--items 10000] [--large] [--keep]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import local_server  # noqa: E402

PY = sys.executable
ANNOTATORS = 3
PROFILE_TO: str | None = None  # --profile: where the build's cProfile statistics go
TRACE_SECONDS, TRACE_HZ = 60, 10
RATINGS = ("valence", "arousal", "dominance")
CLASSES = ["neutral", "happy", "sad", "fearful", "angry", "surprised", "disgusted"]
SCRUBBED = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AFFECTLAB_MEDIA_ROOT",
    "AFFECTLAB_STAGING_DIR",
    "AFFECTLAB_IMPORT_ROOT",
    "DJANGO_SETTINGS_MODULE",
)
DEFINITION = {
    "fields": [
        {"name": "emotion", "kind": "categorical", "scope": "item", "mode": "soft",
         "classes": [{"id": c} for c in CLASSES]},
        {"name": "vad", "kind": "dimensional", "scope": "item",
         "ratings": [{"name": n, "min": 1, "max": 9, "step": 1} for n in RATINGS]},
        {"name": "valence_trace", "kind": "trace", "scope": "time", "rate_hz": TRACE_HZ,
         "dimensions": [{"name": "valence", "min": -1, "max": 1}]},
    ]
}  # fmt: skip


def isolate_environment(var_dir: Path) -> None:
    local_server.isolate_environment(var_dir, scrubbed=SCRUBBED)


def migrate() -> None:
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)


def annotation_values(rng: random.Random, item: int) -> dict:
    """Plausible labels: a peaked distribution, ratings around an item mean, a smooth noisy trace."""
    weights = [rng.random() ** 3 for _ in CLASSES]
    weights[item % len(CLASSES)] += 2
    total = sum(weights)
    distribution = {c: round(w / total, 4) for c, w in zip(CLASSES, weights, strict=True)}
    distribution[CLASSES[0]] = round(1 - sum(v for c, v in distribution.items() if c != CLASSES[0]), 4)
    mean = 2 + item % 6
    ratings = {
        n: min(9, max(1, mean + rng.choice((-1, 0, 0, 1)))) for n in ("valence", "arousal", "dominance")
    }
    level, trace = rng.uniform(-0.5, 0.5), []
    for step in range(TRACE_SECONDS * TRACE_HZ):
        level = max(-1.0, min(1.0, level + rng.uniform(-0.05, 0.05)))
        trace.append([round(step / TRACE_HZ, 1), round(level, 3)])
    return {"emotion": {"distribution": distribution}, "vad": ratings, "valence_trace": trace}


def create_project(n_items: int, seed: int = 0) -> int:
    """A project with ``n_items`` ready items, each labelled and submitted by 3 annotators (bulk inserts)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from annotation.models import Annotation, AnnotationRevision, Assignment, AssignmentState
    from annotation.services import schema_publish
    from ingest.models import AssetStatus, MediaAsset
    from projects.models import Membership, Project, Role

    rng = random.Random(seed)
    users = get_user_model()
    owner = users.objects.create_user(username=f"owner{n_items}")
    coders = [users.objects.create_user(username=f"coder{n_items}-{i}") for i in range(ANNOTATORS)]
    project = Project.objects.create(name=f"Release benchmark {n_items}", created_by=owner)
    Membership.objects.bulk_create(
        [Membership(project=project, user=owner, role=Role.OWNER)]
        + [Membership(project=project, user=u, role=Role.ANNOTATOR) for u in coders]
    )
    schema = schema_publish(project=project, definition=DEFINITION, user=owner)
    batch = 2000
    for start in range(0, n_items, batch):
        with transaction.atomic():
            items = MediaAsset.objects.bulk_create(
                [
                    MediaAsset(
                        project=project,
                        kind="video",
                        status=AssetStatus.READY,
                        duration_seconds=TRACE_SECONDS,
                        original_name=f"clip{n}.mp4",
                        sha256=hashlib.sha256(f"{project.pk}/{n}".encode()).hexdigest(),
                        metadata={"subject": f"s{n // 4}", "session": n},
                    )  # fmt: skip
                    for n in range(start, min(n_items, start + batch))
                ]
            )
            assignments = Assignment.objects.bulk_create(
                [
                    Assignment(project=project, item=item, annotator=u, state=AssignmentState.SUBMITTED)
                    for item in items
                    for u in coders
                ]
            )
            annotations = Annotation.objects.bulk_create(
                [Annotation(assignment=a, schema=schema, latest_number=1) for a in assignments]
            )
            AnnotationRevision.objects.bulk_create(
                [
                    AnnotationRevision(
                        annotation=ann,
                        number=1,
                        values=annotation_values(rng, start + i // ANNOTATORS),
                        submitted=True,
                        author=assignment.annotator,
                        idempotency_key=f"bench-{ann.pk}",
                        request_hash="0" * 64,
                    )  # fmt: skip
                    for i, (ann, assignment) in enumerate(zip(annotations, assignments, strict=True))
                ]
            )
    return project.pk


def read_floor(project_id: int) -> tuple[float, float]:
    """Seconds (wall, CPU) to read the rows a release needs, and nothing else: items and latest revisions."""
    from django.db.models import F

    from annotation.models import AnnotationRevision
    from ingest.models import MediaAsset

    started, cpu = time.perf_counter(), time.process_time()
    items = MediaAsset.objects.filter(project_id=project_id, status="ready").values_list(
        "pk", "kind", "duration_seconds", "speaker", "dialogue_id", "turn", "sha256", "original_name", "text",
        "metadata", "original_file", "derived",
    )  # fmt: skip
    count = sum(1 for _ in items.iterator(chunk_size=2000))
    revisions = AnnotationRevision.objects.filter(
        annotation__assignment__project_id=project_id, number=F("annotation__latest_number")
    ).values_list(
        "annotation__assignment__item_id", "annotation__assignment__annotator_id",
        "annotation__schema__version", "number", "values", "annotation__assignment__state",
    )  # fmt: skip
    count += sum(1 for _ in revisions.iterator(chunk_size=2000))
    if count == 0:
        raise SystemExit("the floor read no rows")
    return time.perf_counter() - started, time.process_time() - cpu


class RssSampler(threading.Thread):
    """Samples the resident set every 20 ms and keeps the highest value since the last ``take``.

    ``ru_maxrss`` gives only the peak of the whole run; this says which step of the build holds
    the memory.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True, name="rss-sampler")
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._peak = 0
        self._halted = threading.Event()

    def current(self) -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self._page

    def run(self) -> None:
        while not self._halted.wait(0.02):
            self._peak = max(self._peak, self.current())

    def take(self) -> float:
        """The peak since the previous call, in GB, and start a new window."""
        peak, self._peak = max(self._peak, self.current()), 0
        return peak / 1e9

    def stop(self) -> None:
        self._halted.set()


Step = tuple[str, float, float]  # message, wall seconds, peak resident set in GB during the step


def timed_build(project_id: int, version: str) -> tuple[float, float, list[Step], object]:
    """Build one version in process: wall and CPU seconds, each step's seconds and peak RSS, the row."""
    from projects.models import Project
    from releases.models import DatasetVersion
    from releases.services.build import version_build
    from releases.services.progress import BuildClaim
    from releases.services.versions import VersionRequest, version_create

    marks: list[tuple[str, float]] = []
    peaks: list[float] = []
    original = BuildClaim.report
    sampler = RssSampler()

    def mark(self, percent: int, message: str) -> None:
        if marks:
            peaks.append(sampler.take())
        marks.append((message, time.perf_counter()))
        original(self, percent, message)

    BuildClaim.report = mark
    try:
        project = Project.objects.get(pk=project_id)
        row = version_create(
            project=project, user=None, request=VersionRequest(version=version), enqueue=False
        )
        profiler = cProfile.Profile() if PROFILE_TO else None
        sampler.start()
        started, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.runcall(version_build, version_id=row.pk)
        else:
            version_build(version_id=row.pk)
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler is not None:
            profiler.dump_stats(f"{PROFILE_TO}.{project_id}")
        peaks.append(sampler.take())
    finally:
        sampler.stop()
        BuildClaim.report = original
    row = DatasetVersion.objects.get(pk=row.pk)
    if row.state != "ready":
        raise SystemExit(f"the build failed: {row.error}")
    ends = [t for _, t in marks[1:]] + [started + total]
    steps = [
        (message, end - begin, peak) for (message, begin), end, peak in zip(marks, ends, peaks, strict=True)
    ]
    return total, cpu, steps, row


def peak_rss_gb() -> float:
    """The process's peak resident set so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def run_case(n_items: int, version: str) -> dict:
    t0 = time.perf_counter()
    project_id = create_project(n_items)
    setup = time.perf_counter() - t0
    floor, floor_cpu = min(read_floor(project_id) for _ in range(2))
    rss_before = peak_rss_gb()
    total, cpu, steps, row = timed_build(project_id, version)
    return {"items": n_items, "setup": setup, "floor": floor, "floor_cpu": floor_cpu, "build": total,
            "build_cpu": cpu, "steps": steps, "files": len(row.files),
            "bytes": sum(f["bytes"] for f in row.files), "rss_before": rss_before, "rss": peak_rss_gb(),
            "load": os.getloadavg()}  # fmt: skip


def report_case(case: dict) -> None:
    print(f"\n{case['items']:,} items x {ANNOTATORS} annotators (fixture made in {case['setup']:.1f} s)")
    floor, build, floor_cpu, build_cpu = case["floor"], case["build"], case["floor_cpu"], case["build_cpu"]
    print(f"  read floor (items + latest revisions, values_list): {floor:8.2f} s (CPU {floor_cpu:.1f} s)")
    print(f"  release build (task, end to end):                   {build:8.2f} s (CPU {build_cpu:.1f} s)")
    print(f"  ratio build / floor: {build / floor:.2f}  (goal <= 3)")
    cpu_ratio = case["build_cpu"] / case["floor_cpu"]
    print(f"  ratio on CPU time:   {cpu_ratio:.2f}  (the same, less sensitive to a shared machine)")
    print(f"  {case['files']} files, {case['bytes'] / 1e6:.1f} MB")
    print(
        f"  peak RSS {case['rss']:.2f} GiB (before the build {case['rss_before']:.2f} GiB); load after: "
        + " ".join(f"{x:.1f}" for x in case["load"])
    )
    print("    seconds  peak RSS (GB = 10^9 bytes)  step")
    for message, seconds, peak in case["steps"]:
        print(f"    {seconds:7.2f}  {peak:5.2f} GB  {message}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument(
        "--large", action="store_true", help="also build 10x as many items (100,000 by default)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--profile", metavar="PATH", help="write cProfile statistics of each build to PATH.<project id>"
    )
    args = parser.parse_args()
    global PROFILE_TO
    PROFILE_TO = args.profile and str(Path(args.profile).resolve())
    var_dir = Path(tempfile.mkdtemp(prefix="affectlab-bench-release-"))
    isolate_environment(var_dir)
    try:
        migrate()
        import django

        django.setup()
        stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        python = platform.python_version()
        print(f"release benchmark, {stamp}, Python {python}, {os.cpu_count()} CPUs, SQLite")
        base = run_case(args.items, "1.0.0")
        report_case(base)
        if args.large:
            large = run_case(args.items * 10, "1.0.0")
            report_case(large)
            ratio = large["build"] / base["build"]
            print(f"\n  scaling: {ratio:.2f}x the {args.items:,}-item build (goal <= 11)")
            print(f"  scaling on CPU time: {large['build_cpu'] / base['build_cpu']:.2f}x")
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
