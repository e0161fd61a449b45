"""The debitorsystem's messages to KY: dækninger, afskrivninger and konto status changes
(SF1590 via the Beskedfordeler, DESIGN §5-§6, seed 003), received once and booked through the
ledger. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from fordringer.choices import Frigivelsestype, KontoStatus, PosteringArt
from fordringer.models import (
    EIndkomstLinje,
    IndgaaendeBesked,
    Parkering,
    Postering,
    Ydelsestype,
)
from ky_debitor.api_noegler import api_noegle_opret
from ky_debitor.models import AuditEvent
from ky_debitor.roles import Rolle

from ..factories import BrugerFactory, FordringFactory, IndbetalingFactory, SagFactory, kommune
from .conftest import api_med_noegle, api_som

DAEKNING = reverse("api:debitorsystem_daekning")
KONTOSTATUS = reverse("api:debitorsystem_kontostatus")


@pytest.fixture
def debitorsystem(dina):
    """København's debitorsystem, with the API key Drift made for it."""
    _, token = api_noegle_opret(
        user=dina, kommune=kommune(101), rolle=Rolle.DRIFT, navn="Debitorsystem (Opus)"
    )
    return api_med_noegle(token)


@pytest.fixture
def odenses_debitorsystem(db):
    ole = BrugerFactory.create(kommune=kommune(461), roller=[Rolle.DRIFT])
    _, token = api_noegle_opret(
        user=ole, kommune=kommune(461), rolle=Rolle.DRIFT, navn="Debitorsystem (Prisme)"
    )
    return api_med_noegle(token)


@pytest.fixture
def uden_tilknytning(db):
    """A KMD Aktiv claim of 1.000 kr. on a konto no one has linked yet."""
    return FordringFactory.create(ydelsestype=None)


@pytest.fixture
def tilknyttet(db):
    """A claim for January 2024 on a linked konto, with ydelsestype kontanthjælp."""
    fordring = FordringFactory.create(
        ydelsestype=Ydelsestype.objects.get(kode="KONTANTHJAELP"), kmd_aktiv_reference="B1"
    )
    konto = fordring.konto
    konto.sag = SagFactory.create(borger=konto.borger)
    konto.tilknytning = "AUTOMATISK"
    konto.save()
    return fordring


def _daekning(fordring, **aendret):
    return {
        "besked_id": str(uuid.uuid4()),
        "fordringsid": fordring.fordringsid,
        "art": "DAEKNING",
        "beloeb": "200.00",
        "valoerdato": "2026-02-10",
        **aendret,
    }


def _posteringer() -> int:
    return Postering.objects.count()


def test_a_message_delivered_twice_is_booked_once_and_answered_alike(
    debitorsystem, uden_tilknytning
):
    besked = _daekning(uden_tilknytning)
    foerste = debitorsystem.post(DAEKNING, besked, format="json")
    assert foerste.status_code == 201, foerste.json()
    antal = _posteringer()

    anden = debitorsystem.post(DAEKNING, besked, format="json")

    assert anden.status_code == 200
    assert anden.json() == foerste.json()
    assert anden["Idempotent-Replayed"] == "true"
    assert _posteringer() == antal
    uden_tilknytning.refresh_from_db()
    assert uden_tilknytning.restance == Decimal("800.00")
    assert IndgaaendeBesked.objects.get().besked_id == besked["besked_id"]


def test_the_same_id_with_other_content_is_refused(debitorsystem, uden_tilknytning):
    besked = _daekning(uden_tilknytning)
    assert debitorsystem.post(DAEKNING, besked, format="json").status_code == 201
    svar = debitorsystem.post(DAEKNING, besked | {"beloeb": "300.00"}, format="json")
    assert svar.status_code == 422
    assert "allerede modtaget med et andet indhold" in svar.json()["detail"]
    uden_tilknytning.refresh_from_db()
    assert uden_tilknytning.restance == Decimal("800.00")


