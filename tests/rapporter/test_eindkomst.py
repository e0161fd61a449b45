"""``manage.py eindkomst`` (DESIGN §6) and the Dataudtræk report ``eindkomst``: the income
year's net per borger, year, art and ydelsestype, hand-computed from the lines below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from ky_debitor.models import AuditEvent
from rapporter.definitioner import RAPPORTER
from rapporter.models import Eksport
from tests.factories import BorgerFactory, kommune

from ..fordringer.eindkomst.eindkomst_data import (
    daekning,
    ky_fordring,
    ky_konto,
    paa,
    tilbagefoer,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def linjer(bent):
    """Anne (0101801111), kontanthjælp paid out 2024 unless said otherwise:
       F-A1: 300,00 (2026) → LL8O +300; 150,00 (2026) reversed → +150 -150; 40,00 (2025) → LL8O
             2025; F-A2 paid out January 2026: 120,50 (2026) → KORREKTION -120,50;
       F-A3 uddannelseshjælp: 80,25 (2026) → LL8O +80,25 (UDDANNELSESHJAELP).
    Bo (0202802222): F-B1 1.234,56 (2026) → LL8O; F-B2 paid out 2026: 99,99 reversed →
       KORREKTION nets to nought and is left out.
    Odense: Ole, 500,00 in 2026, never in København's file."""
    with paa(D(2026, 7, 1)):
        anne = ky_konto(BorgerFactory.create(cpr="0101801111"), "K-ANNE")
        a1 = ky_fordring(anne, "F-A1")
        daekning(a1, "300.00", D(2026, 3, 1), bent)
        tilbagefoer(daekning(a1, "150.00", D(2026, 4, 1), bent), bent)
        daekning(a1, "40.00", D(2025, 5, 1), bent)
        daekning(
            ky_fordring(anne, "F-A2", periode_fra=D(2026, 1, 1)), "120.50", D(2026, 5, 1), bent
        )
        daekning(ky_fordring(anne, "F-A3", ydelseskode="UDH"), "80.25", D(2026, 6, 1), bent)

        bo = ky_konto(BorgerFactory.create(cpr="0202802222"), "K-BO")
        daekning(ky_fordring(bo, "F-B1"), "1234.56", D(2026, 2, 1), bent)
        b2 = ky_fordring(bo, "F-B2", periode_fra=D(2026, 1, 1))
        tilbagefoer(daekning(b2, "99.99", D(2026, 3, 1), bent), bent)

        ole = ky_konto(BorgerFactory.create(kommune=kommune(461), cpr="0303803333"), "O-1")
        daekning(ky_fordring(ole, "F-O1"), "500.00", D(2026, 3, 1), bent)


RAEKKER_2026 = [
    ("0101801111", 2026, "KORREKTION", Decimal("-120.50"), "KONTANTHJAELP"),
    ("0101801111", 2026, "LL8O", Decimal("300.00"), "KONTANTHJAELP"),
    ("0101801111", 2026, "LL8O", Decimal("80.25"), "UDDANNELSESHJAELP"),
    ("0202802222", 2026, "LL8O", Decimal("1234.56"), "KONTANTHJAELP"),
]
CSV_2026 = (
    "\ufeffcpr;indkomstaar;art;beloeb;ydelsestype\r\n"
    "0101801111;2026;KORREKTION;-120,50;KONTANTHJAELP\r\n"
    "0101801111;2026;LL8O;300,00;KONTANTHJAELP\r\n"
    "0101801111;2026;LL8O;80,25;UDDANNELSESHJAELP\r\n"
    "0202802222;2026;LL8O;1.234,56;KONTANTHJAELP\r\n"
)


def _koer(*args: str) -> str:
    ud = StringIO()
    call_command("eindkomst", *args, stdout=ud)
    return ud.getvalue()


def test_the_csv_file_is_the_years_net_per_borger_art_and_ydelsestype(linjer, tmp_path):
    fil = tmp_path / "eindkomst.csv"
    ud = _koer("--kommune", "101", "--aar", "2026", "--format", "csv", "--output", str(fil))
    assert fil.read_bytes().decode("utf-8") == CSV_2026
    assert "4 rækker" in ud
    haendelse = AuditEvent.objects.get(handling="rapport.udtraek")
    assert haendelse.data["filtre"] == {"indkomstaar": "2026"} and haendelse.data["antal"] == 4


