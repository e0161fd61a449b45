"""API clients for the named personas: session (as the browser) and token (as a system)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ky_debitor.api_noegler import api_noegle_opret
from ky_debitor.roles import Rolle

from ..factories import BrugerFactory, kommune
from ..opgavepakker.conftest import carl, opgaver  # noqa: F401 - fixtures used here too


def api_som(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def api_med_noegle(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def dina(db):
    """Dina is Drift in København."""
    return BrugerFactory.create(username="dina", kommune=kommune(101), roller=[Rolle.DRIFT])


@pytest.fixture
def drift_noegle(db, dina):
    """A Drift token of København, made by Dina: (row, token)."""
    return api_noegle_opret(user=dina, kommune=kommune(101), rolle=Rolle.DRIFT, navn="Driftsrobot")
