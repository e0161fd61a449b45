"""Fixtures for the screen tests: a København konto with history, logged-in clients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from fordringer.choices import PosteringArt
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Bevilling, Borger, Debitorkonto, Fordring, Sag

from ..factories import (
    BevillingFactory,
    BorgerFactory,
    DebitorkontoFactory,
    FordringFactory,
    SagFactory,
    kommune,
)


@dataclass
class KontoMedHistorik:
    borger: Borger
    konto: Debitorkonto
    foerste: Fordring
    anden: Fordring
    bevilling: Bevilling
    sag: Sag


@pytest.fixture
def karen(db) -> Borger:
    """Karen Jensen lives in København; her CPR number is 150582-4321."""
    return BorgerFactory.create(kommune=kommune(101), cpr="1505824321", navn="Karen Jensen")


@pytest.fixture
def konto_med_historik(karen, bent) -> KontoMedHistorik:
    """An unlinked KMD Aktiv konto with two claims (1.000,00 and 500,00) and a dækning of
    250,50 on the first, which is parked because the konto is not linked yet."""
    konto = DebitorkontoFactory.create(borger=karen, kontonummer="K-4711")
    foerste = FordringFactory.create(
        konto=konto,
        fordringsid="F-1",
        tekst="Tilbagebetaling af kontanthjælp januar",
        hovedstol=Decimal("1000.00"),
        forfaldsdato=dt.date(2024, 3, 1),
    )
    anden = FordringFactory.create(
        konto=konto,
        fordringsid="F-2",
        tekst="Tilbagebetaling af kontanthjælp februar",
        hovedstol=Decimal("500.00"),
        forfaldsdato=dt.date(2024, 4, 1),
        periode_fra=dt.date(2024, 2, 1),
        periode_til=dt.date(2024, 2, 29),
    )
    postering_bogfoer(
        fordring=foerste,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("250.50"),
        valoerdato=dt.date(2025, 3, 1),
        user=bent,
        tekst="Indbetaling",
        begrundelse="Borgeren har betalt",
    )
    sag = SagFactory.create(borger=karen, sagsnummer="SAG-KAREN-1")
    bevilling = BevillingFactory.create(borger=karen, bevillingsnummer="B-KAREN-1", sag=sag)
    return KontoMedHistorik(karen, konto, foerste, anden, bevilling, sag)


@pytest.fixture
def odense_borger(db) -> Borger:
    return BorgerFactory.create(kommune=kommune(461), cpr="0202801234", navn="Ole Odense")


def logget_paa(bruger) -> Client:
    client = Client()
    client.force_login(bruger)
    return client


@pytest.fixture
def alice_client(alice) -> Client:
    return logget_paa(alice)


@pytest.fixture
def olga_client(olga) -> Client:
    return logget_paa(olga)


def _driftsbruger(username: str, kode: int):
    """A staff user of the Drift role with every model permission of our two apps, so only
    the kommune scope and the read-only rules decide what the admin lets them do."""
    from django.contrib.auth.models import Permission

    from ky_debitor.roles import Rolle

    from ..factories import BrugerFactory

    bruger = BrugerFactory.create(
        username=username, kommune=kommune(kode), is_staff=True, roller=[Rolle.DRIFT]
    )
    bruger.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["ky_debitor", "fordringer"])
    )
    return bruger


@pytest.fixture
def dorte(db):
    """Dorte works in Drift in København and uses the admin."""
    return _driftsbruger("dorte", 101)


@pytest.fixture
def dorte_client(dorte) -> Client:
    return logget_paa(dorte)
