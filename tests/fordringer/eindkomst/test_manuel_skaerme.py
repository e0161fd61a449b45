"""The by-hand screens and API and the reconciliation, as the Bogholder uses them: a clear
Danish error that stores nothing, the same service behind screen and API, other kommuner's
rows out of reach, and the reconciliation showing what remains (seed 000's workaround)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from fordringer.models import EIndkomstLinje, EIndkomstManuel
from ky_debitor.models import AuditEvent
from ky_debitor.roles import Rolle
from tests import personas
from tests.screens.conftest import logget_paa

from .afstemning_data import borger_med_ll8o, forsendelse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("idag"),
]


@pytest.fixture
def idag():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def erik(bent):
    borger, _fordring = borger_med_ll8o(bogholder=bent)
    return borger


def api(bruger) -> APIClient:
    klient = APIClient()
    klient.force_authenticate(bruger)
    return klient


def test_bogholder_records_an_amount_on_the_screen_and_the_reconciliation_nets_it(bent, erik):
    """Erik's 300,00 of § 8 O in 2026; the kommune reported 200,00 by hand. A delivered batch
    that netted the 200,00 sent 100,00: forventet 300,00 = indberettet 100,00 + modregnet
    200,00, forskel 0,00."""
    klient = logget_paa(bent)
    svar = klient.post(
        reverse("eindkomst_manuel_opret"),
        {"cpr": "050282-4567", "indkomstaar": "2026", "beloeb": "200,00", "tekst": "Workaround"},
    )
    assert svar.status_code == 302
    manuel = EIndkomstManuel.objects.get()
    assert (manuel.cpr, manuel.indkomstaar, manuel.beloeb) == ("0502824567", 2026, D("200.00"))
    assert AuditEvent.objects.filter(bruger=bent, objekt_id=str(manuel.pk)).exists()

    forsendelse(linjer=list(EIndkomstLinje.objects.all()), modregnet=D("200.00"))
    side = klient.get(reverse("eindkomst_afstemning"), {"indkomstaar": "2026"})
    assert side.status_code == 200
    a = side.context["a"]
    assert (a.total.forventet, a.total.indberettet, a.total.manuelt, a.total.modregnet) == (
        D("300.00"),
        D("100.00"),
        D("200.00"),
        D("200.00"),
    )
    assert a.total.forskel == D("0.00") and not a.afvigelser


@pytest.mark.parametrize(
    ("felter", "besked"),
    [
        ({"cpr": "0101011234"}, "Ingen borger med CPR-nummer"),
        ({"cpr": "12345"}, "CPR"),
        ({"indkomstaar": "2031"}, "Indkomståret"),
        ({"beloeb": "-50,00"}, "større end 0"),
        ({"beloeb": "0,00"}, "større end 0"),
        ({"beloeb": "tolv"}, "beløb"),
    ],
)
def test_bad_input_on_the_screen_is_refused_in_danish_and_stores_nothing(
    bent, erik, felter, besked
):
    data = {"cpr": "0502824567", "indkomstaar": "2026", "beloeb": "100,00", "tekst": ""} | felter
    svar = logget_paa(bent).post(reverse("eindkomst_manuel_opret"), data)
    assert svar.status_code == 400
    assert besked.lower() in svar.content.decode().lower()
    assert not EIndkomstManuel.objects.exists()


def test_the_api_records_and_annuls_through_the_same_service(bent, erik):
    klient = api(bent)
    svar = klient.post(
        reverse("api:eindkomst_manuel"),
        {"cpr": "0502824567", "indkomstaar": "2026", "beloeb": "150.00"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="manuel-1",
    )
    assert svar.status_code == 201, svar.json()
    assert svar.json()["cpr"] == "050282-****" and svar.json()["kilde"] == "API"
    pk = svar.json()["id"]
    annulleret = klient.post(
        reverse("api:eindkomst_manuel_annuller", args=[pk]),
        {"begrundelse": "Forkert beløb"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="annuller-1",
    )
    assert annulleret.status_code == 201, annulleret.json()
    assert annulleret.json()["beloeb"] == "-150.00"
    igen = klient.post(
        reverse("api:eindkomst_manuel_annuller", args=[pk]),
        {"begrundelse": "Igen"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="annuller-2",
    )
    assert igen.status_code == 400
    assert EIndkomstManuel.objects.count() == 2

    forkert = klient.post(
        reverse("api:eindkomst_manuel"),
        {"cpr": "0502824567", "indkomstaar": "2026", "beloeb": "-1"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="manuel-2",
    )
    assert forkert.status_code == 400 and "større end 0" in str(forkert.json())
    assert EIndkomstManuel.objects.count() == 2

    afstemning = klient.get(reverse("api:eindkomst_afstemning"), {"indkomstaar": 2026})
    assert afstemning.status_code == 200
    assert afstemning.json()["total"]["forventet"] == "300.00"
    assert afstemning.json()["total"]["manuelt"] == "0.00"


def test_another_kommune_cannot_see_or_annul_and_a_caseworker_cannot_record(bent, alice, erik):
    manuel = EIndkomstManuel.objects.create(
        kommune=erik.kommune,
        cpr=erik.cpr,
        indkomstaar=2026,
        beloeb=D("10.00"),
        kilde="ADMIN",
        aktoer="test",
    )
    odense = personas.person("ottilie", [Rolle.BOGHOLDER], personas.ODENSE)
    svar = logget_paa(odense).post(
        reverse("eindkomst_manuel_annuller", args=[manuel.pk]), {"begrundelse": "x"}
    )
    assert svar.status_code == 404
    assert api(odense).get(reverse("api:eindkomst_manuel")).json()["results"] == []
    api_svar = api(odense).post(
        reverse("api:eindkomst_manuel_annuller", args=[manuel.pk]),
        {"begrundelse": "x"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="o-1",
    )
    assert api_svar.status_code == 404
    assert logget_paa(alice).get(reverse("eindkomst_manuel")).status_code == 403
    assert EIndkomstManuel.objects.count() == 1
