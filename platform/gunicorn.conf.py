"""Gunicorn settings for the web process (container image and `make run`).

Threads rather than many processes: uploads and media streaming are I/O
bound, and one process keeps the embedded SQLite default simple.
"""

import os

bind = os.environ.get("AFFECTLAB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "16"))
timeout = int(os.environ.get("WEB_TIMEOUT", "300"))
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
limit_request_line = 8190
