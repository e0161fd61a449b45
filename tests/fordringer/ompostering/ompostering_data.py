"""Shared set-up for the ompostering and udbetaling tests: two borgere of København.

Anna (A) paid 500,00 on 28-01-2025; it covered her gebyrlov claim FA (1.000,00 due
10-01-2025). Bo (B) has an opkrævningslov claim FB (2.000,00 due 15-01-2025) that nothing
covered. Interest on both is booked up to IDAG, 10-03-2025.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from fordringer.choices import PosteringArt, Renteregime
from fordringer.konto.selectors import restance_fra_ledger
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import (
    Borger,
    Fordring,
    Indbetaling,
    Ompostering,
    OmposteringAarsag,
    Postering,
)
from fordringer.rente.services import renter_afstem
from ky_debitor.money import NUL, afrund
from tests.factories import BorgerFactory, DebitorkontoFactory, FordringFactory, IndbetalingFactory

IDAG = dt.date(2025, 3, 10)
BETALT = dt.date(2025, 1, 28)


@dataclass
class Sag:
    anna: Borger
    bo: Borger
    fa: Fordring
    fb: Fordring
    indbetaling: Indbetaling
    daekning: Postering
    aarsag: OmposteringAarsag


def opret(user: Any) -> Sag:
    anna = BorgerFactory.create(navn="Anna Andersen", cpr="0202801234")
    bo = BorgerFactory.create(navn="Bo Berg", cpr="0303801234")
    fa = FordringFactory.create(
        konto=DebitorkontoFactory.create(borger=anna, kontonummer="K-A"),
        fordringsid="FA",
        hovedstol=Decimal("1000.00"),
        forfaldsdato=dt.date(2025, 1, 10),
        renteregime=Renteregime.GEBYRLOVEN_3,
    )
    fb = FordringFactory.create(
        konto=DebitorkontoFactory.create(borger=bo, kontonummer="K-B"),
        fordringsid="FB",
        hovedstol=Decimal("2000.00"),
        forfaldsdato=dt.date(2025, 1, 15),
        renteregime=Renteregime.OPKRAEVNINGSLOVEN_7,
    )
    indbetaling = IndbetalingFactory.create(
        borger=anna, beloeb=Decimal("500.00"), valoerdato=BETALT
    )
    daekning = postering_bogfoer(
        fordring=fa,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("500.00"),
        valoerdato=BETALT,
        user=user,
        indbetaling=indbetaling,
        tekst="Indbetaling",
    )
    for fordring in (fa, fb):
        renter_afstem(fordring=fordring, til_dato=IDAG, user=user, begrundelse="Rentekørsel")
        fordring.refresh_from_db()
    return Sag(
        anna=anna,
        bo=bo,
        fa=fa,
        fb=fb,
        indbetaling=indbetaling,
        daekning=daekning,
        aarsag=OmposteringAarsag.objects.get(
            tekst="Indbetalingen er placeret på en forkert borger"
        ),
    )


def tilstand() -> tuple[Any, ...]:
    """Everything an ompostering could change, to show that a refused one changed nothing."""
    return (
        list(Fordring.objects.order_by("pk").values_list("restance", "rykkerniveau")),
        list(Indbetaling.objects.order_by("pk").values_list("daekket", flat=True)),
        Postering.objects.count(),
        Ompostering.objects.count(),
    )


def invarianter() -> None:
    """DESIGN §4.2 and the ompostering's own sum, over the whole database."""
    for fordring in Fordring.objects.all():
        assert NUL <= fordring.restance == restance_fra_ledger(fordring)
    for indbetaling in Indbetaling.objects.all():
        brugt = -afrund(
            Postering.objects.filter(indbetaling=indbetaling).aggregate(s=Sum("beloeb"))["s"] or NUL
        )
        assert NUL <= indbetaling.daekket == brugt <= indbetaling.beloeb
    for o in Ompostering.objects.all():
        assert o.beloeb == o.fordelt + o.udbetalt + o.venter
