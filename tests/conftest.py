"""Named personas and shared fixtures (healthchecks' hc/test.py style)."""

from __future__ import annotations

import os

import pytest
import redis
from celery import Celery
from django.db import connection
from hypothesis import HealthCheck, settings

from ky_debitor.roles import Rolle

from .arbejdere import REDIS_TEST_URL
from .factories import BrugerFactory, kommune

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


@pytest.fixture
def alice(db):
    """Alice is a Sagsbehandler in København."""
    return BrugerFactory.create(
        username="alice", kommune=kommune(101), roller=[Rolle.SAGSBEHANDLER]
    )


@pytest.fixture
def bent(db):
    """Bent is a Bogholder in København."""
    return BrugerFactory.create(username="bent", kommune=kommune(101), roller=[Rolle.BOGHOLDER])


@pytest.fixture
def olga(db):
    """Olga is a Sagsbehandler in Odense: she must never see København's data."""
    return BrugerFactory.create(username="olga", kommune=kommune(461), roller=[Rolle.SAGSBEHANDLER])


@pytest.fixture
def broker():
    """A Celery client for the test broker (``tests/arbejdere.py``); the project's own app is
    left as configured."""
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    client = Celery("test-klient", broker=REDIS_TEST_URL, backend=REDIS_TEST_URL)
    yield client
    client.close()
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
