"""Interest to the øre under gebyrloven § 3 and opkrævningsloven § 7 (DESIGN §7).

Each expected figure is worked out by hand in the test's docstring from the shipped rate
table: gebyrloven 1 % per month; opkrævningsloven basisrente + 0,7 pp per month, i.e.
1,0 % in 2024 (0,3 + 0,7) and 0,9 % in 2025 (0,2 + 0,7).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fordringer.choices import PosteringArt, Renteregime
from fordringer.konto.selectors import restance_fra_ledger
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Rentesats
from fordringer.rente.beregning import Bevaegelse, Rentebogning, rente_beregn, rentedage_gebyrloven
from fordringer.rente.services import renter_afstem, rentesatser
from tests.factories import FordringFactory

D = Decimal


def hovedstol(beloeb: str, dato: dt.date) -> Bevaegelse:
    return Bevaegelse(dato=dato, beloeb=D(beloeb), art=PosteringArt.HOVEDSTOL)


def betaling(beloeb: str, dato: dt.date) -> Bevaegelse:
    return Bevaegelse(dato=dato, beloeb=-D(beloeb), art=PosteringArt.DAEKNING)


def test_gebyrloven_day_31_falls_on_the_last_day_of_february_and_comes_back_in_march():
    """Due 31 January: the interest days are 31/1, then 29/2 in a leap year (28/2 otherwise),
    then 31/3 again and 30/4 - the day of month is the due date's, not the last one used."""
    assert rentedage_gebyrloven(dt.date(2024, 1, 31), dt.date(2024, 4, 30)) == [
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 31),
        dt.date(2024, 4, 30),
    ]
    assert rentedage_gebyrloven(dt.date(2025, 1, 31), dt.date(2025, 3, 30))[1:] == [
        dt.date(2025, 2, 28)
    ]


@pytest.mark.django_db
def test_gebyrloven_due_on_the_31st_across_february_with_a_payment_on_an_interest_day():
    """Hovedstol 1.000,00 due 31-01-2025, 1 % per started month.

    31-01: 1 % of 1.000,00 = 10,00.
    28-02 (February has no 31st): the payment of 333,33 is applied first - it covers the
    10,00 of interest, then 323,33 of principal, leaving 676,67; then 1 % of 676,67 =
    6,7667 -> 6,77.
    31-03: 6,77. 30-04: 6,77. Interest 10,00 + 3 x 6,77 = 30,31.
    Restance 1.000,00 - 333,33 + 30,31 = 696,98.
    """
    flyt = [hovedstol("1000.00", dt.date(2025, 1, 31)), betaling("333.33", dt.date(2025, 2, 28))]
    renter = rente_beregn(
        renteregime=Renteregime.GEBYRLOVEN_3,
        forfaldsdato=dt.date(2025, 1, 31),
        bevaegelser=flyt,
        satser=rentesatser(Renteregime.GEBYRLOVEN_3),
        til_dato=dt.date(2025, 4, 30),
    )
    assert renter == [
        Rentebogning(dt.date(2025, 1, 31), D("10.00")),
        Rentebogning(dt.date(2025, 2, 28), D("6.77")),
        Rentebogning(dt.date(2025, 3, 31), D("6.77")),
        Rentebogning(dt.date(2025, 4, 30), D("6.77")),
    ]
    assert sum(b.beloeb for b in flyt) + sum(r.beloeb for r in renter) == D("696.98")


@pytest.mark.django_db
def test_gebyrloven_paid_in_full_on_the_due_date_is_paid_on_time():
    """Paying 1.000,00 on the due date is applied before that day's interest: nothing is due."""
    renter = rente_beregn(
        renteregime=Renteregime.GEBYRLOVEN_3,
        forfaldsdato=dt.date(2025, 1, 31),
        bevaegelser=[
            hovedstol("1000.00", dt.date(2025, 1, 31)),
            betaling("1000.00", dt.date(2025, 1, 31)),
        ],
        satser=rentesatser(Renteregime.GEBYRLOVEN_3),
        til_dato=dt.date(2025, 6, 30),
    )
    assert renter == []


