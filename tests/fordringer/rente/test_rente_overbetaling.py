"""A back-dated payment that paid what the screen showed overpays the claim once the interest
is recomputed from the payment date. The excess is placed on the customer (seed 004,
"placeres på kunden"): it leaves the claim and waits on the sagsbehandlerfordeling list with
its payment and value date, and the interest reconciliation goes through.

Worked by hand (gebyrloven § 3, 1 % per month; hovedstol 1.000,00 due 31-12-2024):

* 31-12-2024: 1 % of 1.000,00 = 10,00.
* 01-01-2025: 354,66 covers the 10,00 of interest, then 344,66 of principal: 655,34 left.
  Every month to 30-06-2025 books 6,55, so the screen shows 655,34 + 6 x 6,55 = 694,64.
* The customer then pays 655,35, also dated 01-01-2025. From that date the claim owed only
  655,34 and no later interest: 0,01 is overpaid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fordringer.choices import PosteringArt, Renteregime
from fordringer.konto.selectors import restance_fra_ledger
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Postering, Sagsbehandlerfordeling
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.udbetaling import sagsbehandlerfordeling_behandl
from fordringer.rente.services import renter_afstem
from ky_debitor.models import AuditEvent
from tests.factories import BorgerFactory, DebitorkontoFactory, FordringFactory, IndbetalingFactory

D = Decimal
IDAG = dt.date(2025, 6, 30)
BETALT = dt.date(2025, 1, 1)


def betal(fordring, beloeb: str):
    indbetaling = IndbetalingFactory.create(
        borger=fordring.konto.borger, beloeb=D(beloeb), valoerdato=BETALT
    )
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=D(beloeb),
        valoerdato=BETALT,
        user=None,
        indbetaling=indbetaling,
    )
    return indbetaling


@pytest.mark.django_db
def test_a_back_dated_overpayment_is_placed_on_the_customer_and_the_interest_reconciles():
    borger = BorgerFactory.create()
    fordring = FordringFactory.create(
        konto=DebitorkontoFactory.create(borger=borger),
        hovedstol=D("1000.00"),
        forfaldsdato=dt.date(2024, 12, 31),
        renteregime=Renteregime.GEBYRLOVEN_3,
    )
    renter_afstem(fordring=fordring, til_dato=IDAG, user=None, begrundelse="Rentekørsel")
    forste = betal(fordring, "354.66")
    renter_afstem(fordring=fordring, til_dato=IDAG, user=None, begrundelse="Rentekørsel")
    fordring.refresh_from_db()
    assert fordring.restance == D("694.64")  # what the screen shows

    anden = betal(fordring, "655.35")
    renter_afstem(fordring=fordring, til_dato=IDAG, user=None, begrundelse="Rentekørsel")

    fordring.refresh_from_db()
    assert fordring.restance == D("0.00") == restance_fra_ledger(fordring)
    # Only interest up to the payment date stands: the 10,00 of 31-12-2024.
    renter = Postering.objects.filter(
        fordring=fordring, art=PosteringArt.RENTE, tilbagefoert_af__isnull=True
    )
    assert [(r.valoerdato, r.beloeb) for r in renter] == [(dt.date(2024, 12, 31), D("10.00"))]
    forste.refresh_from_db()
    anden.refresh_from_db()
    assert (forste.daekket, anden.daekket) == (D("354.66"), D("655.34"))
    # The 0,01 waits for a person, on the customer, with the payment and its value date.
    post = Sagsbehandlerfordeling.objects.get()
    assert (post.borger_id, post.indbetaling_id, post.beloeb, post.valoerdato) == (
        borger.pk,
        anden.pk,
        D("0.01"),
        BETALT,
    )
    assert post.ompostering_id is None and post.behandlet is None
    assert "Overbetaling" in post.tekst and fordring.fordringsid in post.tekst
    assert AuditEvent.objects.filter(handling="sagsbehandlerfordeling.overbetaling").count() == 1
    # No money disappeared: the two payments are on the claim or on the list.
    assert forste.daekket + anden.daekket + post.beloeb == D("354.66") + D("655.35")


@pytest.mark.django_db
def test_a_dækning_that_only_paid_interest_no_longer_due_is_placed_on_the_customer_whole():
    """Three payments dated the due date, an interest day (a payment on it is applied before
    its interest): 600,00 and 400,00 pay the 1.000,00 before any interest runs, so the 50,00
    booked last against the interest the screen showed is all overpaid: that dækning is
    reversed whole and the 50,00 waits on the list."""
    fordring = FordringFactory.create(
        hovedstol=D("1000.00"),
        forfaldsdato=dt.date(2024, 12, 31),
        renteregime=Renteregime.GEBYRLOVEN_3,
    )
    renter_afstem(fordring=fordring, til_dato=IDAG, user=None, begrundelse="Rentekørsel")
    dato = dt.date(2024, 12, 31)
    indbetalinger = []
    for beloeb in ("600.00", "400.00", "50.00"):
        indbetaling = IndbetalingFactory.create(beloeb=D(beloeb), valoerdato=dato)
        postering_bogfoer(
            fordring=fordring,
            art=PosteringArt.DAEKNING,
            beloeb=D(beloeb),
            valoerdato=dato,
            user=None,
            indbetaling=indbetaling,
        )
        indbetalinger.append(indbetaling)

    renter_afstem(fordring=fordring, til_dato=IDAG, user=None, begrundelse="Rentekørsel")

    fordring.refresh_from_db()
    assert fordring.restance == D("0.00") == restance_fra_ledger(fordring)
    for i in indbetalinger:
        i.refresh_from_db()
    assert [i.daekket for i in indbetalinger] == [D("600.00"), D("400.00"), D("0.00")]
    post = Sagsbehandlerfordeling.objects.get()
    assert (post.indbetaling_id, post.beloeb) == (indbetalinger[2].pk, D("50.00"))


@pytest.mark.django_db
def test_the_overpayment_on_the_list_settles_the_customers_next_claim(bent):
    """The 0,01 of the first case is not stuck: a Bogholder allocates it from the
    sagsbehandlerfordeling list to another claim of the borger, dated with the payment."""
    borger = BorgerFactory.create(kommune=bent.kommune)
    konto = DebitorkontoFactory.create(borger=borger, kommune=bent.kommune)
    fordring = FordringFactory.create(
        konto=konto,
        kommune=bent.kommune,
        hovedstol=D("1000.00"),
        forfaldsdato=dt.date(2024, 12, 31),
        renteregime=Renteregime.GEBYRLOVEN_3,
    )
    naeste = FordringFactory.create(
        konto=konto, kommune=bent.kommune, hovedstol=D("200.00"), forfaldsdato=BETALT
    )
    renter_afstem(fordring=fordring, til_dato=IDAG, user=None, begrundelse="Rentekørsel")
    betal(fordring, "354.66")
    renter_afstem(fordring=fordring, til_dato=IDAG, user=None, begrundelse="Rentekørsel")
    anden = betal(fordring, "655.35")
    renter_afstem(fordring=fordring, til_dato=IDAG, user=None, begrundelse="Rentekørsel")
    post = Sagsbehandlerfordeling.objects.get()

    sagsbehandlerfordeling_behandl(
        user=bent,
        post_id=post.pk,
        fordeling=[NyDaekning(fordring_id=naeste.pk, beloeb=D("0.01"))],
        behandling="Overbetaling lagt på næste fordring",
        idag=IDAG,
    )

    post.refresh_from_db()
    naeste.refresh_from_db()
    anden.refresh_from_db()
    assert post.behandlet is not None and post.behandlet_af == bent
    assert naeste.restance == D("199.99") == restance_fra_ledger(naeste)
    daekning = Postering.objects.get(fordring=naeste, art=PosteringArt.DAEKNING)
    assert (daekning.beloeb, daekning.valoerdato, daekning.indbetaling_id) == (
        D("-0.01"),
        BETALT,
        anden.pk,
    )
    assert anden.daekket == D("655.35")  # the whole payment is covering claims again
    assert not Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True).exists()
