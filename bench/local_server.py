"""What the benchmarks share: a private environment, a free port, waiting for /health/, and
finding gunicorn's worker processes (whose CPU time some of them report)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(port: int, server: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited early:\n{log_path.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /health/ in {timeout:.0f} s")


def worker_pids(master_pid: int) -> list[int]:
    """gunicorn worker processes: the children of the master, read from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces: the parent pid is the 2nd field after ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == master_pid:
            pids.append(int(entry.name))
    return pids


def isolate_environment(var_dir: Path, *, scrubbed: Iterable[str], **settings: str) -> None:
    """Point this process (and what it starts) at a private var dir and a filesystem broker queue.

    Each name in ``scrubbed`` (and its ``_FILE`` form) is removed so that a developer's own
    settings (a database, a bucket, a broker) cannot leak into a run; ``settings`` are added.
    """
    for name in scrubbed:
        os.environ.pop(name, None)
        os.environ.pop(f"{name}_FILE", None)
    os.environ.update(
        {
            "AFFECTLAB_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "affectlab.settings.local",
            "CELERY_BROKER_URL": "filesystem://",
            "LOG_LEVEL": "ERROR",
            **settings,
        }
    )
