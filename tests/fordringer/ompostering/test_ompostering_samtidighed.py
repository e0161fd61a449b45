"""Several people reallocate the same dækning, or take the same waiting amount off the
sagsbehandlerfordeling list, at once (DESIGN §4.8): exactly one succeeds, the others get a
clear message, and the ledger stays consistent. Real PostgreSQL, real threads.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from fordringer.choices import Udbetalingskanal
from fordringer.models import (
    Kundekredit,
    Ompostering,
    Postering,
    Sagsbehandlerfordeling,
    Udbetaling,
)
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.kredit import sagsbehandlerfordeling_til_kunden
from fordringer.ompostering.listeudbetaling import (
    sagsbehandlerfordeling_tilbagebetal,
    sagsbehandlerfordeling_udbetal,
)
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.udbetaling import UdbetalingValg
from ky_debitor.errors import ConflictError
from ky_debitor.roles import Rolle
from tests.factories import BrugerFactory, kommune
from tests.fordringer.ompostering.ompostering_data import IDAG, invarianter, opret

TRAADE = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_one_of_several_simultaneous_omposteringer_of_one_daekning_wins():
    personer = [
        BrugerFactory.create(
            username=f"bogholder{n}", kommune=kommune(101), roller=[Rolle.BOGHOLDER]
        )
        for n in range(TRAADE)
    ]
    s = opret(personer[0])
    start = threading.Barrier(TRAADE)
    udfald: list[str] = []

    def omposter(person):
        try:
            start.wait()
            ompostering_opret(
                user=person,
                daekning_ids=[s.daekning.pk],
                aarsag_id=s.aarsag.pk,
                til_borger_id=s.bo.pk,
                fordeling=[NyDaekning(s.fb.pk, Decimal("500.00"))],
                idag=IDAG,
            )
            udfald.append("ok")
        except ConflictError as fejl:
            udfald.append(fejl.message)
        finally:
            connection.close()

    traade = [threading.Thread(target=omposter, args=(p,)) for p in personer]
    for t in traade:
        t.start()
    for t in traade:
        t.join()

    assert udfald.count("ok") == 1
    assert all("allerede tilbageført eller omposteret" in u for u in udfald if u != "ok")
    assert Ompostering.objects.count() == 1
    assert Postering.objects.filter(tilbagefoerer=s.daekning).count() == 1
    invarianter()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_one_way_off_the_list_wins_for_one_item():
    personer = [
        BrugerFactory.create(
            username=f"bogholder{n}", kommune=kommune(101), roller=[Rolle.BOGHOLDER]
        )
        for n in range(TRAADE)
    ]
    s = opret(personer[0])
    ompostering_opret(
        user=personer[0], daekning_ids=[s.daekning.pk], aarsag_id=s.aarsag.pk, idag=IDAG
    )
    post = Sagsbehandlerfordeling.objects.get()
    veje = [
        lambda p: sagsbehandlerfordeling_udbetal(
            user=p,
            post_id=post.pk,
            udbetaling=UdbetalingValg(beloeb=post.beloeb, kanal=Udbetalingskanal.NEMKONTO),
            behandling="Udbetales",
        ),
        lambda p: sagsbehandlerfordeling_tilbagebetal(user=p, post_id=post.pk, begrundelse="Retur"),
        lambda p: sagsbehandlerfordeling_til_kunden(user=p, post_id=post.pk, behandling="Kunden"),
        lambda p: sagsbehandlerfordeling_udbetal(
            user=p,
            post_id=post.pk,
            udbetaling=UdbetalingValg(beloeb=Decimal("100.00"), kanal=Udbetalingskanal.NEMKONTO),
            behandling="Delvis",
        ),
    ]
    start = threading.Barrier(TRAADE)
    udfald: list[str] = []

    def behandl(person, vej):
        try:
            start.wait()
            vej(person)
            udfald.append("ok")
        except ConflictError as fejl:
            udfald.append(fejl.message)
        finally:
            connection.close()

    traade = [
        threading.Thread(target=behandl, args=(p, v)) for p, v in zip(personer, veje, strict=True)
    ]
    for t in traade:
        t.start()
    for t in traade:
        t.join()

    assert udfald.count("ok") == 1
    assert all(u == "Posten er allerede behandlet af en anden." for u in udfald if u != "ok")
    # One way out, once: a payout or a credit, and a rest only after the partial payout.
    assert Udbetaling.objects.count() + Kundekredit.objects.count() == 1
    venter = Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True)
    assert [p.beloeb for p in venter] in ([], [Decimal("400.00")])
    invarianter()
