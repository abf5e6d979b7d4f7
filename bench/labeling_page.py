#!/usr/bin/env python
"""Labeling page: time to interactive and JS heap for a 1-hour video vs. a 10-second clip.

Both items are real ingested assets (proxy, 16 kHz WAV, peaks, poster made by the app's own
``asset_probe`` + ``asset_normalise``), each with a full per-frame action-unit track (25 rows
per second, the 19 AU columns the ``action_units`` pre-labeler writes, stored as Parquet the
way the job runner stores it) and a 5 Hz faces track. The schema has segments, a soft label,
a 25 Hz trace and a text field. The server is gunicorn with ``affectlab.settings.local``
(one process, 8 threads) in a temporary ``AFFECTLAB_VAR_DIR``; the browser is the Debian
Chromium the e2e tests use, headless.

For each item, ``--runs`` times, in a fresh browser context (empty cache) that is already
signed in:

- **time to interactive**: from navigation start to the moment the page is usable: the
  workspace loaded, every field rendered (``body[data-label-ready]``), the waveform drawn (a
  canvas in wavesurfer's shadow root) and the AU lane plotted (its polyline has points). It is
  read in the page as ``performance.now()`` when all of that holds (checked every frame).
- **JS heap**: DevTools ``Runtime.getHeapUsage`` after a forced garbage collection: V8's used
  heap plus ArrayBuffer backing stores and the embedder's (Blink's) share, first when
  interactive, then after typical work (3 s of playback, zoom in 8x and scroll through the
  timeline, which reads AU windows), keeping the highest value seen.

Printed: medians per item, the ratio long/short of time to interactive (goal <= 2) and the
long item's peak heap (goal <= 300 MB), with the load average before and after (the machine
these run on is shared). ``--breakdown`` also prints, for each item's last run, when each API
request of the page started and ended (Resource Timing, ms from navigation start), which shows
what the time to interactive waited for.

    .venv/bin/python bench/labeling_page.py [--long-seconds 3600] [--short-seconds 10] [--runs 3]
        [--breakdown]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import local_server  # noqa: E402
from bench.local_server import free_port  # noqa: E402

PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "bench labeling page"  # noqa: S105 - a throwaway user in a temporary database
AU_FPS = 25
FACE_FPS = 5
AUS = [
    "AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU09", "AU10", "AU12", "AU14", "AU15", "AU16",
    "AU17", "AU18", "AU20", "AU22", "AU23_24", "AU25_26", "AU45",
]  # fmt: skip
DEFINITION = {
    "fields": [
        {"name": "spans", "kind": "segments", "scope": "time", "classes": [{"id": "a"}, {"id": "b"}]},
        {
            "name": "emotion",
            "kind": "categorical",
            "scope": "item",
            "mode": "soft",
            "classes": [{"id": c} for c in ("joy", "sadness", "anger", "neutral")],
        },
        {
            "name": "valence",
            "kind": "trace",
            "scope": "time",
            "rate_hz": 25,
            "dimensions": [{"name": "valence", "min": -1, "max": 1}],
        },
        {"name": "why", "kind": "text", "scope": "item", "required": False},
    ]
}
SCRUBBED = (
    "DATABASE_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL",
    "AFFECTLAB_MEDIA_ROOT", "AFFECTLAB_STAGING_DIR", "AFFECTLAB_IMPORT_ROOT", "DJANGO_SETTINGS_MODULE",
)  # fmt: skip

# Resolves with performance.now() once the page is interactive (see the module docstring).
INTERACTIVE = """
() => new Promise((resolve) => {
  const ready = () => {
    const wave = document.querySelector('#waveform > div');
    const canvas = wave && wave.shadowRoot && wave.shadowRoot.querySelector('canvas');
    const lane = document.querySelector('.plot-lane polyline');
    const labeled = document.body && document.body.dataset.labelReady === 'true';
    return labeled && canvas && lane && lane.getAttribute('points');
  };
  const check = () => (ready() ? resolve(performance.now()) : requestAnimationFrame(check));
  check();
})
"""

# The page's API requests so far: [path, start, response start, end, bytes], ms from navigation.
REQUESTS = """
() => performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('/api/'))
  .map((e) => [
    e.name.replace(location.origin, ''), e.startTime, e.responseStart, e.responseEnd, e.transferSize,
  ])
