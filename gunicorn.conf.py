"""Gunicorn's settings in production: read by ``gunicorn`` started in the project folder (the
Dockerfile's command and ``bench/last.py``); the environment can change each.

Threads (``gthread``): a slow request — a report preview over a million rows, an export
written on the spot — holds one thread, not a whole worker, so the quick screens behind it are
not queued; CPU is still shared. Each thread keeps its own database connection
(``conn_max_age``), so PostgreSQL sees workers x threads connections.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
