"""Named personas and shared fixtures (healthchecks' hc/test.py style)."""

from __future__ import annotations

import pytest
import redis
from celery import Celery
from django.db import connection

from ky_debitor.roles import Rolle

from .arbejdere import REDIS_TEST_URL
from .factories import BrugerFactory, kommune


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
