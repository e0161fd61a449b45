"""Drift starts and resumes interest runs from the admin; the list shows each run's progress.

Personas: Dina works in Drift in København, Ole in Drift in Odense, Pia is København's
Projektleder (she follows runs, does not start them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fordringer.choices import PosteringArt, Renteregime
from fordringer.models import Postering, Rentekoersel, RentekoerselStatus
from fordringer.rente.koersel import (
    rentekoersel_del_koer,
    rentekoersel_koer,
    rentekoersel_opret,
)
from ky_debitor.models import AuditEvent, Bruger
from tests import personas
from tests.factories import FordringFactory, kommune

D = Decimal
KOERSLER = reverse("admin:fordringer_rentekoersel_changelist")
START = reverse("admin:fordringer_rentekoersel_start")


def _klient(bruger: Bruger) -> Client:
    klient = Client()
    klient.force_login(bruger)
    return klient


@pytest.fixture
def claim(db):
    """Gebyrloven, 1.000,00 due 10-01-2025: to 20-04-2025 four interest days of 10,00."""
    return FordringFactory.create(
        hovedstol=D("1000.00"),
        forfaldsdato=dt.date(2025, 1, 10),
        renteregime=Renteregime.GEBYRLOVEN_3,
    )


def _renter(fordring) -> Decimal:
    return sum(
        Postering.objects.filter(fordring=fordring, art=PosteringArt.RENTE).values_list(
            "beloeb", flat=True
        ),
        D(0),
    )


def test_drift_starts_a_run_for_the_kommune_and_it_is_audited(
    claim, django_capture_on_commit_callbacks
):
    dina = personas.dina(is_staff=True)
    klient = _klient(dina)
    assert klient.get(START).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        svar = klient.post(START, {"kommune": kommune(101).pk, "til_dato": "20-04-2025"})
    assert svar.status_code == 302
    koersel = Rentekoersel.objects.get()
    assert (koersel.status, koersel.til_dato) == (RentekoerselStatus.DONE, dt.date(2025, 4, 20))
    assert (koersel.startet_af, koersel.beloeb_bogfoert) == (dina, D("40.00"))
    assert _renter(claim) == D("40.00")
    start = AuditEvent.objects.get(handling="rentekoersel.start")
    assert start.bruger == dina
    liste = klient.get(KOERSLER)
    assert "1 fordringer i 1 dele" in liste.content.decode()
    assert "40,00" in liste.content.decode()


def test_a_bad_date_is_refused_in_danish_and_nothing_is_started(claim):
    klient = _klient(personas.dina(is_staff=True))
    svar = klient.post(START, {"kommune": kommune(101).pk, "til_dato": "01-01-2999"})
    assert svar.status_code == 200
    assert "datoen er ikke kommet endnu" in svar.content.decode()
    assert not Rentekoersel.objects.exists()


def test_the_project_lead_follows_runs_but_cannot_start_them(claim):
    klient = _klient(personas.pia(is_staff=True))
    assert klient.get(KOERSLER).status_code == 200
    assert klient.post(START, {"kommune": kommune(101).pk}).status_code == 403
    assert not Rentekoersel.objects.exists()


def test_drift_resumes_a_failed_run_from_the_list(claim, django_capture_on_commit_callbacks):
    dina = personas.dina(is_staff=True)
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 4, 20), user=dina)
    Rentekoersel.objects.filter(pk=koersel.pk).update(
        status=RentekoerselStatus.FAILED, fejl="OperationalError: forbindelsen røg"
    )
    with django_capture_on_commit_callbacks(execute=True):
        svar = _klient(dina).post(
            KOERSLER, {"action": "genoptag", "_selected_action": [koersel.pk]}
        )
    assert svar.status_code == 302
    koersel.refresh_from_db()
    assert (koersel.status, koersel.fejl) == (RentekoerselStatus.DONE, "")
    assert _renter(claim) == D("40.00")
    assert AuditEvent.objects.get(handling="rentekoersel.genoptag").bruger == dina


def test_another_kommunes_drift_neither_sees_nor_resumes_the_run(claim):
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 4, 20), user=None)
    Rentekoersel.objects.filter(pk=koersel.pk).update(status=RentekoerselStatus.FAILED)
    ole = _klient(personas.ole())
    detalje = reverse("admin:fordringer_rentekoersel_change", args=[koersel.pk])
    assert detalje not in ole.get(KOERSLER).content.decode()
    assert detalje in _klient(personas.dina(is_staff=True)).get(KOERSLER).content.decode()
    ole.post(KOERSLER, {"action": "genoptag", "_selected_action": [koersel.pk]})
    koersel.refresh_from_db()
    assert koersel.status == RentekoerselStatus.FAILED
    assert _renter(claim) == D("0")


API_START = reverse("api:rentekoersel_start")


def test_drift_starts_a_run_through_the_api_once_per_key(claim, django_capture_on_commit_callbacks):
    klient = APIClient()
    klient.force_login(personas.dina())
    with django_capture_on_commit_callbacks(execute=True):
        svar = klient.post(
            API_START, {"til_dato": "2025-04-20"}, format="json", HTTP_IDEMPOTENCY_KEY="r-1"
        )
    assert svar.status_code == 201
    assert svar.json()["til_dato"] == "2025-04-20"
    igen = klient.post(
        API_START, {"til_dato": "2025-04-20"}, format="json", HTTP_IDEMPOTENCY_KEY="r-1"
    )
    assert igen.status_code == 201
    assert Rentekoersel.objects.get().status == RentekoerselStatus.DONE
    assert _renter(claim) == D("40.00")


def test_the_api_refuses_a_future_date_in_danish_and_others_than_drift(claim):
    drift = APIClient()
    drift.force_login(personas.dina())
    svar = drift.post(
        API_START, {"til_dato": "2999-01-01"}, format="json", HTTP_IDEMPOTENCY_KEY="r-2"
    )
    assert svar.status_code == 400
    assert "datoen er ikke kommet endnu" in str(svar.json())
    bogholder = APIClient()
    bogholder.force_login(personas.bent())
    afvist = bogholder.post(API_START, {}, format="json", HTTP_IDEMPOTENCY_KEY="r-3")
    assert afvist.status_code == 403
    assert not Rentekoersel.objects.exists()


def _side(koersel: Rentekoersel) -> str:
    return reverse("admin:fordringer_rentekoersel_change", args=[koersel.pk])


def _styr(koersel: Rentekoersel, handling: str) -> str:
    return reverse(f"admin:fordringer_rentekoersel_{handling}", args=[koersel.pk])


@pytest.fixture
def tre_krav(db):
    """Three gebyrlov claims of 1.000,00 due 10-01-2025: to 20-04-2025 40,00 each."""
    return [
        FordringFactory.create(
            hovedstol=D("1000.00"),
            forfaldsdato=dt.date(2025, 1, 10),
            renteregime=Renteregime.GEBYRLOVEN_3,
        )
        for _ in range(3)
    ]


def test_a_runs_page_shows_its_progress_and_polls_only_while_it_runs(claim):
    dina = personas.dina(is_staff=True)
    klient = _klient(dina)
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 4, 20), user=dina)
    venter = klient.get(_side(koersel)).content.decode()
    assert f'hx-get="{_styr(koersel, "fremdrift")}"' in venter
    assert 'id="rentekoersel-annuller"' in venter
    rentekoersel_koer(koersel_id=koersel.pk)
    panel = klient.get(_styr(koersel, "fremdrift")).content.decode()
    assert "hx-get" not in panel and 'id="rentekoersel-annuller"' not in panel
    assert 'id="rentekoersel-behandlet">1</span> af <span id="rentekoersel-i-alt">1</span>' in panel
    assert 'id="rentekoersel-procent">100 %' in panel
    assert 'id="rentekoersel-bogfoert">40,00 kr.' in panel


def test_drift_cancels_a_run_after_its_chunk_and_resumes_it_to_the_end(
    tre_krav, django_capture_on_commit_callbacks, settings
):
    """One lane, one chunk (one claim) is booked, then Dina cancels: the run stops there with
    that claim's 40,00 booked. Resumed, it books the other two and ends with all three."""
    settings.KY_RENTE_SPOR = 1
    dina = personas.dina(is_staff=True)
    klient = _klient(dina)
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 4, 20), user=dina)
    assert rentekoersel_del_koer(koersel_id=koersel.pk, chunk_stoerrelse=1)
    assert klient.post(_styr(koersel, "annuller")).status_code == 302
    koersel.refresh_from_db()
    assert (koersel.status, koersel.antal_behandlet) == (RentekoerselStatus.CANCELLED, 1)
    assert not rentekoersel_del_koer(koersel_id=koersel.pk, chunk_stoerrelse=1)
    assert [_renter(f) for f in tre_krav] == [D("40.00"), D("0"), D("0")]
    annulleret = AuditEvent.objects.get(handling="rentekoersel.annuller")
    assert annulleret.bruger == dina and "efter 1 af" in annulleret.beskrivelse
    side = klient.get(_side(koersel)).content.decode()
    assert 'id="rentekoersel-genoptag"' in side and "Annulleret" in side
    with django_capture_on_commit_callbacks(execute=True):
        klient.post(_styr(koersel, "genoptag"))
    koersel.refresh_from_db()
    assert koersel.status == RentekoerselStatus.DONE
    assert (koersel.antal_behandlet, koersel.antal_i_alt) == (3, 3)
    assert koersel.beloeb_bogfoert == D("120.00")
    assert [_renter(f) for f in tre_krav] == [D("40.00")] * 3