"""


def isolate_environment(var_dir: Path, port: int) -> None:
    local_server.isolate_environment(
        var_dir, scrubbed=SCRUBBED, AFFECTLAB_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", WEB_THREADS="8"
    )


def make_source(path: Path, seconds: float) -> Path:
    """H.264/AAC MP4: a moving test pattern and a tone (small frames, so an hour encodes quickly)."""
    from ingest.services.ffmpeg_runner import ffmpeg_binary

    subprocess.run(
        [
            ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=size=320x240:rate=25:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=16000:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "35", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "32k", "-shortest", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def add_tracks(asset) -> None:
    import numpy as np

    from models_zoo.models import JobState, PrelabelJob, Track
    from models_zoo.prelabelers.base import TrackOutput
    from models_zoo.services.track_files import columns_of, table_from_output, track_file_write

    duration = asset.duration_seconds
    rng = np.random.default_rng(asset.pk)
    frames = np.arange(int(duration * AU_FPS))
    au_columns = {"time": (frames / AU_FPS).tolist(), "frame": frames.tolist(), "identity": [1] * len(frames)}
    for au in AUS:
        au_columns[au] = np.clip(rng.random(len(frames)) * 0.3 + 0.2, 0, 1).tolist()
    steps = np.arange(int(duration * FACE_FPS))
    n = len(steps)
    faces = {
        "time": (steps / FACE_FPS).tolist(), "frame": (steps * 5).tolist(), "identity": [1] * n,
        "x0": [0.3] * n, "y0": [0.2] * n, "x1": [0.7] * n, "y1": [0.8] * n, "is_main": [True] * n,
    }  # fmt: skip
    for kind, columns, rate in (("action_units", au_columns, AU_FPS), ("faces", faces, FACE_FPS)):
        job = PrelabelJob.objects.create(
            asset=asset,
            prelabeler=kind,
            version="1",
            params_hash=kind.ljust(64, "0"),
            state=JobState.SUCCEEDED,
        )
        table = table_from_output(TrackOutput(kind, columns, rate, duration))
        key = track_file_write(key=f"bench/{asset.pk}/{kind}.parquet", table=table)
        Track.objects.create(
            asset=asset, job=job, kind=kind, prelabeler=kind, version="1", sample_rate=rate,
            duration_seconds=duration, columns=columns_of(table), row_count=table.num_rows, storage_key=key,
        )  # fmt: skip


def create_fixture(work: Path, long_seconds: float, short_seconds: float) -> dict[str, int]:
    """Two ready items with tracks, both assigned to one annotator; returns item name -> assignment id."""
    from django.contrib.auth import get_user_model
    from django.db import connections

    from annotation.models import Assignment
    from annotation.services import schema_publish
    from annotation.services.assignments import annotation_settings_set, assignments_generate
    from ingest.models import AssetStatus
    from ingest.services.assets import asset_create_from_path
    from ingest.services.processing import asset_normalise, asset_probe
    from projects.models import Membership, Role
    from projects.services import project_create

    users = get_user_model().objects
    owner = users.create_user(username="bench-owner", password=PASSWORD)
    annotator = users.create_user(username="bench-annotator", password=PASSWORD)
    project = project_create(name="Labeling page benchmark", created_by=owner)
    Membership.objects.create(project=project, user=annotator, role=Role.ANNOTATOR)
    schema_publish(project=project, definition=DEFINITION, user=owner)
    annotation_settings_set(project=project, overlap=1, strategy="round_robin")
    ids = {}
    for name, seconds in (("short", short_seconds), ("long", long_seconds)):
        started = time.perf_counter()
        source = make_source(work / f"{name}.mp4", seconds)
        asset = asset_create_from_path(
            project=project, path=source, original_name=source.name, uploaded_by=owner
        ).asset
        if asset_probe(asset_id=asset.pk):
            asset_normalise(asset_id=asset.pk)
        asset.refresh_from_db()
        if asset.status != AssetStatus.READY:
            raise SystemExit(f"{name}: not ready: {asset.failure_reason}")
        add_tracks(asset)
        print(f"  {name}: {seconds:g} s item ready in {time.perf_counter() - started:.0f} s", flush=True)
        ids[name] = asset.pk
    assignments_generate(project=project)
    by_item = dict(Assignment.objects.filter(annotator=annotator).values_list("item_id", "id"))
    connections.close_all()
    return {name: by_item[item] for name, item in ids.items()}


@contextmanager
def web_server(port: int, log_path: Path):
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "platform/gunicorn.conf.py", "affectlab.wsgi"],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/health/")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=60)


def heap_mb(cdp) -> float:
    """V8 heap in use after a GC, plus the backing stores of ArrayBuffers (the peaks, track rows)
    and the embedder's share, which ``JSHeapUsedSize`` alone leaves out."""
    cdp.send("HeapProfiler.collectGarbage")
    usage = cdp.send("Runtime.getHeapUsage")
    total = usage["usedSize"] + usage.get("embedderHeapUsedSize", 0) + usage.get("backingStorageSize", 0)
    return total / 2**20


