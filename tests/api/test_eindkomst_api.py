"""By-hand eIndkomst amounts and the reconciliation through the API: the screens' services and
selector, masked CPR numbers, Danish 400s that store nothing, one amount per Idempotency-Key,
404 for another kommune's row, and the permission table's roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from fordringer.models import EIndkomstLinje, EIndkomstManuel
from ky_debitor.models import AuditEvent, Opslag
from ky_debitor.roles import Rolle

from .. import personas
from ..fordringer.eindkomst.afstemning_data import borger_med_ll8o, forsendelse
from .conftest import api_som

URL = "/api/v1/eindkomst/manuel/"


@pytest.fixture(autouse=True)
def idag():
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def erik(db, bent):
    return borger_med_ll8o(bogholder=bent)[0]


def registrer(client, noegle="m-1", **felter):
    data = {"cpr": "0502824567", "indkomstaar": 2026, "beloeb": "200.00", "tekst": "Marts"}
    return client.post(URL, data | felter, format="json", HTTP_IDEMPOTENCY_KEY=noegle)


def test_an_amount_is_recorded_once_per_key_and_listed_masked(erik, bent):
    client = api_som(bent)
    svar = registrer(client)
    assert svar.status_code == 201, svar.json()
    assert svar.json() | {"id": 0, "oprettet": ""} == {
        "id": 0,
        "cpr": "050282-****",
        "indkomstaar": 2026,
        "beloeb": "200.00",
        "tekst": "Marts",
        "kilde": "API",
        "annullerer": None,
        "annulleret_af": None,
        "aktoer": "bent",
        "oprettet": "",
    }
    igen = registrer(client)
    assert igen.status_code == 201 and igen["Idempotent-Replayed"] == "true"
    assert EIndkomstManuel.objects.count() == 1
    assert AuditEvent.objects.filter(handling="eindkomst.manuel.opret").count() == 1

    liste = client.get(URL, {"indkomstaar": 2026}).json()["results"]
    assert [(r["cpr"], r["beloeb"]) for r in liste] == [("050282-****", "200.00")]
    assert client.get(URL, {"indkomstaar": 2025}).json()["results"] == []


@pytest.mark.parametrize(
    ("felter", "felt", "besked"),
    [
        ({"cpr": "0101901234"}, "cpr", "Ingen borger med CPR-nummer 010190-1234 i kommunen."),
        (
            {"indkomstaar": 2023},
            "indkomstaar",
            "Indkomståret 2023 ligger uden for kommunens data: vælg et år fra 2024 til 2026.",
        ),
        ({"beloeb": "-200.00"}, "beloeb", "Beløbet skal være større end 0,00 kr."),
        ({"beloeb": "0"}, "beloeb", "Beløbet skal være større end 0,00 kr."),
    ],
)
def test_bad_input_is_a_danish_400_and_nothing_is_stored(erik, bent, felter, felt, besked):
    svar = registrer(api_som(bent), **felter)
    assert svar.status_code == 400
    assert besked in svar.json()["detail"] and svar.json()["felt"] == felt
    assert not EIndkomstManuel.objects.exists()


def test_an_amount_that_is_no_number_is_a_field_error(erik, bent):
    api = api_som(bent)
    svar = registrer(api, beloeb="1.234,56")
    assert svar.status_code == 400
    assert "beloeb" in svar.json()["felter"]
    svar = registrer(api, noegle="m-2", beloeb="12.345")
    assert svar.json()["felter"]["beloeb"] == ["Beløbet må højst have to decimaler."]
    assert not EIndkomstManuel.objects.exists()


def test_cancel_once_and_another_kommune_gets_404(erik, bent):
    client = api_som(bent)
    pk = registrer(client).json()["id"]
    url = f"{URL}{pk}/annuller/"

    ottilie = personas.person("ottilie", [Rolle.BOGHOLDER], personas.ODENSE)
    odense = api_som(ottilie)
    svar = odense.post(url, {"begrundelse": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="o-1")
    assert svar.status_code == 404
    assert odense.get(URL).json()["results"] == []

    svar = client.post(url, {"begrundelse": "Forkert"}, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert svar.status_code == 201, svar.json()
    assert (svar.json()["beloeb"], svar.json()["annullerer"]) == ("-200.00", pk)
    svar = client.post(url, {"begrundelse": "Igen"}, format="json", HTTP_IDEMPOTENCY_KEY="a-2")
    assert svar.status_code == 400 and svar.json()["detail"] == "Beløbet er allerede annulleret."
    listet = {r["id"]: r for r in client.get(URL).json()["results"]}
    assert listet[pk]["annulleret_af"] is not None
    assert EIndkomstManuel.objects.count() == 2


def test_the_reconciliation_through_the_api(erik, bent, pia):
    registrer(api_som(bent), beloeb="500.00")
    forsendelse(linjer=[EIndkomstLinje.objects.get()], modregnet=Decimal("300.00"))

    svar = api_som(pia).get("/api/v1/eindkomst/afstemning/", {"indkomstaar": 2026})
    assert svar.status_code == 200
    data = svar.json()
    assert (data["indkomstaar"], data["antal_borgere"], data["antal_borgere_med_forskel"]) == (
        2026,
        1,
        1,
    )
    assert data["total"]["forventet"] == "300.00" and data["total"]["forskel"] == "0.00"
    (raekke,) = data["forskelle"]
    assert raekke["cpr"] == "050282-****" and raekke["art"] == "LL8O"
    assert (raekke["manuelt"], raekke["modregnet"], raekke["manuelt_ikke_modregnet"]) == (
        "500.00",
        "300.00",
        "200.00",
    )
    assert Opslag.objects.filter(bruger=pia, formaal__contains="gennem API'et").exists()
    fejl = api_som(pia).get("/api/v1/eindkomst/afstemning/", {"indkomstaar": "tyve"})
    assert fejl.status_code == 400


def test_roles(erik, alice, pia):
    assert registrer(api_som(pia)).status_code == 403
    assert api_som(alice).get("/api/v1/eindkomst/afstemning/").status_code == 403
    assert api_som(alice).get(URL).status_code == 403
    assert not EIndkomstManuel.objects.exists()
