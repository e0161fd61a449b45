"""KMD Aktiv fordringers opgavepakker R2.1: tasks by state, sums, and the burn-down."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fordringer.choices import PosteringArt
from fordringer.ledger.services import postering_bogfoer
from opgavepakker.models import Opgave
from opgavepakker.services import pakker_sikr
from opgavepakker.workflow import OpgaveStatus

from ..factories import FordringFactory, OpgaveFactory, kommune
from .conftest import data_ark, koer_rapport, laes_csv

CPH = ZoneInfo("Europe/Copenhagen")


def _opgave(pakke, status, *, afsluttet=None, kommune_kode=101):
    fordring = FordringFactory.create(
        konto__borger__kommune=kommune(kommune_kode), hovedstol=Decimal("100.00")
    )
    opgave = OpgaveFactory.create(
        konto=fordring.konto, pakke=pakke, aarsag=pakke.aarsag, status=status, afsluttet=afsluttet
    )
    return fordring, opgave


@pytest.fixture
def pakkedata(db, bent):
    pakker = pakker_sikr(kommune(101).pk)
    pakke = pakker["MANGLER_REFERENCE_MED"]
    foerste, _ = _opgave(pakke, OpgaveStatus.AABEN)
    for _ in range(3):
        _opgave(pakke, OpgaveStatus.AABEN)
    for _ in range(2):
        _opgave(pakke, OpgaveStatus.I_GANG)
    for dag in (5, 6, 8, 9):  # closed within the last 10 working days
        _opgave(pakke, OpgaveStatus.AFSLUTTET, afsluttet=dt.datetime(2026, 1, dag, 12, tzinfo=CPH))
    _opgave(pakke, OpgaveStatus.AFSLUTTET, afsluttet=dt.datetime(2025, 12, 1, 12, tzinfo=CPH))
    postering_bogfoer(
        fordring=foerste,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("50.00"),
        valoerdato=dt.date(2026, 1, 2),
        user=bent,
    )
    odense = pakker_sikr(kommune(461).pk)["MANGLER_REFERENCE_MED"]
    _opgave(odense, OpgaveStatus.AABEN, kommune_kode=461)
    return pakke


@time_machine.travel(dt.datetime(2026, 1, 12, 10, 0, tzinfo=CPH), tick=False)
def test_burn_down_per_pakke(pakkedata, tmp_path):
    rows = {r["pakke"]: r for r in laes_csv(koer_rapport("opgavepakker_r21", tmp_path))}

    assert len(rows) == 15
    r = rows[pakkedata.navn]
    assert (r["aabne"], r["i_gang"], r["afsluttede"]) == ("4", "2", "5")
    assert r["med_daekninger"] == "Ja" and r["aarsag_kode"] == "MANGLER_REFERENCE"
    # The reason as a person reads it, its code beside it for filters (issue #16).
    assert r["aarsag"] == "Manglende KMD Aktiv reference"
    assert r["restance"] == "550,00"  # six open konti of 100,00, one with a dækning of 50,00
    assert r["parkeret"] == "50,00"
    # Deadline 31-01-2026; 15 working days from 12-01 (today included): ceil(6 / 15) = 1.
    assert (r["frist"], r["arbejdsdage"], r["pr_arbejdsdag"]) == ("31-01-2026", "15", "1")
    # Pace 4 tasks in 10 working days = 0,4 a day: 6 open tasks take 15 working days.
    assert (r["afsluttet_10_dage"], r["prognose"]) == ("4", "30-01-2026")
    tom = rows["Datafejl - uden dækninger"]
    assert (tom["aabne"], tom["restance"], tom["prognose"]) == ("0", "0,00", "12-01-2026")


@time_machine.travel(dt.datetime(2026, 1, 12, 10, 0, tzinfo=CPH), tick=False)
def test_no_pace_means_no_forecast_and_xlsx_types(pakkedata, tmp_path):
    Opgave.objects.filter(status=OpgaveStatus.AFSLUTTET).update(
        afsluttet=dt.datetime(2025, 11, 1, tzinfo=CPH)
    )
    _, ark = data_ark(koer_rapport("opgavepakker_r21", tmp_path, format="xlsx"))
    raekke = next(r for r in ark.iter_rows(min_row=2) if r[0].value == pakkedata.navn)
    assert raekke[4].value == 4 and raekke[7].value == 550
    assert raekke[9].value == dt.datetime(2026, 1, 31) and raekke[9].number_format == "dd-mm-yyyy"
    assert raekke[12].value == 0 and raekke[13].value is None