def test_the_xlsx_file_holds_the_same_rows_as_numbers(linjer, tmp_path):
    fil = tmp_path / "eindkomst.xlsx"
    _koer("--kommune", "101", "--aar", "2026", "--format", "xlsx", "--output", str(fil))
    ark = load_workbook(fil).worksheets[1]
    raekker = [tuple(c.value for c in r) for r in ark.iter_rows()]
    assert raekker[0] == ("CPR-nummer", "Indkomstår", "Art", "Beløb", "Ydelsestype")
    assert raekker[1:] == [
        (cpr, aar, art, float(beloeb), yt) for cpr, aar, art, beloeb, yt in RAEKKER_2026
    ]
    assert ark["D2"].data_type == "n" and ark["D2"].number_format == "#,##0.00"
    assert ark["A2"].data_type == "s"  # a CPR number keeps its leading zero


def test_another_year_has_its_own_rows(linjer, tmp_path):
    fil = tmp_path / "2025.csv"
    _koer("--kommune", "101", "--aar", "2025", "--output", str(fil))
    assert fil.read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "0101801111;2025;LL8O;40,00;KONTANTHJAELP"
    ]


def test_the_dataudtraek_report_gives_the_same_rows(linjer, client, pia, tmp_path):
    rapport = RAPPORTER["eindkomst"]
    koebenhavn = kommune(101).pk
    assert list(rapport.raekker(koebenhavn, {"indkomstaar": 2026})) == RAEKKER_2026
    assert rapport.antal(koebenhavn, {"indkomstaar": 2026}) == 4

    client.force_login(pia)
    svar = client.post(
        reverse("udtraek_hent"), {"rapport": "eindkomst", "format": "csv", "f_indkomstaar": "2026"}
    )
    assert svar.status_code == 200
    assert b"".join(svar.streaming_content).decode("utf-8") == CSV_2026

    vist = client.get(
        reverse("dataudtraek"), {"rapport": "eindkomst", "f_indkomstaar": "2026", "vis": "1"}
    )
    assert vist.context["visning"].raekker == RAEKKER_2026

    fil = tmp_path / "rapport.csv"
    call_command(
        "rapport",
        "eindkomst",
        "--kommune",
        "101",
        "--output",
        str(fil),
        "--filter",
        "indkomstaar=2026",
    )
    assert fil.read_bytes().decode("utf-8") == CSV_2026


def test_a_stored_export_keeps_the_year(
    linjer, client, pia, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KY_EKSPORT_GRAENSE = 0  # every download becomes a stored export
    client.force_login(pia)
    with django_capture_on_commit_callbacks(execute=True):
        svar = client.post(
            reverse("udtraek_hent"),
            {"rapport": "eindkomst", "format": "csv", "f_indkomstaar": "2026"},
        )
    assert svar.status_code == 302
    eksport = Eksport.objects.get()
    assert eksport.filtre_tekst == "Indkomstår: 2026"
    fil = client.get(reverse("eksport_fil", args=[eksport.pk]))
    assert b"".join(fil.streaming_content).decode("utf-8") == CSV_2026


@pytest.mark.parametrize(
    ("args", "besked"),
    [
        (["--kommune", "999", "--aar", "2026"], "Ukendt kommunekode '999'."),
        (["--kommune", "Kbh", "--aar", "2026"], "Ukendt kommunekode 'Kbh'."),
        (["--aar", "2026"], "Angiv kommunen med --kommune KODE, fx --kommune 101."),
        (["--kommune", "101"], "Angiv indkomståret med --aar ÅÅÅÅ, fx --aar 2026."),
        (
            ["--kommune", "101", "--aar", "26"],
            "Ugyldigt indkomstår '26': Skriv året som åååå, fx 2026.",
        ),
        (
            ["--kommune", "101", "--aar", "2026", "--format", "pdf"],
            "Ukendt format 'pdf': vælg csv eller xlsx.",
        ),
    ],
)
def test_bad_arguments_are_refused_in_danish_and_no_file_is_written(tmp_path, db, args, besked):
    fil = tmp_path / "ud.csv"
    with pytest.raises(CommandError) as fejl:
        _koer(*args, "--output", str(fil))
    assert str(fejl.value) == besked
    assert not fil.exists()
