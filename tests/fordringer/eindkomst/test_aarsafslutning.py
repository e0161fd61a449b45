"""The closing income year on Mine opgaver (seed 002): from 1 December of year Y until its
deadline, 31 January Y+1, caseworkers are warned how many konti still hold parked dækninger
of Y — linked later, those dækninger become efterreguleringer. The tempo card counts them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fordringer.choices import PosteringArt
from fordringer.eindkomst.efterregulering import aarsafslutning, lukkende_indkomstaar
from fordringer.ledger.services import postering_bogfoer
from tests.factories import BorgerFactory, kommune
from tests.screens.html import side, tekst

from .eindkomst_data import daekning, paa, parkeret_konto, tilknyt

pytestmark = pytest.mark.django_db

D = dt.date


def _konto(kontonummer: str, beloeb: str, valoerdato: dt.date, bruger, kode: int = 101):
    return parkeret_konto(
        BorgerFactory.create(kommune=kommune(kode)),
        kontonummer=kontonummer,
        beloeb=beloeb,
        valoerdato=valoerdato,
        bruger=bruger,
    )


@pytest.fixture
def parkeret(bent, alice, olga):
    """København: K-A with two parked dækninger of 2026 and K-B with one (2 konti); K-2025
    with one of 2025; K-FRI whose 2026 dækning was released by linking; K-AFS with a parked
    afskrivning of 2026 and a parked dækning of 2027. Odense: O-1 with one of 2026."""
    a = _konto("K-A", "10.00", D(2026, 1, 1), bent)
    daekning(a.fordringer.get(), "20.00", D(2026, 11, 30), bent)
    _konto("K-B", "30.00", D(2026, 12, 31), bent)
    _konto("K-2025", "40.00", D(2025, 12, 31), bent)
    frigivet = _konto("K-FRI", "50.00", D(2026, 5, 1), bent)
    with paa(D(2026, 11, 2)):
        tilknyt(frigivet, alice)
    afskrevet = _konto("K-AFS", "1.00", D(2027, 1, 1), bent)
    postering_bogfoer(
        fordring=afskrevet.fordringer.get(),
        art=PosteringArt.AFSKRIVNING,
        beloeb=Decimal("60.00"),
        valoerdato=D(2026, 6, 1),
        user=bent,
    )
    _konto("O-1", "70.00", D(2026, 6, 1), olga, kode=461)


@pytest.mark.parametrize(
    ("idag", "aar"),
    [
        (D(2026, 2, 1), 2026),
        (D(2026, 11, 30), 2026),
        (D(2026, 12, 1), 2026),
        (D(2027, 1, 31), 2026),
        (D(2027, 2, 1), 2027),
    ],
)
def test_the_closing_income_year_is_the_one_whose_deadline_comes_next(idag, aar):
    assert lukkende_indkomstaar(idag) == aar


@pytest.mark.parametrize(
    ("idag", "aar", "konti", "advarsel"),
    [
        (D(2026, 11, 30), 2026, 2, False),  # the day before: counted, no warning yet
        (D(2026, 12, 1), 2026, 2, True),
        (D(2027, 1, 31), 2026, 2, True),  # the deadline itself
        (D(2027, 2, 1), 2027, 1, False),  # the next year: only K-AFS's dækning of 2027
        (D(2026, 1, 31), 2025, 1, True),  # last year's deadline: K-2025
    ],
)
def test_konti_with_parked_daekninger_of_the_closing_year(
    parkeret, alice, idag, aar, konti, advarsel
):
    a = aarsafslutning(user=alice, idag=idag)
    assert (a.indkomstaar, a.frist) == (aar, D(aar + 1, 1, 31))
    assert (a.konti, a.advarsel) == (konti, advarsel)


def test_another_kommune_counts_its_own(parkeret, olga):
    assert aarsafslutning(user=olga, idag=D(2026, 12, 1)).konti == 1


def test_no_warning_when_every_konto_is_linked(db, alice):
    a = aarsafslutning(user=alice, idag=D(2026, 12, 15))
    assert (a.konti, a.advarsel) == (0, False)


def test_mine_opgaver_warns_from_1_december_and_the_tempo_card_counts(client, parkeret, alice):
    with paa(D(2026, 11, 30)):
        client.force_login(alice)
        svar = client.get(reverse("mine_opgaver"))
    assert not side(svar).xpath("//*[@id='aarsafslutning-advarsel']")
    assert tekst(svar, "//*[@id='aarsafslutning-konti']") == "2"

    with paa(D(2026, 12, 1)):
        client.force_login(alice)  # a new day: the last session has timed out
        svar = client.get(reverse("mine_opgaver"))
    assert tekst(svar, "//*[@id='aarsafslutning-advarsel']//p[@class='alert-text'][1]") == (
        "2 debitorkonti har stadig parkerede dækninger fra 2026 — de skal sagstilknyttes "
        "inden 31-01-2027, ellers bliver dækningerne efterreguleringer i borgernes årsopgørelse."
    )
    (link,) = side(svar).xpath("//a[@id='aarsafslutning-opgaver']/@href")
    assert link == f"{reverse('opgave_liste')}?daekninger=ja"
    assert tekst(svar, "//*[@id='aarsafslutning-konti']") == "2"
    assert tekst(svar, "//*[@id='aarsafslutning-konti']/..").endswith(
        " 2 debitorkonti med parkerede dækninger fra 2026, der skal sagstilknyttes inden "
        "31-01-2027."
    )
