"""Data for the report tests: København (101) with a spread of konti and claims, and Odense
(461) with one konto of its own that must never show up in København's reports."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from fordringer.choices import Frigivelsestype, KontoStatus, PosteringArt, SagStatus, Tilknytning
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Ydelsestype

from ..factories import BorgerFactory, FordringFactory, SagFactory, kommune
from .formler import formeldata_opret


def laes_csv(sti: Path | str) -> list[dict[str, str]]:
    with open(sti, encoding="utf-8", newline="") as fil:
        assert fil.read(1) == "\ufeff"  # UTF-8 with BOM, as Danish Excel wants it
        return list(csv.DictReader(fil, delimiter=";"))


def csv_fra_bytes(indhold: bytes) -> list[dict[str, str]]:
    assert indhold.startswith("\ufeff".encode())
    return list(csv.DictReader(indhold.decode("utf-8-sig").splitlines(), delimiter=";"))


def koer_rapport(
    navn: str,
    tmp_path: Path,
    *,
    kommune: int = 101,
    format: str = "csv",
    filtre: tuple[str, ...] = (),
) -> Path:
    out = tmp_path / f"{navn}-{kommune}.{format}"
    args = [navn, "--kommune", str(kommune), "--format", format, "--output", str(out)]
    for f in filtre:
        args += ["--filter", f]
    call_command("rapport", *args)
    return out


def data_ark(sti: Path | str) -> tuple[Any, Any]:
    """(front sheet, first data sheet) of a produced workbook."""
    wb = load_workbook(sti)
    return wb.worksheets[0], wb.worksheets[1]


@pytest.fixture
def rapportdata(db, bent) -> dict[str, Any]:
    """København: a KY konto awaiting release, a linked KMD Aktiv konto with an unknown
    ydelsestype and a dækning, a konto on a closed sag; Odense: one konto."""
    kth = Ydelsestype.objects.get(koder__kode="KTH")
    d: dict[str, Any] = {}
    karen = BorgerFactory.create(cpr="1505824321", navn="Karen Jensen")
    d["ky"] = FordringFactory.create(
        konto__borger=karen,
        konto__kilde="KY",
        konto__status=KontoStatus.AFVENTER_FRIGIVELSE,
        konto__kontonummer="K-1",
        fordringsid="F-KY",
        ydelsestype=kth,
        hovedstol=Decimal("1234.56"),
        forfaldsdato=dt.date(2024, 3, 15),
    )
    sag = SagFactory.create(borger=karen, sagsnummer="SAG-AABEN")
    d["uden_type"] = FordringFactory.create(
        konto__borger=karen,
        konto__kontonummer="K-2",
        konto__sag=sag,
        konto__tilknytning=Tilknytning.AUTOMATISK,
        fordringsid="F-UDEN",
        ydelseskode="XXX",
        hovedstol=Decimal("800.00"),
        forfaldsdato=dt.date(2024, 4, 1),
    )
    d["daekning_i"] = postering_bogfoer(
        fordring=d["ky"],
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("100.00"),
        valoerdato=dt.date(2025, 2, 10),
        user=bent,
    )
    postering_bogfoer(
        fordring=d["ky"],
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("34.56"),
        valoerdato=dt.date(2025, 6, 1),
        user=bent,
    )
    lukket = SagFactory.create(sagsnummer="SAG-LUKKET", status=SagStatus.LUKKET)
    d["stoppet"] = FordringFactory.create(
        konto__borger=lukket.borger,
        konto__kontonummer="K-3",
        konto__sag=lukket,
        konto__tilknytning=Tilknytning.MANUEL,
        fordringsid="F-STOP",
        ydelsestype=kth,
        forfaldsdato=dt.date(2024, 3, 1),
    )
    frigivet = SagFactory.create(sagsnummer="SAG-LUKKET-2", status=SagStatus.LUKKET)
    FordringFactory.create(  # released: not in "stoppede sager"
        konto__borger=frigivet.borger,
        konto__kontonummer="K-4",
        konto__sag=frigivet,
        konto__tilknytning=Tilknytning.MANUEL,
        konto__frigivelsestype=Frigivelsestype.FRIGIVET,
        fordringsid="F-FRIGIVET",
        ydelsestype=kth,
    )
    odense = BorgerFactory.create(kommune=kommune(461), cpr="0101709999", navn="Ole Odense")
    osag = SagFactory.create(borger=odense, sagsnummer="O-SAG", status=SagStatus.LUKKET)
    d["odense"] = FordringFactory.create(
        konto__borger=odense,
        konto__kontonummer="O-1",
        konto__sag=osag,
        konto__tilknytning=Tilknytning.MANUEL,
        fordringsid="F-ODENSE",
        ydelseskode="XXX",
    )
    return d


@pytest.fixture
def formeldata(db, bent) -> Any:
    """København data whose every text starts like a formula (``formler.formeldata_opret``)."""
    return formeldata_opret(bent)
