#!/usr/bin/env python
"""Pre-labeler benchmark: each job through our pipeline against the bare model loop, side by side.

Prints ratios measured in one run; nothing is asserted, so a missed goal shows up as a number to
explain rather than as a flaky failure.

a. Job overhead: for face, action_units, voice_activity, asr, vad_text, vad_voice and vad_face,
   ``prelabel_request`` + ``prelabel_job_run`` in this process on a generated clip (a real face and
   espeak-ng speech) versus the bare loop on the same frames or audio with the same loaded model
   (frame decoding + detection; the ONNX VAD loop; faster-whisper's transcribe; the window
   functions on the same upstream Parquet file). Goal: ours / bare <= 1.15. Each figure is the
   median of ``--repeats`` alternating runs after one warm-up run, so models are loaded once and
   both sides use them warm. The real-time factor is processing seconds per second of media.
b. Track reads: a synthetic one-hour action-unit track at 30 fps (108,000 rows, 19 AUs) written
   with our track writer, read through ``GET /api/tracks/{id}/data/?start=&end=&max_points=``
   (Django's test client, in process: routing, auth, serialisation to JSON) versus reading the same
   Parquet file with pyarrow directly (same filter, same thinning, to Python rows).

Everything runs in a temporary AFFECTLAB_VAR_DIR (its own SQLite file and media folder); jobs are
run in process and never sent to a broker.

    .venv/bin/python bench/prelabel.py [--speech-repeats 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import local_server  # noqa: E402

PY = sys.executable
ORDER = ("face", "action_units", "voice_activity", "asr", "vad_text", "vad_voice", "vad_face")
SCRUBBED = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AFFECTLAB_MEDIA_ROOT",
    "AFFECTLAB_STAGING_DIR",
    "AFFECTLAB_ASR_ENGINE",
    "AFFECTLAB_ASR_MODEL",
    "DJANGO_SETTINGS_MODULE",
)


def isolate_environment(var_dir: Path) -> None:
    local_server.isolate_environment(var_dir, scrubbed=SCRUBBED, ORT_DISABLE_TELEMETRY="1")


def migrate() -> None:
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)  # noqa: S603


# --------------------------------------------------------------------------- a. job vs bare loop


def ready_clip_asset(work: Path, speech_repeats: int):
    """The demo clip (face + speech), made longer by repeating its text, ingested to ready."""
    from django.contrib.auth import get_user_model

    from ingest.services.assets import asset_create_from_path
    from ingest.services.demo_clip import DEMO_SENTENCES, make_demo_clip
    from ingest.services.processing import asset_normalise, asset_probe
    from projects.services import project_create

    user = get_user_model().objects.create_user(username="bench", password="bench-password-unused")  # noqa: S106
    project = project_create(name="Pre-labeler benchmark", created_by=user)
    clip = make_demo_clip(work / "clip.mp4", text=" ".join([DEMO_SENTENCES] * speech_repeats))
    asset = asset_create_from_path(
        project=project, path=clip, original_name="clip.mp4", uploaded_by=user
    ).asset
    if asset_probe(asset_id=asset.pk):
        asset_normalise(asset_id=asset.pk)
    asset.refresh_from_db()
    if asset.status != "ready":
        raise SystemExit(f"the clip did not become ready: {asset.failure_reason}")
    return user, asset


def ours(asset, name: str) -> float:
    """Seconds for a fresh job of ``name`` (request + run + tracks), its upstream already finished."""
    from models_zoo.models import PrelabelJob
    from models_zoo.services.requests import prelabel_request
    from models_zoo.services.running import prelabel_job_run

    PrelabelJob.objects.filter(asset=asset, prelabeler=name).delete()
    for up in PrelabelJob.objects.filter(asset=asset).exclude(state="succeeded"):
        prelabel_job_run(job_id=up.pk)
    started = time.perf_counter()
    job = prelabel_request(asset=asset, name=name, enqueue=False)
    for up in job.depends_on.exclude(state="succeeded"):
        raise SystemExit(f"upstream {up} of {name} is not finished")
    outcome = prelabel_job_run(job_id=job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    if outcome != "succeeded" or job.state != "succeeded":
        raise SystemExit(f"{name} did not succeed: {job.error}")
    return elapsed


def upstream_file(asset, prelabeler: str, kind: str):
    from ingest.services.local_files import local_copy
    from models_zoo.models import Track

    track = Track.objects.filter(asset=asset, prelabeler=prelabeler, kind=kind).order_by("-id").first()
    return local_copy(track.storage_key)


def bare_loops(asset) -> dict[str, Callable[[], object]]:
    """The model loop of each pre-labeler alone, on the same input, with the same loaded model."""
    import pyarrow.parquet as pq

    from ingest.services.local_files import local_copy
    from models_zoo import runtime
    from models_zoo.prelabelers.action_units import au_intensities
    from models_zoo.prelabelers.face_detection import detect_faces
    from models_zoo.prelabelers.silero_onnx import speech_probabilities
    from models_zoo.prelabelers.vad_face import face_windows
    from models_zoo.prelabelers.vad_text import text_windows
    from models_zoo.prelabelers.vad_voice import voice_windows
    from models_zoo.prelabelers.video_frames import sampled_frames
    from models_zoo.prelabelers.wav_audio import asset_audio_read
    from models_zoo.registry import prelabeler_get

    def model(name: str):
        prelabeler = prelabeler_get(name)
        params = prelabeler.clean_params({})
        return runtime.model_for(prelabeler, params, runtime.pick_device(prelabeler, params)), params

    def face():
        landmarker, params = model("face")
        with local_copy(asset.derived["proxy"]) as proxy:
            return sum(
                len(detect_faces(landmarker, s.rgb, params["tiles"]))
                for s in sampled_frames(proxy, params["sample_fps"])
            )

    def blendshapes() -> dict:
        with upstream_file(asset, "face", "blendshapes") as path:
            table = pq.read_table(path)
        table = table.filter(table.column("is_main"))
        return {name: table.column(name).to_numpy(zero_copy_only=False) for name in table.column_names}

    def action_units():
        data = blendshapes()
        return au_intensities(data, len(data["time"]))

    def voice_activity():
        session, _ = model("voice_activity")
        return speech_probabilities(session, asset_audio_read(asset=asset))

    def asr():
        whisper, params = model("asr")
        pieces, _ = whisper.transcribe(
            asset_audio_read(asset=asset), language=None, beam_size=params["beam_size"],
            word_timestamps=True, vad_filter=False,
        )  # fmt: skip
        return [(p.start, p.end, p.text, p.words) for p in pieces]

    def vad_text():
        norms, params = model("vad_text")
        with upstream_file(asset, "asr", "words") as path:
            table = pq.read_table(path, columns=["start", "word"])
        return text_windows(
            starts=table.column("start").to_pylist(), words=table.column("word").to_pylist(),
            window_seconds=params["window_seconds"], norms=norms,
        )  # fmt: skip

    def vad_voice():
        params = prelabeler_get("vad_voice").clean_params({})
        audio = asset_audio_read(asset=asset)
        return voice_windows(audio, window_seconds=params["window_seconds"], min_db=params["min_db"])

    def vad_face():
        params = prelabeler_get("vad_face").clean_params({})
        return face_windows(blendshapes(), window_seconds=params["window_seconds"])

    return {
        "face": face, "action_units": action_units, "voice_activity": voice_activity, "asr": asr,
        "vad_text": vad_text, "vad_voice": vad_voice, "vad_face": vad_face,
    }  # fmt: skip


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def measure_jobs(asset, repeats: int) -> list[tuple[str, float, float]]:
    loops = bare_loops(asset)
    figures = []
    for name in ORDER:
        ours(asset, name)  # warm-up: loads the model into this process's cache, makes upstream tracks
        loops[name]()
        mine, bare = [], []
        for _ in range(repeats):  # alternating, so a burst of load hits both sides alike
            mine.append(ours(asset, name))
            bare.append(timed(loops[name]))
        figures.append((name, statistics.median(mine), statistics.median(bare)))
        print(f"  {name}: ours {figures[-1][1]:.3f} s, bare {figures[-1][2]:.3f} s", flush=True)
    return figures


# --------------------------------------------------------------------------- b. windowed track reads


def hour_track(asset, fps: int = 30, seconds: int = 3600):
    """A one-hour per-frame AU track written by our writer, with its summary row."""
    import numpy as np
    import pyarrow as pa

    from models_zoo.models import PrelabelJob, Track
    from models_zoo.prelabelers.action_units import AU_BLENDSHAPES
    from models_zoo.services.track_files import columns_of, track_file_write

    rows = fps * seconds
    rng = np.random.default_rng(0)
    columns = {"time": pa.array(np.arange(rows) / fps), "frame": pa.array(np.arange(rows, dtype=np.int64))}
    columns["identity"] = pa.array(np.zeros(rows, dtype=np.int32))
    for au in AU_BLENDSHAPES:
        columns[au] = pa.array(rng.random(rows))
    table = pa.table(columns)
    job = PrelabelJob.objects.create(
        asset=asset, prelabeler="action_units", version="bench", params_hash="b" * 64, state="succeeded"
    )
    key = track_file_write(key=f"bench/hour-au-{job.pk}.parquet", table=table)
    track = Track.objects.create(
        asset=asset, job=job, kind="action_units", prelabeler="action_units", version="bench",
        sample_rate=fps, duration_seconds=seconds, columns=columns_of(table), row_count=rows, storage_key=key,
    )  # fmt: skip
    return track


def direct_read(path: Path, start: float | None, end: float | None, max_points: int) -> list[dict]:
    """The same window with pyarrow alone: filter on time, thin to max_points, Python rows."""
    import pyarrow.parquet as pq

    filters = []
    if start is not None:
        filters.append(("time", ">=", start))
    if end is not None:
        filters.append(("time", "<", end))
    table = pq.read_table(path, filters=filters or None)
    stride = max(1, -(-table.num_rows // max_points))
    return table.take(list(range(0, table.num_rows, stride))).to_pylist()


def measure_reads(user, track, repeats: int) -> list[tuple[str, float, float, int]]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ingest.services.local_files import local_copy

    setup_test_environment()  # the test client's host name
    client = Client()
    client.force_login(user)
    cases = [
        ("1 min window, all rows", 1800.0, 1860.0, 2000),
        ("10 min window, 2,000 points", 1200.0, 1800.0, 2000),
        ("whole hour, 2,000 points", None, None, 2000),
    ]
    figures = []
    with local_copy(track.storage_key) as path:
        for label, start, end, max_points in cases:
            query = f"max_points={max_points}"
            if start is not None:
                query += f"&start={start}&end={end}"
            url = f"/api/tracks/{track.pk}/data/?{query}"

            def api(url=url) -> int:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: {response.status_code} {response.content[:200]!r}")
                return len(response.json()["rows"])

            def direct(start=start, end=end, max_points=max_points) -> int:
                return len(direct_read(path, start, end, max_points))

            points = api()
            if points != direct():
                raise SystemExit(f"{label}: the API returned {points} rows, pyarrow {direct()}")
            mine, bare = [], []
            for _ in range(repeats):
                mine.append(timed(api))
                bare.append(timed(direct))
            figures.append((label, statistics.median(mine), statistics.median(bare), points))
    return figures


# --------------------------------------------------------------------------- report


def gpu_line() -> str:
    try:
        import torch

        if torch.cuda.is_available():
            return f"GPU: {torch.cuda.get_device_name(0)} visible to torch"
    except ImportError:
        pass
    return "GPU: none visible here; every figure is CPU"


def report(duration: float, jobs, reads, started: float) -> None:
    print(f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
    print(gpu_line())
    print(f"clip: {duration:.1f} s (640x360, 25 fps, espeak-ng speech)\n")
    print("| pre-labeler | ours s | bare s | ours / bare | RTF ours | RTF bare |")
    print("| --- | --: | --: | --: | --: | --: |")
    for name, mine, bare in jobs:
        rtf = f"{mine / duration:.3f} | {bare / duration:.3f}"
        print(f"| {name} | {mine:.3f} | {bare:.3f} | {mine / bare:.2f} | {rtf} |")
    print("\n| hour-long AU track read | API ms | pyarrow ms | API / pyarrow | rows |")
    print("| --- | --: | --: | --: | --: |")
    for label, mine, bare, points in reads:
        print(f"| {label} | {mine * 1000:.1f} | {bare * 1000:.1f} | {mine / bare:.2f} | {points} |")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--speech-repeats", type=int, default=2, help="demo text read this many times")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per side (median)")
    parser.add_argument("--work-dir", default=None)
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="affectlab-bench-prelabel-", dir=args.work_dir))
    isolate_environment(work / "var")
    try:
        migrate()
        import django

        django.setup()
        user, asset = ready_clip_asset(work, args.speech_repeats)
        print(f"clip ready: {asset.duration_seconds:.1f} s", flush=True)
        jobs = measure_jobs(asset, args.repeats)
        track = hour_track(asset)
        reads = measure_reads(user, track, max(args.repeats, 5))
        report(float(asset.duration_seconds), jobs, reads, started)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
