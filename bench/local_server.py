"""What the benchmarks that start a real web server share: a free port, waiting for /health/, and
finding gunicorn's worker processes (whose CPU time some of them report)."""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
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
