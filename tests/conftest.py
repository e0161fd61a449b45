"""Named personas and shared fixtures (healthchecks' hc/test.py style)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings as django_settings
from django.db import connection
from hypothesis import HealthCheck, settings

from . import personas
from .arbejdere import REDIS_TEST_URL
from .factories import kommune
from .vent import vent_til

# In CI (``.ci/run`` sets CI=true) the property tests are reproducible: the examples are
# derived from each test itself rather than drawn at random, so a red run is red again on
# any machine and a green one cannot turn red by luck; a failure prints the blob for
# ``@reproduce_failure``, and the case then goes into the test as an explicit ``@example``.
# No examples database (nothing carried between runs), and no deadline: a slow shared
# machine must not fail a correct test. Locally the default profile keeps drawing new
# examples (try ``--hypothesis-seed=N``) and remembers the failures it finds.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist each process gets its own ``KY_VAR_DIR`` below the given one (stored
    exports, the outbox's files), and so do the worker processes a test starts; the test
    database is already its own (pytest-django suffixes its name with ``_gw0``, ``_gw1``, …)."""
    arbejder = os.environ.get("PYTEST_XDIST_WORKER")
    if not arbejder:
        return
    var = Path(django_settings.VAR_DIR) / arbejder
    var.mkdir(parents=True, exist_ok=True)
    os.environ["KY_VAR_DIR"] = str(var)
    django_settings.VAR_DIR = var
    if "DJANGO_MEDIA_ROOT" not in os.environ:
        django_settings.MEDIA_ROOT = var / "media"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="kræver PostgreSQL (DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def koebenhavn(db):
    return kommune(101)


@pytest.fixture
def odense(db):
    return kommune(461)


# The named people (``tests/personas.py``); a test asks for them by name.


@pytest.fixture
def alice(db):
    return personas.alice()


@pytest.fixture
def bent(db):
    return personas.bent()


@pytest.fixture
def birgit(db):
    return personas.birgit()


@pytest.fixture
def carl(db):
    return personas.carl()


@pytest.fixture
def dina(db):
    return personas.dina()


@pytest.fixture
def pia(db):
    return personas.pia()


@pytest.fixture
def olga(db):
    return personas.olga()


@pytest.fixture
def oskar(db):
    return personas.oskar()


@pytest.fixture
def broker():
    """A Celery client for the test broker (``tests/arbejdere.py``); the project's own app is
    left as configured. The test holds the test Redis alone (``redis_alene``)."""
    with redis_alene():
        redis.Redis.from_url(REDIS_TEST_URL).flushdb()
        client = Celery("test-klient", broker=REDIS_TEST_URL, backend=REDIS_TEST_URL)
        yield client
        client.close()
        redis.Redis.from_url(REDIS_TEST_URL).flushdb()


@contextmanager
def redis_alene(timeout: float = 900) -> Iterator[None]:
    """Hold the test Redis alone: a test with real workers empties its queue and consumes from
    it, so no other process (another xdist process, another run on this machine against the
    same Redis database) may use it meanwhile. A lock file named after ``REDIS_TEST_URL`` is
    taken, waiting at most ``timeout`` seconds. (pytest-xdist's ``--dist loadgroup`` would
    keep such tests on one process, but it does not group under pytest 9.2:
    pytest-dev/pytest-xdist#1386.)"""
    navn = hashlib.sha256(REDIS_TEST_URL.encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"ky-test-redis-{navn}.lock", "w") as laas:

        def taget() -> bool:
            try:
                fcntl.flock(laas, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        vent_til(taget, timeout=timeout, interval=0.5, besked=f"test-Redis {REDIS_TEST_URL} ledig")
        try:
            yield
        finally:
            fcntl.flock(laas, fcntl.LOCK_UN)
