#!/usr/bin/env python
"""`make run`: the embedded default on one machine.

Migrates the SQLite database, makes sure an admin user exists and prints its
API token, seeds the demo project, then starts a Celery worker (filesystem
broker: no server needed) with its periodic sweep, and the web server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, check=True)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "affectlab.settings.local")
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    host = os.environ.get("AFFECTLAB_HOST", "127.0.0.1")
    port = os.environ.get("AFFECTLAB_PORT", "8000")
    manage("migrate", "--noinput", "-v", "0")
    manage("ensure_admin")
    manage("seed_demo")
    env = {**os.environ, "AFFECTLAB_BIND": f"{host}:{port}", "WEB_CONCURRENCY": "1"}
    worker = subprocess.Popen(
        [
            PY,
            "-m",
            "celery",
            "-A",
            "affectlab",
            "worker",
            "-B",
            "-Q",
            "cpu,gpu",
            "--concurrency",
            "2",
            "-l",
            "info",
            "-s",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
        cwd=ROOT,
        env=env,
    )
    web = subprocess.Popen(
        [PY, "-m", "gunicorn", "-c", "platform/gunicorn.conf.py", "affectlab.wsgi"], cwd=ROOT, env=env
    )
    time.sleep(2)
    print(f"\nAffectLab is running at http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs/)")
    print("Press Ctrl-C to stop.\n", flush=True)

    def stop(*_: object) -> None:
        for process in (web, worker):
            process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while web.poll() is None and worker.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    stop()
    for process in (web, worker):
        process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
