"""API clients for the named personas: session (as the browser) and token (as a system)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections
from rest_framework.test import APIClient

from ky_debitor.api_noegler import api_noegle_opret
from ky_debitor.roles import Rolle

from ..factories import kommune
from ..opgavepakker.conftest import opgaver  # noqa: F401 - a fixture used here too


def api_som(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def api_med_noegle(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def samtidigt(token: str, url: str, data: dict[str, Any], **headers: Any) -> list[tuple[int, Any]]:
    """POST the same request twice at the same moment from two threads (each with its own
    database connection); the (status, body) answers in the order they came back."""
    start = threading.Barrier(2)
    svar: list[tuple[int, Any]] = []

    def send() -> None:
        try:
            client = api_med_noegle(token)
            start.wait()
            r = client.post(url, data, format="json", **headers)
            svar.append((r.status_code, r.json()))
        finally:
            connections.close_all()

    traade = [threading.Thread(target=send) for _ in range(2)]
    for t in traade:
        t.start()
    for t in traade:
        t.join()
    return svar


@pytest.fixture
def drift_noegle(db, dina):
    """A Drift token of København, made by Dina: (row, token)."""
    return api_noegle_opret(user=dina, kommune=kommune(101), rolle=Rolle.DRIFT, navn="Driftsrobot")
