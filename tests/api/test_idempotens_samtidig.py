"""Two requests with one Idempotency-Key at the same moment (PostgreSQL): one run is started,
and both answers are that run."""

from __future__ import annotations

import pytest

from ky_debitor.api_noegler import api_noegle_opret
from ky_debitor.roles import Rolle
from sagstilknytning.models import Sagstilknytningskoersel

from ..factories import BrugerFactory, kommune
from .conftest import samtidigt

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_requests_with_one_key_at_once_start_one_run():
    drift = BrugerFactory.create(kommune=kommune(101), roller=[Rolle.DRIFT])
    _, token = api_noegle_opret(user=drift, kommune=kommune(101), rolle=Rolle.DRIFT, navn="To")
    svar = samtidigt(
        token, "/api/v1/koersler/start/", {"proeve": True}, HTTP_IDEMPOTENCY_KEY="samme"
    )

    assert [s for s, _ in svar] == [201, 201], svar
    assert svar[0][1] == svar[1][1]
    assert Sagstilknytningskoersel.objects.filter(kommune=kommune(101)).count() == 1
