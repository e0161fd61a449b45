"""Real Celery workers for tests: started against the PostgreSQL test database and a Redis
for tests (``REDIS_TEST_URL``), exactly as in production, and stopped (or killed) again.

Tests that use them set ``pytestmark = KRAEVER_ARBEJDERE``; the ``broker`` fixture lives in
``tests/conftest.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "")
ROOT = Path(__file__).resolve().parents[1]

# The ``broker`` fixture gives such a test the test Redis alone, also under pytest-xdist.
KRAEVER_ARBEJDERE = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not REDIS_TEST_URL, reason="kræver REDIS_TEST_URL (en Redis til test)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def database_url() -> str:
    """The test database of this process (under pytest-xdist ``test_<name>_gw0``, …)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(name: str, *, miljoe: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_TEST_URL,
        "KY_CELERY_VISIBILITY_TIMEOUT": "3",
        "DJANGO_SETTINGS_MODULE": "ky_debitor.settings",
        **(miljoe or {}),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ky_debitor",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-n",
            f"{name}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def stop(worker: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)
