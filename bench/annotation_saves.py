#!/usr/bin/env python
"""Annotation saves under many concurrent annotators, against a bare authenticated DRF endpoint.

Starts the real web server (gunicorn with ``platform/gunicorn.conf.py``: gthread workers) with
``bench/annotation_saves_settings.py``, which adds one route to the product URLs: ``PUT
/bench/bare/``, an APIView with the same authentication and permission classes that parses the
body and stores nothing. Then N annotators (threads, one keep-alive connection each), each with
their own token and their own assignment, start together and:

- bare phase: send R ``PUT /bench/bare/`` requests each, with the body and headers of a save;
- save phase: send R ``PUT /api/assignments/{id}/annotation/`` each, every one a new revision
  based on the previous (``base_revision``), with a fresh Idempotency-Key.

Before anything is timed, one more annotator (not measured, not verified) sends a few bare
requests and saves, so that lazily imported modules are loaded and the save path's SQL is
built. Phases alternate for ``--rounds`` rounds. Printed: requests per second and p95 latency
of both, and the ratios (goals: save/bare throughput >= 0.5, save/bare p95 <= 2), plus the web
worker's CPU time per request, which moves less than wall time on a shared machine. Afterwards it checks
in the database that every annotation has exactly the revisions that were sent (numbers 1..n,
each key once, values as sent: nothing lost, nothing doubled), and that re-sending each
annotator's last save with the same key returns that revision (200) and stores nothing.

SQLite in a temporary AFFECTLAB_VAR_DIR by default; with DATABASE_URL set it uses that database
(it creates its own uniquely named users and project there and leaves them).

    .venv/bin/python bench/annotation_saves.py [--annotators 50] [--revisions 10] [--rounds 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from bench import local_server  # noqa: E402
from bench.local_server import free_port, wait_until_healthy, worker_pids  # noqa: E402

PY = sys.executable
CLASSES = ("joy", "anger", "sadness", "fear", "surprise", "disgust", "neutral")
DEFINITION = {
    "fields": [
        {
            "name": "emotion",
            "kind": "categorical",
            "scope": "item",
            "mode": "soft",
            "classes": [{"id": c} for c in CLASSES],
        },
        {
            "name": "vad",
            "kind": "dimensional",
            "scope": "item",
            "ratings": [
                {"name": "valence", "min": 1, "max": 9, "step": 1},
                {"name": "arousal", "min": 1, "max": 9, "step": 1},
            ],
        },
        {"name": "why", "kind": "text", "scope": "item", "required": False},
    ]
}
SCRUBBED = (
    "CELERY_BROKER_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AFFECTLAB_MEDIA_ROOT",
    "AFFECTLAB_STAGING_DIR",
    "AFFECTLAB_IMPORT_ROOT",
    "DJANGO_SETTINGS_MODULE",
)


# --------------------------------------------------------------------------- set-up


def isolate_environment(var_dir: Path, port: int, threads: int, workers: int) -> None:
    """A private var dir (SQLite file, media, broker queue) unless DATABASE_URL names a database."""
    local_server.isolate_environment(
        var_dir, scrubbed=SCRUBBED, AFFECTLAB_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers), WEB_THREADS=str(threads),
    )  # fmt: skip


@dataclass(frozen=True)
class Annotator:
    username: str
    token: str
    assignment_id: int


def create_fixture(count: int) -> tuple[int, list[Annotator]]:
    """A project with a schema, ``count`` annotators and one text item for each (K = 1)."""
    import hashlib

    from django.contrib.auth import get_user_model
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from annotation.models import Assignment
    from annotation.services import schema_publish
    from annotation.services.assignments import annotation_settings_set, assignments_generate
    from ingest.models import AssetStatus, MediaAsset
    from projects.models import Membership, Role
    from projects.services import project_create

    run = uuid.uuid4().hex[:8]
    users = get_user_model().objects
    owner = users.create_user(username=f"bench-owner-{run}")
    project = project_create(name=f"Annotation-save benchmark {run}", created_by=owner)
    schema_publish(project=project, definition=DEFINITION, user=owner)
    annotation_settings_set(project=project, overlap=1, strategy="round_robin")
    people = [users.create_user(username=f"bench-{run}-{i:03d}") for i in range(count)]
    Membership.objects.bulk_create(Membership(project=project, user=u, role=Role.ANNOTATOR) for u in people)
    for i in range(count):
        text = f"utterance {i} of benchmark {run}"
        MediaAsset.objects.create(
            project=project,
            kind="text",
            status=AssetStatus.READY,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
    assignments_generate(project=project)
    mine = dict(Assignment.objects.filter(project=project).values_list("annotator_id", "id"))
    if len(mine) != count:
        raise SystemExit(f"expected one assignment per annotator, got {len(mine)} for {count}")
    annotators = [
        Annotator(u.username, Token.objects.get_or_create(user=u)[0].key, mine[u.pk]) for u in people
    ]
    connections.close_all()
    return project.pk, annotators


@contextmanager
def web_server(port: int, log_path: Path) -> Iterator[subprocess.Popen]:
    """gunicorn as `make run` starts it, with the bench settings and its own control socket."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "annotation_saves_settings"}
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [
                *(PY, "-m", "gunicorn", "-c", "platform/gunicorn.conf.py", "--pythonpath", str(BENCH)),
                *("--control-socket", str(log_path.parent / "gunicorn.ctl"), "affectlab.wsgi"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(port, server, log_path)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=60)


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


# --------------------------------------------------------------------------- load


@dataclass
class Client:
    """One annotator's connection and what they have saved so far."""

    annotator: Annotator
    port: int
    latest: int | None = None
    sent: dict[str, dict] = field(default_factory=dict)  # idempotency key -> values
    last_request: tuple[str, bytes] | None = None
    conn: http.client.HTTPConnection | None = None

    def put(self, path: str, body: bytes, key: str) -> tuple[int, dict]:
        headers = {
            "Authorization": f"Token {self.annotator.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.conn.request("PUT", path, body=body, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                return response.status, json.loads(payload or b"{}")
            except (ConnectionError, http.client.HTTPException):
                # a keep-alive connection the server closed: reconnect once, same key (a safe retry)
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def body(self, step: int) -> tuple[dict, bytes]:
        weights = [((step + i) % len(CLASSES)) + 1 for i in range(len(CLASSES))]
        total = sum(weights)
        distribution = {c: w / total for c, w in zip(CLASSES, weights, strict=True)}
        distribution[CLASSES[0]] += 1 - sum(distribution.values())
        values = {
            "emotion": {"distribution": distribution},
            "vad": {"valence": 1 + step % 9, "arousal": 1 + (step * 7) % 9},
            "why": f"revision {step} by {self.annotator.username}",
        }
        body = {"base_revision": self.latest, "values": values, "submit": False}
        return values, json.dumps(body).encode()

    def bare(self, step: int) -> int:
        _, body = self.body(step)
        status, _ = self.put("/bench/bare/", body, str(uuid.uuid4()))
        return status

    def save(self, step: int) -> int:
        values, body = self.body(step)
        key = str(uuid.uuid4())
        status, answer = self.put(f"/api/assignments/{self.annotator.assignment_id}/annotation/", body, key)
        if status == 201:
            number = answer["revision"]["number"]
            if number != (self.latest or 0) + 1:
                raise SystemExit(f"{self.annotator.username}: got revision {number} after {self.latest}")
            self.latest = number
            self.sent[key] = values
            self.last_request = (key, body)
        return status


@dataclass
class Phase:
    name: str
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]
    cpu: float

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[94]

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.cpu / len(self.latencies)


def run_phase(
    name: str, clients: list[Client], revisions: int, step0: int, call: Callable[[Client, int], int], pids
) -> Phase:
    """Every client sends ``revisions`` requests one after another; all clients start together."""
    barrier = threading.Barrier(len(clients) + 1)
    latencies: list[list[float]] = [[] for _ in clients]
    statuses: list[dict[int, int]] = [{} for _ in clients]
    errors: list[BaseException] = []

    def work(index: int, client: Client) -> None:
        barrier.wait()
        try:
            for step in range(step0, step0 + revisions):
                start = time.perf_counter()
                status = call(client, step)
                latencies[index].append(time.perf_counter() - start)
                statuses[index][status] = statuses[index].get(status, 0) + 1
        except BaseException as exc:  # noqa: BLE001 - reported after the phase
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    cpu_before = cpu_seconds(pids)
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(pids) - cpu_before
    if errors:
        raise SystemExit(f"{name}: {len(errors)} client(s) failed, first: {errors[0]!r}")
    merged: dict[int, int] = {}
    for row in statuses:
        for status, n in row.items():
            merged[status] = merged.get(status, 0) + n
    return Phase(name, elapsed, [x for row in latencies for x in row], merged, cpu)


# --------------------------------------------------------------------------- checks


def verify(clients: list[Client]) -> list[str]:
    """Nothing lost, nothing doubled: the stored revisions are exactly the acknowledged saves."""
    from annotation.models import AnnotationRevision

    problems = []
    for client in clients:
        stored = list(
            AnnotationRevision.objects.filter(annotation__assignment_id=client.annotator.assignment_id)
            .order_by("number")
            .values_list("number", "based_on", "idempotency_key", "values")
        )
        numbers = [row[0] for row in stored]
        if numbers != list(range(1, len(client.sent) + 1)):
            problems.append(
                f"{client.annotator.username}: stored numbers {numbers[:5]}… for {len(client.sent)}"
            )
        if [row[1] for row in stored] != [None, *numbers[:-1]]:
            problems.append(f"{client.annotator.username}: a revision is not based on its predecessor")
        keys = [row[2] for row in stored]
        if len(set(keys)) != len(keys) or set(keys) != set(client.sent):
            problems.append(f"{client.annotator.username}: stored keys differ from acknowledged saves")
        if any(client.sent.get(key) != values for _, _, key, values in stored):
            problems.append(f"{client.annotator.username}: stored values differ from what was sent")
    return problems


def verify_retries(clients: list[Client]) -> list[str]:
    """Re-send each client's last save with its key: 200 with the same revision, nothing new."""
    from annotation.models import AnnotationRevision

    before = AnnotationRevision.objects.count()
    problems = []
    for client in clients:
        key, body = client.last_request
        status, answer = client.put(
            f"/api/assignments/{client.annotator.assignment_id}/annotation/", body, key
        )
        if status != 200 or answer["revision"]["number"] != client.latest:
            problems.append(f"{client.annotator.username}: retry answered {status} {answer}")
    if AnnotationRevision.objects.count() != before:
        problems.append("a retry stored a new revision")
    return problems


# --------------------------------------------------------------------------- report


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def report(
    args: argparse.Namespace, phases: list[Phase], engine: str, load_before: str, checks: list[str]
) -> None:
    bare = [p for p in phases if p.name == "bare"]
    saves = [p for p in phases if p.name == "save"]
    shape = f"{args.annotators} annotators x {args.revisions} revisions x {args.rounds} rounds"
    print(f"\nAnnotation saves: {shape}")
    print(
        f"server: gunicorn gthread, {args.workers} process(es) x {args.threads} threads; database: {engine}"
    )
    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}")
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    print(f"load average before / after: {load_before} / {load_average()}; {when}")
    header = f"{'phase':<12}{'requests':>9}{'seconds':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
    print(f"\n{header}{'CPU ms/req':>12}  statuses")
    for phase in phases:
        print(
            f"{phase.name:<12}{len(phase.latencies):>9}{phase.seconds:>9.2f}{phase.throughput:>9.1f}"
            f"{1000 * statistics.median(phase.latencies):>9.1f}{1000 * phase.p95:>9.1f}"
            f"{phase.cpu_ms_per_request:>12.2f}  {dict(sorted(phase.statuses.items()))}"
        )

    def pooled(group: list[Phase]) -> Phase:
        return Phase(
            group[0].name,
            sum(p.seconds for p in group),
            [x for p in group for x in p.latencies],
            {},
            sum(p.cpu for p in group),
        )

    b, s = pooled(bare), pooled(saves)
    print(f"\n{'save / bare throughput':<34}{s.throughput / b.throughput:>7.2f}   (goal >= 0.5)")
    print(f"{'save / bare p95 latency':<34}{s.p95 / b.p95:>7.2f}   (goal <= 2)")
    print(f"{'save / bare worker CPU per request':<34}{s.cpu_ms_per_request / b.cpu_ms_per_request:>7.2f}")
    print(
        "\nintegrity: "
        + ("every acknowledged save stored once, retries stored nothing" if not checks else "")
    )
    for problem in checks:
        print(f"  PROBLEM: {problem}")


