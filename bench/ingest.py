#!/usr/bin/env python
"""Ingestion benchmark: the real web server and the real processing chain against plain baselines.

Prints ratios measured side by side in one run; nothing is asserted, so a missed goal shows up
as a number to explain rather than as a flaky failure.

a. Upload throughput: a file streamed to ``POST /api/projects/{id}/media/`` on gunicorn versus
   ``shutil.copyfile`` of the same file on the same disk (goal: ratio >= 0.5).
b. Memory: peak RSS growth of the gunicorn worker while it receives the upload, at two sizes
   (goal: flat, under 100 MB whatever the size).
c. Normalisation: ``asset_probe`` + ``asset_normalise`` in process versus the bare ffmpeg commands
   (proxy, analysis WAV, poster) with the same binary and options (goal: ratio <= 1.2).

Everything runs in a temporary AFFECTLAB_VAR_DIR: its own SQLite file, media folder and
filesystem broker queue, so nothing touches var/ and no running worker picks the jobs up.

    .venv/bin/python bench/ingest.py [--size-mb 1024] [--small-mb 256] [--clip-seconds 60]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import local_server  # noqa: E402
from bench.local_server import free_port, wait_until_healthy, worker_pids  # noqa: E402

PY = sys.executable
MIB = 1024 * 1024
SEND_CHUNK = MIB
SAMPLE_EVERY = 0.05
# Settings read from the environment that could point the bench at shared state.
SCRUBBED = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AFFECTLAB_MEDIA_ROOT",
    "AFFECTLAB_STAGING_DIR",
    "AFFECTLAB_IMPORT_ROOT",
    "AFFECTLAB_MAX_UPLOAD_BYTES",
    "DJANGO_SETTINGS_MODULE",
)


# --------------------------------------------------------------------------- environment


def isolate_environment(var_dir: Path, port: int) -> None:
    """Point this process (and the processes it starts) at a private var dir and broker queue."""
    local_server.isolate_environment(
        var_dir, scrubbed=SCRUBBED, ORT_DISABLE_TELEMETRY="1", AFFECTLAB_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )  # fmt: skip


def migrate() -> None:
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)


@dataclass(frozen=True)
class Fixture:
    user_id: int
    project_id: int
    token: str


def create_fixture() -> Fixture:
    """A user with an API token who owns one project (the bench process has Django set up)."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from projects.services import project_create

    user = get_user_model().objects.create_user(username="bench", password=secrets.token_urlsafe(16))
    token, _ = Token.objects.get_or_create(user=user)
    project = project_create(name="Ingestion benchmark", created_by=user)
    connections.close_all()
    return Fixture(user_id=user.pk, project_id=project.pk, token=token.key)


# --------------------------------------------------------------------------- web server


@contextmanager
def web_server(port: int, log_path: Path) -> Iterator[subprocess.Popen]:
    """gunicorn with platform/gunicorn.conf.py, as `make run` and the container start it.

    Only its control socket moves into the bench's folder: the default, ~/.gunicorn/gunicorn.ctl,
    is shared by every gunicorn of the user, and starting one replaces another's socket.
    """
    control_socket = str(log_path.parent / "gunicorn.ctl")
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [
                *(PY, "-m", "gunicorn", "-c", "platform/gunicorn.conf.py"),
                *("--control-socket", control_socket, "affectlab.wsgi"),
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(port, server, log_path)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=60)


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (utime, stime in /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ProcessSampler:
    """Samples the summed VmRSS of some processes every 50 ms; also counts the CPU time they use.

    CPU time is reported beside wall time because this machine is shared: wall time moves with
    other people's load, CPU time much less.
    """

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.baseline = self._rss()
        self.peak = self.baseline
        self.cpu = 0.0
        self._cpu_start = self._cpu()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        return sum(rss_bytes(pid) for pid in self.pids)

    def _cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> ProcessSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())
        self.cpu = self._cpu() - self._cpu_start

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


# --------------------------------------------------------------------------- upload client


