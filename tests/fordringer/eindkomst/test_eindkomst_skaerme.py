"""The eIndkomst screens: the Bogholder records, uploads and cancels by-hand amounts and reads
the reconciliation; a Sagsbehandler gets 403; another kommune gets 404 and sees nothing; bad
input gets a Danish message and stores nothing; showing borgere's amounts is logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fordringer.models import EIndkomstLinje, EIndkomstManuel
from ky_debitor.models import AuditEvent, Opslag
from ky_debitor.roles import Rolle
from tests import personas

from .afstemning_data import borger_med_ll8o, forsendelse

D = Decimal


@pytest.fixture(autouse=True)
def idag():
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def erik(db, bent):
    return borger_med_ll8o(bogholder=bent)[0]


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def opret(c: Client, **felter: str):
    data = {"cpr": "050282-4567", "indkomstaar": "2026", "beloeb": "200,00", "tekst": ""}
    return c.post(reverse("eindkomst_manuel_opret"), data | felter, follow=True)


def test_the_bogholder_records_an_amount_and_sees_it_masked(erik, bent):
    c = klient(bent)
    svar = opret(c, beloeb="1.234,56", tekst="Indberettet i marts")
    side = svar.content.decode()
    assert "1.234,56 kr. for indkomståret 2026 er registreret" in side
    assert "050282-****" in side and "0502824567" not in side and "050282-4567" not in side
    assert "Erik Eriksen" in side and "Skærmbillede" in side
    row = EIndkomstManuel.objects.get()
    assert (row.beloeb, row.kilde, row.aktoer) == (D("1234.56"), "SKAERM", "bent")
    assert Opslag.objects.filter(bruger=bent, formaal__startswith="Manuelt indberettede").exists()


@pytest.mark.parametrize(
    ("felter", "besked"),
    [
        ({"cpr": "0101901234"}, "Ingen borger med CPR-nummer 010190-1234 i kommunen."),
        (
            {"indkomstaar": "2027"},
            "Indkomståret 2027 ligger uden for kommunens data: vælg et år fra 2024 til 2026.",
        ),
        ({"beloeb": "-200,00"}, "Beløbet skal være større end 0,00 kr."),
        ({"beloeb": "0"}, "Beløbet skal være større end 0,00 kr."),
        ({"beloeb": "2oo,00"}, "brug formatet 1.234,56"),
        ({"cpr": ""}, "Skriv borgerens CPR-nummer."),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_stored(erik, bent, felter, besked):
    svar = opret(klient(bent), **felter)
    assert svar.status_code == 400
    side = svar.content.decode()
    assert besked in side
    assert 'class="form-group form-error"' in side
    assert not EIndkomstManuel.objects.exists()


def test_a_file_with_one_bad_row_is_refused_with_its_row_number(erik, bent):
    fil = SimpleUploadedFile(
        "manuelt.csv",
        b"cpr;indkomstaar;beloeb;tekst\r\n0502824567;2026;100,00;\r\n0502824567;2026;-5,00;\r\n",
    )
    svar = klient(bent).post(reverse("eindkomst_manuel_importer"), {"fil": fil})
    assert svar.status_code == 400
    side = svar.content.decode()
    assert "Filen er afvist: 1 fejl. Intet er gemt." in side
    assert "Række 3: Beløbet skal være større end 0,00 kr. (angivet: -5,00 kr.)" in side
    assert not EIndkomstManuel.objects.exists()


def test_a_good_file_is_stored_with_kilde_import(erik, bent):
    fil = SimpleUploadedFile("manuelt.csv", b"cpr;indkomstaar;beloeb\r\n0502824567;2025;75,50\r\n")
    svar = klient(bent).post(reverse("eindkomst_manuel_importer"), {"fil": fil}, follow=True)
    assert "Filen er indlæst: 1 beløb på i alt 75,50 kr." in svar.content.decode()
    assert EIndkomstManuel.objects.get().kilde == "IMPORT"


def test_cancel_from_the_list_once(erik, bent):
    c = klient(bent)
    opret(c)
    row = EIndkomstManuel.objects.get()
    url = reverse("eindkomst_manuel_annuller", args=[row.pk])
    svar = c.post(url, {"begrundelse": ""}, follow=True)
    assert "Skriv en begrundelse for annulleringen." in svar.content.decode()
    assert EIndkomstManuel.objects.count() == 1

    svar = c.post(url, {"begrundelse": "Forkert borger"}, follow=True)
    side = svar.content.decode()
    assert "beløb på 200,00 kr. for indkomståret 2026 er annulleret" in side
    assert "Annulleret " in side
    assert EIndkomstManuel.objects.get(tilbagefoerer=row).beloeb == D("-200.00")
    svar = c.post(url, {"begrundelse": "Igen"}, follow=True)
    assert "Beløbet er allerede annulleret." in svar.content.decode()
    assert EIndkomstManuel.objects.count() == 2


def test_the_reconciliation_screen_shows_totals_and_each_difference(erik, bent, pia):
    c = klient(bent)
    opret(c, beloeb="500,00")
    forsendelse(linjer=[EIndkomstLinje.objects.get()], modregnet=D("300.00"))

    side = klient(pia).get(reverse("eindkomst_afstemning"), {"indkomstaar": 2026})
    assert side.status_code == 200
    tekst = side.content.decode()
    assert 'id="total-forventet">300,00<' in tekst
    assert 'id="total-manuelt">500,00<' in tekst
    assert 'id="total-modregnet">300,00<' in tekst
    assert 'id="total-forskel">0,00<' in tekst
    assert 'id="total-manuelt-rest">200,00<' in tekst
    assert "1 borger med beløb i indkomståret; 1 borger med forskelle." in tekst
    assert "050282-****" in tekst and "Erik Eriksen" in tekst and "0502824567" not in tekst
    assert "Fradrag efter LL § 8 O" in tekst
    assert Opslag.objects.filter(bruger=pia, formaal__contains="afstemning for indkomståret 2026")


def test_no_difference_says_so_and_logs_no_look_up(erik, pia):
    tekst = klient(pia).get(reverse("eindkomst_afstemning")).content.decode()
    assert "Ingen forskelle: alt, hvad posteringerne kalder på i 2026" in tekst
    assert 'id="total-afventer">300,00<' in tekst
    assert not Opslag.objects.filter(bruger=pia).exists()


def test_an_unknown_year_falls_back_with_a_message(erik, pia):
    tekst = klient(pia).get(reverse("eindkomst_afstemning"), {"indkomstaar": "1999"})
    assert "Vælg et af indkomstårene på listen." in tekst.content.decode()


def test_a_sagsbehandler_cannot_reach_the_bogholder_screens(erik, alice):
    c = klient(alice)
    assert c.get(reverse("eindkomst_manuel")).status_code == 403
    assert c.get(reverse("eindkomst_afstemning")).status_code == 403
    assert opret(c).status_code == 403
    assert not EIndkomstManuel.objects.exists()


def test_the_project_lead_reads_the_reconciliation_but_records_nothing(erik, pia):
    c = klient(pia)
    assert c.get(reverse("eindkomst_manuel")).status_code == 403
    assert opret(c).status_code == 403
    tekst = c.get(reverse("eindkomst_afstemning")).content.decode()
    assert reverse("eindkomst_manuel") not in tekst  # no tab to a screen she may not use


def test_another_kommune_cannot_see_or_cancel(erik, bent):
    opret(klient(bent))
    row = EIndkomstManuel.objects.get()
    odense_bogholder = personas.person("ottilie", [Rolle.BOGHOLDER], personas.ODENSE)
    c = klient(odense_bogholder)
    liste = c.get(reverse("eindkomst_manuel")).content.decode()
    assert "050282" not in liste and "Erik" not in liste
    afstemning = c.get(reverse("eindkomst_afstemning")).content.decode()
    assert "050282" not in afstemning and 'id="total-forventet">0,00<' in afstemning
    svar = c.post(reverse("eindkomst_manuel_annuller", args=[row.pk]), {"begrundelse": "x"})
    assert svar.status_code == 404
    assert EIndkomstManuel.objects.count() == 1
    assert not AuditEvent.objects.filter(handling="eindkomst.manuel.annuller").exists()