# --------------------------------------------------------------------------- main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--annotators", type=int, default=50, help="concurrent annotators (default 50)")
    parser.add_argument(
        "--revisions", type=int, default=10, help="saves per annotator per round (default 10)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="bare/save phase pairs (default 2)")
    parser.add_argument("--threads", type=int, default=16, help="gunicorn threads (default 16, as make run)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn processes (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="affectlab-bench-saves-"))
    port = free_port()
    load_before = load_average()
    isolate_environment(work / "var", port, args.threads, args.workers)
    engine = "PostgreSQL (DATABASE_URL)" if os.environ.get("DATABASE_URL") else "SQLite (WAL, IMMEDIATE)"
    try:
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)
        import django

        django.setup()
        _, annotators = create_fixture(args.annotators + 1)
        with web_server(port, work / "gunicorn.log") as server:
            pids = worker_pids(server.pid)
            clients = [Client(a, port) for a in annotators[:-1]]
            # Lazily imported modules load before anything is timed, on both paths; the warm-up
            # annotator's assignment is not among the measured (or verified) ones.
            warm = Client(annotators[-1], port)
            for step in range(3):
                warm.bare(step)
                if warm.save(step) != 201:
                    raise SystemExit("the warm-up save was refused")
            phases: list[Phase] = []
            step = 0
            for _ in range(args.rounds):
                phases.append(run_phase("bare", clients, args.revisions, step, Client.bare, pids))
                phases.append(run_phase("save", clients, args.revisions, step, Client.save, pids))
                step += args.revisions
            checks = verify(clients) + verify_retries(clients)
            failed = {k: v for p in phases for k, v in p.statuses.items() if k not in (201,)}
            if failed:
                checks.append(f"non-201 answers during the phases: {failed}")
        report(args, phases, engine, load_before, checks)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if checks else 0


if __name__ == "__main__":
    sys.exit(main())
