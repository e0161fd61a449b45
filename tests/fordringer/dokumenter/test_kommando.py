"""``manage.py dokument``: the same PDF as the screens', for batch runs (DESIGN §6)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from fordringer.konto.selectors import kontoudtog
from ky_debitor.models import AuditEvent
from ky_debitor.visning import beloeb as kr

from .dokument_data import demodata, demokonto, pdf_tekst

pytestmark = pytest.mark.django_db


def test_kontoudtog_by_kontonummer_and_period_is_written_to_the_file(tmp_path):
    demodata(konti=6)
    konto = demokonto()
    fil = tmp_path / "udtog.pdf"
    ud = io.StringIO()
    call_command(
        "dokument",
        "kontoudtog",
        "--konto",
        konto.kontonummer,
        "--fra",
        "01-01-2020",
        "--til",
        "31-12-2030",
        "--output",
        str(fil),
        stdout=ud,
    )
    tekst = pdf_tekst(fil.read_bytes())
    assert f"Debitorkonto {konto.kontonummer} · Periode 01-01-2020" in tekst
    assert f"Saldo ultimo {kr(kontoudtog(konto)[-1].saldo)} kr." in tekst
    assert "Kontoudtog skrevet til" in ud.getvalue()
    haendelse = AuditEvent.objects.get(handling="dokument.udskrevet")
    assert haendelse.aktoer == "manage.py dokument"


def test_kontooversigt_by_cpr_with_or_without_dash(tmp_path):
    demodata(konti=6)
    borger = demokonto().borger
    fil = tmp_path / "oversigt.pdf"
    cpr = f"{borger.cpr[:6]}-{borger.cpr[6:]}"
    call_command(
        "dokument", "kontooversigt", "--cpr", cpr, "--output", str(fil), stdout=io.StringIO()
    )
    tekst = pdf_tekst(fil.read_bytes())
    assert "Kontooversigt" in tekst and borger.navn in tekst
    assert f"CPR-nr. {borger.cpr_maskeret}" in tekst


def test_bad_input_gets_a_danish_error_and_writes_nothing(tmp_path):
    demodata(konti=3)
    fil = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="brug formatet dd-mm-åååå"):
        call_command(
            "dokument",
            "kontoudtog",
            "--konto",
            demokonto().kontonummer,
            "--fra",
            "2025-01-01",
            "--output",
            str(fil),
        )
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("dokument", "kontoudtog", "--konto", "FINDES-IKKE", "--output", str(fil))
    with pytest.raises(CommandError, match="Ugyldigt CPR-nummer"):
        call_command("dokument", "kontooversigt", "--cpr", "123", "--output", str(fil))
    assert not fil.exists()