def test_cancelling_a_finished_run_is_refused_in_danish(claim):
    dina = personas.dina(is_staff=True)
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 4, 20), user=dina)
    Rentekoersel.objects.filter(pk=koersel.pk).update(status=RentekoerselStatus.DONE)
    svar = _klient(dina).post(_styr(koersel, "annuller"), follow=True)
    assert "ikke i gang og kan ikke annulleres" in svar.content.decode()
    koersel.refresh_from_db()
    assert koersel.status == RentekoerselStatus.DONE
    assert not AuditEvent.objects.filter(handling="rentekoersel.annuller").exists()


def test_the_project_lead_follows_a_run_but_neither_cancels_it_nor_does_another_kommune(claim):
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 4, 20), user=None)
    pia = _klient(personas.pia(is_staff=True))
    assert pia.get(_styr(koersel, "fremdrift")).status_code == 200
    assert 'id="rentekoersel-annuller"' not in pia.get(_side(koersel)).content.decode()
    assert pia.post(_styr(koersel, "annuller")).status_code == 403
    ole = _klient(personas.ole())
    assert ole.get(_styr(koersel, "fremdrift")).status_code in (403, 404)
    assert ole.post(_styr(koersel, "annuller")).status_code in (403, 404)
    koersel.refresh_from_db()
    assert koersel.status == RentekoerselStatus.PENDING