def multipart_parts(path: Path, boundary: str) -> tuple[bytes, bytes]:
    """The bytes before and after the file's content in a multipart/form-data body."""
    metadata = json.dumps({"subject": "bench", "size_bytes": path.stat().st_size})
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="metadata"\r\n\r\n'
        f"{metadata}\r\n"
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head, f"\r\n--{boundary}--\r\n".encode()


def upload(port: int, fixture: Fixture, path: Path) -> tuple[float, dict]:
    """Stream a file from disk to the API in 1 MiB pieces; returns (seconds, JSON answer)."""
    boundary = f"affectlab-bench-{secrets.token_hex(12)}"
    head, tail = multipart_parts(path, boundary)
    length = len(head) + path.stat().st_size + len(tail)
    buffer = bytearray(SEND_CHUNK)
    view = memoryview(buffer)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    started = time.perf_counter()
    conn.putrequest("POST", f"/api/projects/{fixture.project_id}/media/")
    conn.putheader("Authorization", f"Token {fixture.token}")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(length))
    conn.endheaders()
    conn.send(head)
    with open(path, "rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            conn.send(view[:count])
    conn.send(tail)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status not in (200, 201):
        raise SystemExit(f"upload answered {response.status}: {body[:500]!r}")
    return elapsed, json.loads(body)


def random_file(path: Path, size_mb: int) -> Path:
    with open(path, "wb") as handle:
        for _ in range(size_mb):
            handle.write(os.urandom(MIB))
    return path


def timed_copy(src: Path, dst: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``shutil.copyfile`` (in-kernel sendfile on Linux)."""
    cpu_started = time.process_time()
    started = time.perf_counter()
    shutil.copyfile(src, dst)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    dst.unlink()
    return elapsed, cpu


@dataclass
class UploadFigures:
    size_mb: int
    copy_seconds: float
    copy_cpu: float
    upload_seconds: float
    upload_cpu: float
    rss_baseline: int
    rss_growth: int

    @property
    def ratio(self) -> float:
        return self.copy_seconds / self.upload_seconds

    @property
    def mb_per_cpu_second(self) -> float:
        """What the upload path could reach with a core to itself: wall time depends on load, this less."""
        return self.size_mb / max(self.upload_cpu, 0.01)


def measure_upload(port: int, master_pid: int, fixture: Fixture, work: Path, size_mb: int) -> UploadFigures:
    """Copy then upload the same freshly written random file, each from a synced page cache."""
    source = random_file(work / f"random-{size_mb}mb.bin", size_mb)
    os.sync()
    copy_seconds, copy_cpu = timed_copy(source, work / "copy.bin")
    os.sync()
    with ProcessSampler(worker_pids(master_pid)) as sampler:
        upload_seconds, answer = upload(port, fixture, source)
    if answer.get("size_bytes") != source.stat().st_size:
        stored, expected = answer.get("size_bytes"), source.stat().st_size
        raise SystemExit(f"the server stored {stored} bytes, expected {expected}")
    source.unlink()
    remove_stored_original(answer["uid"], fixture.project_id)
    return UploadFigures(
        size_mb, copy_seconds, copy_cpu, upload_seconds, sampler.cpu, sampler.baseline, sampler.growth
    )


def remove_stored_original(uid: str, project_id: int) -> None:
    """Free the disk the stored upload takes before the next, larger one."""
    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "projects" / str(project_id) / "assets" / uid
    shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- normalisation


def make_clip(path: Path, seconds: int) -> Path:
    """A 1280x720 25 fps H.264/AAC MP4 (test pattern and tone), like tests/media_samples.py makes."""
    from ingest.services.ffmpeg_runner import ffmpeg_binary

    subprocess.run(
        [
            ffmpeg_binary(),
            *("-nostdin", "-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", f"testsrc=size=1280x720:rate=25:duration={seconds}"),
            *("-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
            *("-c:a", "aac", "-b:a", "128k", "-shortest", str(path)),
        ],
        check=True,
    )
    return path


def bare_commands(src: Path, out: Path, poster_at: float) -> list[list[str]]:
    """The ffmpeg invocations ingest/services/normalising.py builds, written out by hand."""
    from ingest.services.ffmpeg_runner import ffmpeg_binary

    common = [ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    source = ["-f", "mov", "-protocol_whitelist", "file"]
    return [
        [
            *common,
            *source,
            *("-i", str(src)),
            *("-filter_complex", "[0:v]scale=-2:min(ih\\,720)[s0];[s0]format=yuv420p[s1]"),
            *("-map", "[s1]", "-map", "0:a:0"),
            *("-vcodec", "libx264", "-preset", "veryfast", "-crf", "23"),
            *("-acodec", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4"),
            str(out / "proxy.mp4"),
        ],
        [
            *common,
            *source,
            *("-ss", f"{poster_at:.3f}", "-i", str(src)),
            *("-filter_complex", "[0:v]scale=-2:min(ih\\,360)[s0]", "-map", "[s0]"),
            *("-vframes", "1", "-f", "image2", "-vcodec", "mjpeg"),
            str(out / "poster.jpg"),
        ],
        [
            *common,
            *source,
            *("-i", str(src), "-map", "0:a:0"),
            *("-ac", "1", "-ar", "16000", "-acodec", "pcm_s16le", "-f", "wav"),
            str(out / "audio.wav"),
        ],
    ]


@dataclass
class NormaliseFigures:
    clip_seconds: int
    clip_bytes: int
    bare_seconds: float
    bare_cpu: float
    probe_seconds: float
    normalise_seconds: float
    ours_cpu: float
    derived: list[str] = field(default_factory=list)

    @property
    def ours_seconds(self) -> float:
        return self.probe_seconds + self.normalise_seconds

    @property
    def ratio(self) -> float:
        return self.ours_seconds / self.bare_seconds

    @property
    def cpu_ratio(self) -> float:
        return self.ours_cpu / self.bare_cpu


class CpuClock:
    """CPU seconds of this process and its finished children (the ffmpeg runs) over a block."""

    def __enter__(self) -> CpuClock:
        self._start = self._now()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = self._now() - self._start

    @staticmethod
    def _now() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime


def time_bare(src: Path, out: Path, poster_at: float) -> tuple[float, float]:
    out.mkdir(exist_ok=True)
    started = time.perf_counter()
    with CpuClock() as cpu:
        for command in bare_commands(src, out, poster_at):
            subprocess.run(command, check=True)
    return time.perf_counter() - started, cpu.seconds


def time_ours(fixture: Fixture, clip: Path) -> tuple[float, float, float, list[str]]:
    """Store the clip as an asset (untimed), then time the two processing steps in process."""
    from django.contrib.auth import get_user_model

    from ingest.models import AssetStatus, MediaAsset
    from ingest.services.assets import asset_create_from_path
    from ingest.services.processing import asset_normalise, asset_probe
    from projects.models import Project

    result = asset_create_from_path(
        project=Project.objects.get(pk=fixture.project_id),
        path=clip,
        original_name=clip.name,
        uploaded_by=get_user_model().objects.get(pk=fixture.user_id),
        move=False,
    )
    asset_id = result.asset.pk
    with CpuClock() as cpu:
        started = time.perf_counter()
        asset_probe(asset_id=asset_id)
        probed = time.perf_counter()
        asset_normalise(asset_id=asset_id)
        finished = time.perf_counter()
    asset = MediaAsset.objects.get(pk=asset_id)
    if asset.status != AssetStatus.READY:
        raise SystemExit(f"normalisation ended in {asset.status}: {asset.failure_reason}")
    return probed - started, finished - probed, cpu.seconds, sorted(asset.derived)


def measure_normalise(fixture: Fixture, work: Path, seconds: int) -> NormaliseFigures:
    clip = make_clip(work / "clip.mp4", seconds)
    poster_at = min(1.0, seconds / 2)
    bare_s, bare_cpu = time_bare(clip, work / "bare", poster_at)
    probe_s, normalise_s, ours_cpu, derived = time_ours(fixture, clip)
    return NormaliseFigures(
        seconds, clip.stat().st_size, bare_s, bare_cpu, probe_s, normalise_s, ours_cpu, derived
    )


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python {platform.python_version()}"


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def report(uploads: list[UploadFigures], norm: NormaliseFigures, load_before: str) -> None:
    mb = MIB
    print(f"\nAffectLab ingestion benchmark, {datetime.now(UTC).date().isoformat()}, {machine()}")
    print(f"load average before: {load_before}; after: {load_average()}\n")
    print("a/b. upload through the API (gunicorn, 1 worker) vs shutil.copyfile of the same file")
    print(
        f"{'size':>7} {'copy MB/s':>10} {'upload MB/s':>12} {'ratio':>6} {'copy CPU':>9} {'web CPU':>8}"
        f" {'MB/web CPU-s':>13} {'RSS before':>11} {'RSS growth':>11}"
    )
    for u in uploads:
        print(
            f"{u.size_mb:>5}MB {u.size_mb / u.copy_seconds:>10.0f} {u.size_mb / u.upload_seconds:>12.0f}"
            f" {u.ratio:>6.2f} {u.copy_cpu:>8.2f}s {u.upload_cpu:>7.2f}s {u.mb_per_cpu_second:>13.0f}"
            f" {u.rss_baseline / mb:>9.0f}MB {u.rss_growth / mb:>9.1f}MB"
        )
    print(
        f"\nc. probe + normalise of a {norm.clip_seconds} s 1280x720 H.264/AAC clip "
        f"({norm.clip_bytes / mb:.1f} MB) vs the bare ffmpeg commands"
    )
    print(f"   bare ffmpeg (proxy, poster, wav): {norm.bare_seconds:7.2f} s wall {norm.bare_cpu:7.2f} s CPU")
    print(
        f"   asset_probe + asset_normalise:    {norm.ours_seconds:7.2f} s wall {norm.ours_cpu:7.2f} s CPU"
        f" (probe {norm.probe_seconds:.2f} s; derived: {', '.join(norm.derived)})"
    )
    biggest = max(uploads, key=lambda u: u.size_mb)
    print(f"\n{'ratio':<44} {'measured':>9}   goal")
    print(f"{f'upload / disk copy throughput ({biggest.size_mb} MB)':<44} {biggest.ratio:>9.2f}   >= 0.5")
    for u in uploads:
        print(f"{f'web worker RSS growth, {u.size_mb} MB upload':<44} {u.rss_growth / mb:>7.1f}MB   < 100 MB")
    print(f"{'normalise / bare ffmpeg time':<44} {norm.ratio:>9.2f}   <= 1.2")
    print(f"{'normalise / bare ffmpeg CPU time':<44} {norm.cpu_ratio:>9.2f}   (same goal, load-proof)")


# --------------------------------------------------------------------------- main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=int, default=1024, help="the large upload (default 1024)")
    parser.add_argument("--small-mb", type=int, default=256, help="the small upload (default 256)")
    parser.add_argument("--clip-seconds", type=int, default=60, help="length of the clip to normalise")
    parser.add_argument("--work-dir", type=Path, default=None, help="where temporary files go")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (for inspection)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="affectlab-bench-", dir=args.work_dir))
    port = free_port()
    load_before = load_average()
    isolate_environment(work / "var", port)
    try:
        migrate()
        import django

        django.setup()
        fixture = create_fixture()
        with web_server(port, work / "gunicorn.log") as server:
            warm = random_file(work / "warm-up.bin", 1)
            upload(port, fixture, warm)  # loads every lazily imported module before measuring
            uploads = [
                measure_upload(port, server.pid, fixture, work, size)
                for size in sorted({args.small_mb, args.size_mb})
            ]
        norm = measure_normalise(fixture, work, args.clip_seconds)
        report(uploads, norm, load_before)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
