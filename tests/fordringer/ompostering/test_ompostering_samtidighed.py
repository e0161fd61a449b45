"""Several people reallocate the same dækning at once (DESIGN §4.8): exactly one succeeds,
the others get a clear message, and the ledger stays consistent. Real PostgreSQL, real threads.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from fordringer.models import Ompostering, Postering
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
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
