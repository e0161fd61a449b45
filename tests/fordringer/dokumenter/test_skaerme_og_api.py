"""The documents from the konto, borger and ompostering pages and from the API: the same
services, scoped to the person's kommune, every download logged."""

from __future__ import annotations

import pytest
from django.test import Client

from fordringer.choices import DokumentStatus
from fordringer.models import Dokument, UdgaaendeBesked
from ky_debitor.models import Opslag
from tests.api.conftest import api_som

from .dokument_data import ompostering_til_advokat, pdf_tekst

pytestmark = pytest.mark.django_db


def logget_ind(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_bogholder_orders_a_kontoudtog_on_the_konto_page_and_downloads_it(bent):
    s, _o = ompostering_til_advokat(bent)
    client = logget_ind(bent)
    side = client.get(f"/konti/{s.fa.konto_id}/")
    assert f'href="/konti/{s.fa.konto_id}/dokumenter/"' in side.content.decode()
    assert client.get(f"/konti/{s.fa.konto_id}/dokumenter/").status_code == 200
    borgerside = client.get(f"/borgere/{s.anna.pk}/").content.decode()
    assert f'href="/borgere/{s.anna.pk}/dokumenter/"' in borgerside
    assert client.get(f"/borgere/{s.anna.pk}/dokumenter/").status_code == 200

    svar = client.post(
        f"/konti/{s.fa.konto_id}/dokumenter/", {"fra": "01-01-2025", "til": "31-03-2025"}
    )
    dokument = Dokument.objects.get(konto_id=s.fa.konto_id)
    assert svar.status_code == 302 and svar["Location"] == f"/dokumenter/{dokument.pk}/"
    assert dokument.status == DokumentStatus.FAERDIG
    assert dokument.oprettet_af == bent
    dokumentside = client.get(f"/dokumenter/{dokument.pk}/").content.decode()
    assert dokument.sha256 in dokumentside

    pdf = client.get(f"/dokumenter/{dokument.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Periode 01-01-2025" in pdf_tekst(b"".join(pdf))
    assert Opslag.objects.filter(
        bruger=bent, objekt_id=str(s.anna.pk), formaal__startswith="Dokument hentet"
    ).exists()


def test_a_wrong_date_gets_a_danish_error_and_orders_nothing(bent):
    s, _o = ompostering_til_advokat(bent)
    svar = logget_ind(bent).post(f"/konti/{s.fa.konto_id}/dokumenter/", {"fra": "2025-01-01"})
    assert svar.status_code == 200
    assert "Skriv datoen som dd-mm-åååå." in svar.content.decode()
    assert not Dokument.objects.filter(konto_id=s.fa.konto_id).exists()


def test_the_ompostering_page_lists_its_letters(bent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _s, ompostering = ompostering_til_advokat(bent)
    side = logget_ind(bent).get(f"/omposteringer/{ompostering.pk}/").content.decode()
    for brev in Dokument.objects.filter(ompostering=ompostering):
        assert f'href="/dokumenter/{brev.pk}/pdf/"' in side


def test_another_kommunes_documents_are_not_found_on_screen_or_api(bent, olga):
    s, _o = ompostering_til_advokat(bent)
    logget_ind(bent).post(f"/borgere/{s.anna.pk}/dokumenter/", {})
    dokument = Dokument.objects.get(borger=s.anna)
    odense = logget_ind(olga)
    for url in (
        f"/dokumenter/{dokument.pk}/",
        f"/dokumenter/{dokument.pk}/pdf/",
        f"/borgere/{s.anna.pk}/dokumenter/",
        f"/konti/{s.fa.konto_id}/dokumenter/",
    ):
        assert odense.get(url).status_code == 404, url
    api = api_som(olga)
    assert api.get(f"/api/v1/dokumenter/{dokument.pk}/pdf/").status_code == 404
    liste = api.get("/api/v1/dokumenter/").json()
    assert (liste["results"] if isinstance(liste, dict) else liste) == []
    svar = api.post(
        f"/api/v1/debitorkonti/{s.fa.konto_id}/kontoudtog/",
        {},
        format="json",
        HTTP_IDEMPOTENCY_KEY="udtog-odense",
    )
    assert svar.status_code == 404
    assert not Opslag.objects.filter(bruger=olga).exists()


def test_the_api_orders_a_kontoudtog_once_per_key_and_serves_its_pdf(bent, birgit):
    s, _o = ompostering_til_advokat(bent)
    api = api_som(bent)
    url = f"/api/v1/debitorkonti/{s.fb.konto_id}/kontoudtog/"
    foerste = api.post(url, {"til": "2025-03-10"}, format="json", HTTP_IDEMPOTENCY_KEY="u-1")
    anden = api.post(url, {"til": "2025-03-10"}, format="json", HTTP_IDEMPOTENCY_KEY="u-1")
    assert foerste.status_code == 201, foerste.content
    assert foerste.json() == anden.json()
    assert Dokument.objects.filter(konto_id=s.fb.konto_id).count() == 1
    data = foerste.json()
    assert data["status"] == "FAERDIG" and data["procent"] == 100

    pdf = api.get(f"/api/v1/dokumenter/{data['id']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Ompostering" in pdf_tekst(b"".join(pdf))

    # Send igen: the Bogholder's, with its own key.
    gensend = api_som(birgit).post(
        f"/api/v1/dokumenter/{data['id']}/send-igen/",
        {"begrundelse": "Borgeren bad om det"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="g-1",
    )
    assert gensend.status_code == 200, gensend.content
    assert UdgaaendeBesked.objects.filter(
        noegle=f"digitalpost:dokument:{data['id']}:gensendt:1"
    ).exists()