@pytest.mark.django_db
def test_opkraevningsloven_daily_interest_across_a_year_change_of_basisrente():
    """Hovedstol 10.000,00 due 15-12-2024, paid 2.052,60 on 10-01-2025.

    December 2024 (1,0 % a month): per day 10.000 x 1,0 % x 12 / 365 = 1.200/365; 16-31
    December is 16 days = 19.200/365 = 52,6027... -> 52,60 booked 31-12-2024.
    January 2025 (0,9 %): per day 10.000 x 0,9 % x 12 / 365 = 1.080/365; 1-10 January is
    10 days = 10.800/365 = 29,5890... -> 29,59 booked 10-01 before the payment.
    The payment covers 52,60 + 29,59 = 82,19 of interest, then 1.970,41 of principal,
    leaving 8.029,59. 11-31 January is 21 days: 8.029,59 x 0,108 x 21 / 365 = 49,8934...
    -> 49,89 booked 31-01-2025.
    """
    renter = rente_beregn(
        renteregime=Renteregime.OPKRAEVNINGSLOVEN_7,
        forfaldsdato=dt.date(2024, 12, 15),
        bevaegelser=[
            hovedstol("10000.00", dt.date(2024, 12, 15)),
            betaling("2052.60", dt.date(2025, 1, 10)),
        ],
        satser=rentesatser(Renteregime.OPKRAEVNINGSLOVEN_7),
        til_dato=dt.date(2025, 2, 10),
    )
    assert renter == [
        Rentebogning(dt.date(2024, 12, 31), D("52.60")),
        Rentebogning(dt.date(2025, 1, 10), D("29.59")),
        Rentebogning(dt.date(2025, 1, 31), D("49.89")),
    ]


@pytest.mark.django_db
def test_rates_are_data_with_source_and_one_row_per_year():
    """The shipped table has one opkrævningslov row per year from 2019 and names its source."""
    aar = list(
        Rentesats.objects.filter(renteregime=Renteregime.OPKRAEVNINGSLOVEN_7).values_list(
            "gyldig_fra__year", flat=True
        )
    )
    assert aar == list(range(2019, 2027))
    assert all(r.kilde for r in Rentesats.objects.all())


@pytest.mark.django_db
def test_booked_interest_is_reproducible_from_the_ledger_and_booking_twice_adds_nothing(bent):
    """A gebyrlov claim of 1.000,00 due 31-01-2025 gets 10,00 on 31/1, 28/2 and 31/3; a
    back-dated payment of 510,00 on 28-02 then changes 28/2 and 31/3 to 1 % of 500,00 = 5,00:
    those two entries are reversed and 5,00 + 5,00 booked. Restance 1.000 - 510 + 20 = 510,00.
    """
    fordring = FordringFactory.create(
        hovedstol=D("1000.00"),
        forfaldsdato=dt.date(2025, 1, 31),
        renteregime=Renteregime.GEBYRLOVEN_3,
    )
    til = dt.date(2025, 4, 15)
    renter_afstem(fordring=fordring, til_dato=til, user=bent, begrundelse="Rentekørsel")
    fordring.refresh_from_db()
    assert fordring.restance == D("1030.00")
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=D("510.00"),
        valoerdato=dt.date(2025, 2, 28),
        user=bent,
    )
    nye = renter_afstem(fordring=fordring, til_dato=til, user=bent, begrundelse="Genberegning")
    assert sorted((p.art, p.valoerdato, p.beloeb) for p in nye) == [
        (PosteringArt.RENTE, dt.date(2025, 2, 28), D("5.00")),
        (PosteringArt.RENTE, dt.date(2025, 3, 31), D("5.00")),
        (PosteringArt.TILBAGEFOERSEL, dt.date(2025, 2, 28), D("-10.00")),
        (PosteringArt.TILBAGEFOERSEL, dt.date(2025, 3, 31), D("-10.00")),
    ]
    fordring.refresh_from_db()
    assert fordring.restance == D("510.00") == restance_fra_ledger(fordring)
    assert renter_afstem(fordring=fordring, til_dato=til, user=bent, begrundelse="igen") == []