def measure(browser, base: str, state: dict, assignment_id: int) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, storage_state=state)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    try:
        page.goto(f"{base}/assignments/{assignment_id}/label/", wait_until="commit")
        tti_ms = page.evaluate(INTERACTIVE)
        requests = page.evaluate(REQUESTS)
        heap_ready = heap_mb(cdp)
        page.keyboard.press("Space")
        page.wait_for_timeout(3000)
        page.keyboard.press("Space")
        for _ in range(3):
            page.keyboard.press("+")
            page.wait_for_timeout(150)
        page.locator("#waveform").hover()
        for _ in range(10):
            page.mouse.wheel(0, 0)
            page.keyboard.press("Shift+ArrowRight")
            page.wait_for_timeout(100)
        page.wait_for_timeout(800)
        heap_after = heap_mb(cdp)
        if errors:
            raise SystemExit(f"page errors: {errors}")
        return {
            "tti_ms": tti_ms,
            "heap_ready": heap_ready,
            "heap_peak": max(heap_ready, heap_after),
            "requests": requests,
        }
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--long-seconds", type=float, default=3600)
    parser.add_argument("--short-seconds", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--breakdown", action="store_true", help="print the API requests of each item's last run"
    )
    args = parser.parse_args()
    if not (ROOT / "frontend" / "dist" / "app.js").exists():
        raise SystemExit("frontend/dist/app.js is missing: run `cd frontend && npm run build` first")

    work = Path(tempfile.mkdtemp(prefix="affectlab-bench-label-"))
    port = free_port()
    isolate_environment(work / "var", port)
    try:
        subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)
        import django

        django.setup()
        print("preparing items (encode, ingest, tracks)…", flush=True)
        assignments = create_fixture(work, args.long_seconds, args.short_seconds)
        from playwright.sync_api import sync_playwright

        base = f"http://127.0.0.1:{port}"
        with web_server(port, work / "gunicorn.log"), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            login = browser.new_context()
            page = login.new_page()
            page.goto(f"{base}/login/")
            page.get_by_label("Username").fill("bench-annotator")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
            state = login.storage_state()
            login.close()
            results: dict[str, list[dict]] = {"short": [], "long": []}
            measure(browser, base, state, assignments["short"])  # warm-up: server imports, page cache
            load_before = os.getloadavg()
            for run in range(args.runs):
                for name in ("short", "long"):
                    results[name].append(measure(browser, base, state, assignments[name]))
                print(f"  run {run + 1}/{args.runs} done", flush=True)
            load_after = os.getloadavg()
            browser.close()
        report(results, args)
        print(f"load average (1, 5, 15 min): before {fmt_load(load_before)}, after {fmt_load(load_after)}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def fmt_load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.1f}" for value in load)


def report(results: dict[str, list[dict]], args: argparse.Namespace) -> None:
    keys = ("tti_ms", "heap_ready", "heap_peak")
    med = {name: {k: statistics.median(r[k] for r in runs) for k in keys} for name, runs in results.items()}
    print()
    print(f"{'item':<28}{'TTI median (ms)':>18}{'heap ready (MB)':>18}{'heap peak (MB)':>17}")
    for name, seconds in (("short", args.short_seconds), ("long", args.long_seconds)):
        m = med[name]
        label = f"{name} ({seconds:g} s, {int(seconds * AU_FPS)} AU rows)"
        print(f"{label:<28}{m['tti_ms']:>18.0f}{m['heap_ready']:>18.1f}{m['heap_peak']:>17.1f}")
    for name, runs in results.items():
        per_run = ", ".join(f"{r['tti_ms']:.0f}" for r in runs)
        print(f"  {name} TTI per run (ms): {per_run}")
    if args.breakdown:
        for name, runs in results.items():
            last = runs[-1]
            print(f"\n{name}, last run (TTI {last['tti_ms']:.0f} ms): API requests, ms from navigation start")
            print(f"  {'start':>6}{'answer':>8}{'end':>7}{'bytes':>10}  path")
            for path, start, answer, end, size in last["requests"]:
                print(f"  {start:>6.0f}{answer:>8.0f}{end:>7.0f}{size:>10}  {path}")
    ratio = med["long"]["tti_ms"] / med["short"]["tti_ms"]
    print()
    print(f"TTI ratio long/short: {ratio:.2f} (goal <= 2)")
    print(f"JS heap peak, long item: {med['long']['heap_peak']:.1f} MB (goal <= 300 MB)")


if __name__ == "__main__":
    main()