def test_drift_follows_cancels_and_resumes_a_run_through_the_api(
    tre_krav, django_capture_on_commit_callbacks, settings
):
    settings.KY_RENTE_SPOR = 1
    dina = personas.dina(is_staff=True)
    api = APIClient()
    api.force_authenticate(dina)
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 4, 20), user=dina)
    assert rentekoersel_del_koer(koersel_id=koersel.pk, chunk_stoerrelse=1)
    annulleret = api.post(
        reverse("api:rentekoersel_annuller", args=[koersel.pk]), HTTP_IDEMPOTENCY_KEY="a-1"
    )
    assert annulleret.status_code == 200, annulleret.content
    assert (annulleret.json()["status"], annulleret.json()["antal_behandlet"]) == ("CANCELLED", 1)
    with django_capture_on_commit_callbacks(execute=True):
        genoptaget = api.post(
            reverse("api:rentekoersel_genoptag", args=[koersel.pk]), HTTP_IDEMPOTENCY_KEY="g-1"
        )
    assert genoptaget.status_code == 200, genoptaget.content
    detalje = api.get(reverse("api:rentekoersel", args=[koersel.pk])).json()
    assert (detalje["status"], detalje["antal_behandlet"], detalje["antal_i_alt"]) == (
        "DONE",
        3,
        3,
    )
    assert detalje["beloeb_bogfoert"] == "120.00"
    ole = APIClient()
    ole.force_authenticate(personas.ole())
    assert ole.get(reverse("api:rentekoersel", args=[koersel.pk])).status_code in (403, 404)