@pytest.mark.parametrize(
    ("aendret", "felt", "tekst"),
    [
        ({"fordringsid": "FINDES-IKKE"}, None, "Fordring FINDES-IKKE findes ikke i kommunen."),
        ({"beloeb": "-5.00"}, "beloeb", ""),
        ({"beloeb": "0.00"}, "beloeb", ""),
        ({"beloeb": "1000.01"}, None, "overstiger fordringens restance 1.000,00 kr."),
        ({"valoerdato": "2026-02-30"}, "valoerdato", ""),
        ({"valoerdato": "2099-01-01"}, None, "ligger i fremtiden"),
        ({"art": "GAVE"}, "art", "ikke et gyldigt valg"),
        ({"indbetalingsid": "I-UKENDT"}, None, "Indbetaling I-UKENDT findes ikke i kommunen."),
        ({"besked_id": ""}, "besked_id", ""),
    ],
    ids=[
        "ukendt-fordring",
        "negativt",
        "nul",
        "over-restance",
        "ugyldig-dato",
        "fremtid",
        "ukendt-art",
        "ukendt-indbetaling",
        "intet-id",
    ],
)
def test_malformed_message_is_a_danish_400_and_books_nothing(
    debitorsystem, uden_tilknytning, aendret, felt, tekst
):
    foer = (_posteringer(), Parkering.objects.count(), AuditEvent.objects.count())

    svar = debitorsystem.post(DAEKNING, _daekning(uden_tilknytning, **aendret), format="json")

    assert svar.status_code == 400
    fejl = svar.json()
    if felt:
        assert felt in fejl["felter"], fejl
        assert fejl["detail"].startswith("Forespørgslen er ugyldig")
    assert tekst in str(fejl)
    assert (_posteringer(), Parkering.objects.count(), AuditEvent.objects.count()) == foer
    assert not IndgaaendeBesked.objects.exists()


def test_a_refused_message_may_be_corrected_and_sent_again_under_its_id(
    debitorsystem, uden_tilknytning
):
    besked = _daekning(uden_tilknytning, beloeb="5000.00")
    assert debitorsystem.post(DAEKNING, besked, format="json").status_code == 400
    svar = debitorsystem.post(DAEKNING, besked | {"beloeb": "100.00"}, format="json")
    assert svar.status_code == 201


def test_daekning_on_an_unlinked_konto_is_parked(debitorsystem, uden_tilknytning):
    svar = debitorsystem.post(DAEKNING, _daekning(uden_tilknytning), format="json")

    assert svar.status_code == 201
    assert svar.json()["resultat"] == "PARKERET"
    parkering = Parkering.objects.get()
    assert parkering.konto == uden_tilknytning.konto and parkering.beloeb == Decimal("200.00")
    assert parkering.postering_id == svar.json()["postering"]
    assert not EIndkomstLinje.objects.exists()
    event = AuditEvent.objects.get(handling="postering.daekning")
    assert event.aktoer.startswith("dina via API-nøgle ")


def test_daekning_on_a_linked_konto_is_booked_with_its_eindkomst_row(debitorsystem, tilknyttet):
    indbetaling = IndbetalingFactory.create(beloeb=Decimal("500.00"))
    svar = debitorsystem.post(
        DAEKNING, _daekning(tilknyttet, indbetalingsid=indbetaling.indbetalingsid), format="json"
    )

    assert svar.status_code == 201, svar.json()
    assert svar.json()["resultat"] == "BOGFOERT" and svar.json()["eindkomst"] is True
    assert not Parkering.objects.exists()
    postering = Postering.objects.get(pk=svar.json()["postering"])
    assert (postering.art, postering.beloeb) == (PosteringArt.DAEKNING, Decimal("-200.00"))
    assert postering.indbetaling == indbetaling
    # Kontanthjælp is covered by LL § 8 O in 2026, the claim was paid out in 2024.
    indberetning = EIndkomstLinje.objects.get()
    assert (indberetning.indkomstaar, indberetning.beloeb) == (2026, Decimal("200.00"))
    assert indberetning.postering == postering
    assert indberetning.cpr == tilknyttet.konto.borger.cpr


def test_afskrivning_on_a_linked_konto_is_booked_without_eindkomst(debitorsystem, tilknyttet):
    svar = debitorsystem.post(DAEKNING, _daekning(tilknyttet, art="AFSKRIVNING"), format="json")
    assert svar.json()["resultat"] == "BOGFOERT" and svar.json()["eindkomst"] is False
    assert not EIndkomstLinje.objects.exists()


def test_another_kommunes_key_cannot_book_on_this_kommunes_claim(
    odenses_debitorsystem, uden_tilknytning
):
    foer = _posteringer()
    svar = odenses_debitorsystem.post(DAEKNING, _daekning(uden_tilknytning), format="json")
    assert svar.status_code == 400
    assert (
        svar.json()["detail"] == f"Fordring {uden_tilknytning.fordringsid} findes ikke i kommunen."
    )
    assert _posteringer() == foer
    uden_tilknytning.refresh_from_db()
    assert uden_tilknytning.restance == Decimal("1000.00")


