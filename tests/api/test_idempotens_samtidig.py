"""Two requests with one Idempotency-Key at the same moment (PostgreSQL): one run is started,
and both answers are that run."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from ky_debitor.api_noegler import api_noegle_opret
from ky_debitor.roles import Rolle
from sagstilknytning.models import Sagstilknytningskoersel

from ..factories import BrugerFactory, kommune
from .conftest import api_med_noegle

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_requests_with_one_key_at_once_start_one_run():
    drift = BrugerFactory.create(kommune=kommune(101), roller=[Rolle.DRIFT])
    _, token = api_noegle_opret(user=drift, kommune=kommune(101), rolle=Rolle.DRIFT, navn="To")
    start = threading.Barrier(2)
    svar: list[tuple[int, dict]] = []

    def send() -> None:
        try:
            client = api_med_noegle(token)
            start.wait()
            r = client.post(
                "/api/v1/koersler/start/",
                {"proeve": True},
                format="json",
                HTTP_IDEMPOTENCY_KEY="samme",
            )
            svar.append((r.status_code, r.json()))
        finally:
            connections.close_all()

    traade = [threading.Thread(target=send) for _ in range(2)]
    for t in traade:
        t.start()
    for t in traade:
        t.join()

    assert [s for s, _ in svar] == [201, 201], svar
    assert svar[0][1] == svar[1][1]
    assert Sagstilknytningskoersel.objects.filter(kommune=kommune(101)).count() == 1
