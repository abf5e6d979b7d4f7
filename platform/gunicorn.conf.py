"""Gunicorn settings for the web process (container image and `make run`).

Threads rather than many processes: uploads and media streaming are I/O
bound, and one process keeps the embedded SQLite default simple.
"""

import os

_var_dir = os.environ.get(
    "AFFECTLAB_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var")
)
# One control socket per installation, not one shared by every gunicorn the user runs.
os.makedirs(_var_dir, exist_ok=True)
control_socket = os.path.join(_var_dir, "gunicorn.ctl")
bind = os.environ.get("AFFECTLAB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "16"))
timeout = int(os.environ.get("WEB_TIMEOUT", "300"))
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
limit_request_line = 8190
