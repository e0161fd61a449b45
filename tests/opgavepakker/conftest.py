"""Tasks made by a real linking run: FLERE_BEVILLINGER and INGEN_BEVILLING with parked
dækninger (so each also has its waiting task), and a linked konto whose ydelsestype is unknown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from fordringer.choices import PosteringArt
from fordringer.ledger.services import postering_bogfoer
from opgavepakker.models import Opgave, OpgaveType
from opgavepakker.workflow import AABNE

from ..factories import BevillingFactory, BorgerFactory, FordringFactory
from ..sagstilknytning.conftest import koer


def opgave_for(konto: Any, type: str = OpgaveType.OPRET_FORDRINGSSAG) -> Opgave:
    return Opgave.objects.get(konto=konto, type=type, status__in=AABNE)


def parker_daekning(fordring: Any, user: Any, beloeb: str = "50.00") -> None:
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal(beloeb),
        valoerdato=dt.date(2026, 2, 1),
        user=user,
    )


@pytest.fixture
def opgaver(db, bent, koebenhavn):
    k: dict[str, Any] = {}
    b1 = BorgerFactory.create(navn="Frida Flere")
    k["b3"] = BevillingFactory.create(borger=b1, bevillingsnummer="B3")
    k["b4"] = BevillingFactory.create(borger=b1, bevillingsnummer="B4")
    f1 = FordringFactory.create(konto__borger=b1)
    parker_daekning(f1, bent)
    k["flere"] = f1.konto
    k["flere_fordring"] = f1

    b2 = BorgerFactory.create(navn="Ingolf Ingen")
    f2 = FordringFactory.create(konto__borger=b2, ydelseskode="", tekst="Særlig støtte")
    parker_daekning(f2, bent, "75.00")
    k["ingen"] = f2.konto

    b3 = BorgerFactory.create(navn="Ulla Ukendt")
    k["bx"] = BevillingFactory.create(borger=b3, bevillingsnummer="BX1", ydelseskode="ZZZ")
    k["ukendt"] = FordringFactory.create(
        konto__borger=b3, kmd_aktiv_reference="BX1", ydelseskode="ZZZ"
    ).konto
    koer(koebenhavn)
    for navn in ("flere", "ingen", "ukendt"):
        k[navn].refresh_from_db()
    return k
