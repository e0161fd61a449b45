"""The interest run on real Celery workers over Redis: the run's task sends one task per lane,
two workers take one lane each, and the last lane to finish marks the run done.

Needs PostgreSQL and ``REDIS_TEST_URL`` (``tests/arbejdere.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fordringer.choices import PosteringArt, Renteregime
from fordringer.models import Postering, Rentekoersel, RentekoerselStatus
from fordringer.rente.koersel import rentekoersel_opret
from fordringer.tasks import rentekoersel_koer_opgave
from tests.arbejdere import KRAEVER_ARBEJDERE, start_worker, stop
from tests.factories import BorgerFactory, DebitorkontoFactory, FordringFactory, kommune
from tests.vent import vent_til

pytestmark = KRAEVER_ARBEJDERE


def test_two_workers_run_the_lanes_and_the_run_ends_done(broker, settings, tmp_path):
    """Ten gebyrlov claims of 1.000,00 due 10-01-2025 on ten konti: to 20-04-2025 each has
    4 x 10,00 of interest, 400,00 in all, booked once whichever worker took its lane."""
    settings.KY_RENTE_SPOR = 2
    fs = [
        FordringFactory.create(
            konto=DebitorkontoFactory.create(borger=BorgerFactory.create(kommune=kommune(101))),
            hovedstol=Decimal("1000.00"),
            forfaldsdato=dt.date(2025, 1, 10),
            renteregime=Renteregime.GEBYRLOVEN_3,
        )
        for _ in range(10)
    ]
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 4, 20), user=None)
    assert koersel.spor == 2
    miljoe = {"KY_VAR_DIR": str(tmp_path)}
    arbejdere = [start_worker(f"rente{n}", miljoe=miljoe) for n in (1, 2)]
    try:
        broker.send_task(rentekoersel_koer_opgave.name, args=[koersel.pk])
        vent_til(
            lambda: Rentekoersel.objects.get(pk=koersel.pk).status == RentekoerselStatus.DONE,
            besked="rentekørslen færdig",
            timeout=120,
        )
    finally:
        for arbejder in arbejdere:
            stop(arbejder)
    koersel.refresh_from_db()
    assert (koersel.antal_i_alt, koersel.antal_behandlet, koersel.antal_aendret) == (10, 10, 10)
    assert koersel.beloeb_bogfoert == Decimal("400.00")
    assert list(koersel.spor_raekker.values_list("nummer", "faerdig")) == [(0, True), (1, True)]
    for f in fs:
        renter = Postering.objects.filter(fordring=f, art=PosteringArt.RENTE)
        assert renter.count() == 4
