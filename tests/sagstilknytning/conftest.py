"""Shared data for the engine tests: five konti, one of each kind of outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from fordringer.choices import KontoStatus, PosteringArt
from fordringer.ledger.services import postering_bogfoer
from fordringer.tilknytning.services import debitorkonto_tilknyt
from ky_debitor.models import Kommune
from sagstilknytning.models import Sagstilknytningskoersel
from sagstilknytning.services import koer_synkront, koersel_opret

from ..factories import BevillingFactory, BorgerFactory, FordringFactory, SagFactory


def koer(kommune: Kommune, *, proeve: bool = False, chunk: int = 2) -> Sagstilknytningskoersel:
    koersel = koersel_opret(kommune=kommune, user=None, proeve=proeve, chunk_stoerrelse=chunk)
    return koer_synkront(koersel_id=koersel.pk)


@pytest.fixture
def data(db, bent):
    """Five konti: reference link with own sag, sagsoprettelse, task with parked dækning,
    a manually linked konto, and a konto waiting for dækning that cannot be linked."""
    k: dict[str, Any] = {}
    b1 = BorgerFactory.create()
    sag = SagFactory.create(borger=b1)
    bev1 = BevillingFactory.create(borger=b1, bevillingsnummer="B1", sag=sag)
    k["ref"] = FordringFactory.create(konto__borger=b1, kmd_aktiv_reference="b1 ").konto

    b2 = BorgerFactory.create()
    BevillingFactory.create(borger=b2, bevillingsnummer="B2", ydelseskode="UDH")
    f2 = FordringFactory.create(konto__borger=b2, ydelseskode="UDH", tekst="jf. B2")
    postering_bogfoer(
        fordring=f2,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("100.00"),
        valoerdato=dt.date(2026, 2, 1),
        user=bent,
    )
    k["ny"] = f2.konto

    b3 = BorgerFactory.create()
    BevillingFactory.create(borger=b3, bevillingsnummer="B3")
    BevillingFactory.create(borger=b3, bevillingsnummer="B4")
    f3 = FordringFactory.create(konto__borger=b3)
    postering_bogfoer(
        fordring=f3,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("50.00"),
        valoerdato=dt.date(2026, 2, 1),
        user=bent,
    )
    k["flere"] = f3.konto

    b4 = BorgerFactory.create()
    bev5 = BevillingFactory.create(borger=b4, bevillingsnummer="B5")
    manuel = FordringFactory.create(konto__borger=b4, kmd_aktiv_reference="B5").konto
    debitorkonto_tilknyt(konto=manuel, bevilling=bev5, sag=None, user=bent, manual=True)
    k["manuel"] = manuel

    b5 = BorgerFactory.create()
    k["venter"] = FordringFactory.create(
        konto__borger=b5, konto__status=KontoStatus.VENTER_PAA_DAEKNING, ydelseskode="UDH"
    ).konto
    BevillingFactory.create(borger=b5, bevillingsnummer="B6", ydelseskode="KTH")
    k["bev1"] = bev1
    return k
