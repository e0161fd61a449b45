"""Two caseworkers decide on the same KMD Aktiv konto at once (DESIGN §4.8): the konti are
locked, exactly one decision wins, the other gets a clear message. Real PostgreSQL, threads."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from fordringer.choices import BeskedType, SamlingBeslutningType
from fordringer.models import SamletFordring, Samlingsbeslutning, UdgaaendeBesked
from fordringer.samling.services import samlingsbeslutning_opret
from ky_debitor.errors import ApplicationError
from ky_debitor.roles import Rolle
from tests.factories import BrugerFactory, kommune
from tests.fordringer.samling.samling_data import opret

TRAADE = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_one_of_several_simultaneous_samlinger_wins():
    personer = [
        BrugerFactory.create(
            username=f"sagsbehandler{n}", kommune=kommune(101), roller=[Rolle.SAGSBEHANDLER]
        )
        for n in range(TRAADE)
    ]
    d = opret()
    start = threading.Barrier(TRAADE)
    udfald: list[str] = []

    def saml(person):
        try:
            start.wait()
            samlingsbeslutning_opret(
                user=person,
                konto_id=d.kmd.pk,
                beslutning=SamlingBeslutningType.SAML,
                begrundelse="Samme ydelse",
                ky_konto_id=d.ky.pk,
                forventet_seneste_id=0,
            )
            udfald.append("ok")
        except ApplicationError as fejl:
            udfald.append(fejl.message)
        finally:
            connection.close()

    traade = [threading.Thread(target=saml, args=(p,)) for p in personer]
    for t in traade:
        t.start()
    for t in traade:
        t.join()

    assert udfald.count("ok") == 1, udfald
    assert all("mens du vurderede den" in u for u in udfald if u != "ok"), udfald
    assert Samlingsbeslutning.objects.count() == 1
    assert SamletFordring.objects.count() == 2
    assert UdgaaendeBesked.objects.filter(type=BeskedType.SF1590_B_04).count() == 1
