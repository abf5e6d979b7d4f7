"""Real Celery worker processes for tests: same database, media folder and broker namespace as the test.

A worker is ``python -m celery -A affectlab worker`` in its own process group, with the
test settings and the test run's folder (``AFFECTLAB_TEST_VAR_DIR``): on SQLite it opens
the test database file, on PostgreSQL ``DATABASE_URL`` names the test database that
pytest-django created. Its log goes to a file that tests read to see what it did.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 60


def database_env() -> dict[str, str]:
    """What points a worker at the database this test is using (the test database, not the real one)."""
    if connection.vendor == "sqlite":
        return {}  # the test settings open the run's test database file when AFFECTLAB_TEST_WORKER=1
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        credentials = quote(params["USER"] or "", safe="")
        if params.get("PASSWORD"):
            credentials += ":" + quote(params["PASSWORD"], safe="")
        host = params["HOST"] or "localhost"
        port = f":{params['PORT']}" if params.get("PORT") else ""
        return {"DATABASE_URL": f"postgres://{credentials}@{host}{port}/{quote(params['NAME'], safe='')}"}
    raise RuntimeError(f"worker tests do not know how to share a {connection.vendor} test database")


def broker_reset() -> None:
    """Empty this test run's broker namespace: no message left by an earlier test reaches a new worker."""
    url = settings.CELERY_BROKER_URL
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if url.startswith(("redis://", "rediss://")):
        import redis

        prefix = options["global_keyprefix"]
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()
    elif url.startswith("filesystem://"):
        for folder in {options["data_folder_in"], options["data_folder_out"], options["control_folder"]}:
            for path in Path(folder).iterdir():
                path.unlink()
    else:
        raise RuntimeError(f"worker tests do not know how to empty the broker at {url!r}")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


@dataclass
class WorkerProcess:
    name: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, pattern: str, *, timeout: float = 60) -> re.Match:
        """Wait until the worker logs a line matching ``pattern``; fail with the log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if match := re.search(pattern, self.log()):
                return match
            if self.process.poll() is not None:
                code = self.process.returncode
                raise AssertionError(f"worker {self.name} exited with {code}:\n{self.log()}")
            time.sleep(0.1)
        raise AssertionError(f"worker {self.name} never logged {pattern!r} in {timeout} s:\n{self.log()}")

    def received(self, task_name: str) -> list[str]:
        """Ids of the tasks of this name that the worker received, in order (a redelivery repeats one)."""
        return re.findall(rf"Task {re.escape(task_name)}\[([\w-]+)\] received", self.log())

    def task_outcomes(self, task_id: str) -> list[str]:
        """How this worker ended each run of the task with this id: succeeded, ignored, retry, raised..."""
        words = re.findall(rf"Task [\w.]+\[{re.escape(task_id)}\] (\w+)", self.log())
        return [word for word in words if word != "received"]

    def wait_for_outcome(self, task_id: str, *, timeout: float = 60) -> str:
        """Wait until the worker ends a run of this task; returns how it ended."""
        return self.wait_for_log(rf"\[{re.escape(task_id)}\] (?!received)(\w+)", timeout=timeout).group(1)

    def job_process(self) -> int | None:
        """The pool process that is running ffmpeg right now, if any."""
        pending = [self.process.pid]
        while pending:
            pid = pending.pop()
            for child in _children(pid):
                if _command_name(child).startswith("ffmpeg"):
                    return pid
                pending.append(child)
        return None

    def kill_job_process(self) -> int:
        """SIGKILL the pool process running the job, as an OOM killer would; the master lives on."""
        pid = self.job_process()
        if pid is None:
            raise AssertionError(f"worker {self.name} is not running ffmpeg:\n{self.log()}")
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill(self) -> None:
        """SIGKILL the whole worker (master, pool processes, ffmpeg), as when its host is lost."""
        _kill_group(self.process.pid)
        self.process.wait(timeout=30)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def start_worker(
    log_dir: Path, name: str = "worker", *, env: dict[str, str] | None = None, beat: bool = False
) -> WorkerProcess:
    """Start a worker on the cpu and gpu queues with one prefork process; returns once it is ready."""
    unique = f"{name}-{uuid.uuid4().hex[:8]}"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "affectlab",
        "worker",
        "-Q",
        "cpu,gpu",
        "--pool",
        "prefork",
        "-c",
        "1",
        "-n",
        f"{unique}@%h",
        "-l",
        "info",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if beat:
        command += ["-B", "-s", str(log_dir / f"{unique}-beat-schedule")]
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "affectlab.settings.test",
        "AFFECTLAB_TEST_VAR_DIR": str(settings.AFFECTLAB_TEST_VAR_DIR),
        "AFFECTLAB_TEST_WORKER": "1",
        "ORT_DISABLE_TELEMETRY": "1",
        "PYTHONUNBUFFERED": "1",
        **database_env(),
        **(env or {}),
    }
    log_path = log_dir / f"{unique}.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = WorkerProcess(unique, process, log_path)
    try:
        worker.wait_for_log(r"\bready\.", timeout=READY_TIMEOUT)
    except BaseException:
        worker.kill()
        raise
    return worker