def test_the_same_id_from_two_kommuner_is_two_messages(
    debitorsystem, odenses_debitorsystem, uden_tilknytning
):
    odenses = FordringFactory.create(konto__borger__kommune=kommune(461), ydelsestype=None)
    besked_id = str(uuid.uuid4())
    assert (
        debitorsystem.post(
            DAEKNING, _daekning(uden_tilknytning, besked_id=besked_id), format="json"
        ).status_code
        == 201
    )
    svar = odenses_debitorsystem.post(
        DAEKNING, _daekning(odenses, besked_id=besked_id), format="json"
    )
    assert svar.status_code == 201


def test_a_person_cannot_send_as_the_debitorsystem(dina, uden_tilknytning):
    svar = api_som(dina).post(DAEKNING, _daekning(uden_tilknytning), format="json")
    assert svar.status_code == 403
    assert "API-nøgle" in svar.json()["detail"]
    assert not IndgaaendeBesked.objects.exists()


def test_other_roles_keys_are_refused(uden_tilknytning):
    bodil = BrugerFactory.create(kommune=kommune(101), roller=[Rolle.DRIFT, Rolle.BOGHOLDER])
    _, token = api_noegle_opret(
        user=bodil, kommune=kommune(101), rolle=Rolle.BOGHOLDER, navn="Forkert rolle"
    )
    svar = api_med_noegle(token).post(DAEKNING, _daekning(uden_tilknytning), format="json")
    assert svar.status_code == 403


def test_status_change_updates_the_konto_and_is_audited(debitorsystem, uden_tilknytning):
    konto = uden_tilknytning.konto
    besked = {
        "besked_id": "status-1",
        "kontonummer": konto.kontonummer,
        "status": "AFVENTER_FRIGIVELSE",
        "frigivelsestype": "BLOKERET",
    }
    svar = debitorsystem.post(KONTOSTATUS, besked, format="json")

    assert svar.status_code == 201, svar.json()
    assert svar.json()["resultat"] == "STATUS_AENDRET"
    konto.refresh_from_db()
    assert (konto.status, konto.frigivelsestype) == (
        KontoStatus.AFVENTER_FRIGIVELSE,
        Frigivelsestype.BLOKERET,
    )
    event = AuditEvent.objects.get(handling="debitorkonto.statusskift")
    assert "Aktiv → Afventer frigivelse" in event.beskrivelse
    assert event.data["foer"] == {"status": "AKTIV", "frigivelsestype": "IKKE_FRIGIVET"}

    igen = debitorsystem.post(KONTOSTATUS, besked, format="json")
    assert igen.status_code == 200 and igen.json() == svar.json()
    assert AuditEvent.objects.filter(handling="debitorkonto.statusskift").count() == 1


@pytest.mark.parametrize(
    ("besked", "tekst"),
    [
        ({"kontonummer": "UKENDT", "status": "LUKKET"}, "Debitorkonto UKENDT findes ikke"),
        ({"status": "SLETTET"}, "ikke et gyldigt valg"),
        ({}, "Angiv en ny status og/eller en ny frigivelsestype."),
    ],
    ids=["ukendt-konto", "ukendt-status", "intet-nyt"],
)
def test_malformed_status_change_changes_nothing(debitorsystem, uden_tilknytning, besked, tekst):
    konto = uden_tilknytning.konto
    data = {"besked_id": "status-x", "kontonummer": konto.kontonummer} | besked
    svar = debitorsystem.post(KONTOSTATUS, data, format="json")
    assert svar.status_code == 400
    assert tekst in str(svar.json())
    konto.refresh_from_db()
    assert konto.status == KontoStatus.AKTIV
    assert not IndgaaendeBesked.objects.exists()


def test_unchanged_status_is_recorded_but_not_audited(debitorsystem, uden_tilknytning):
    data = {"besked_id": "s", "kontonummer": uden_tilknytning.konto.kontonummer, "status": "AKTIV"}
    svar = debitorsystem.post(KONTOSTATUS, data, format="json")
    assert svar.status_code == 201 and svar.json()["resultat"] == "UAENDRET"
    assert not AuditEvent.objects.filter(handling="debitorkonto.statusskift").exists()


def test_valoerdato_is_kept(debitorsystem, uden_tilknytning):
    svar = debitorsystem.post(DAEKNING, _daekning(uden_tilknytning), format="json")
    assert Postering.objects.get(pk=svar.json()["postering"]).valoerdato == dt.date(2026, 2, 10)
