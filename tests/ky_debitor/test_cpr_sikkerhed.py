"""CPR numbers never in URLs, logs or error pages.

* every log record is masked by the console handler's filter;
* the error pages (400, 403, 404, 500, CSRF) show no request data;
* every form on the screens that sends its fields in the URL (GET) cannot search by CPR, and
  no link on a page carries a CPR number.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from fordringer.models import Debitorkonto
from ky_debitor.logmaskering import CprMaskering

from ..factories import BorgerFactory, DebitorkontoFactory, FordringFactory, kommune
from ..screens.html import side

CPR = "1505824321"
CPR_STREG = "150582-4321"


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def loglinjer() -> Iterator[io.StringIO]:
    """What the app's configured console handler writes (settings.LOGGING), as text."""
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, CprMaskering) for f in h.filters)
    ]
    assert isinstance(handler, logging.StreamHandler)
    strøm = io.StringIO()
    foer = handler.setStream(strøm)
    try:
        yield strøm
    finally:
        handler.setStream(foer)


@pytest.mark.parametrize("cpr", [CPR, CPR_STREG])
def test_a_cpr_logged_by_any_logger_is_masked(loglinjer, cpr):
    logging.getLogger("fordringer.import").warning("Ukendt borger %s i række 7", cpr)
    logging.getLogger("celery.task").info(f"Borger {cpr} tilknyttet")
    tekst = loglinjer.getvalue()
    assert "150582" not in tekst and "4321" not in tekst
    assert "Ukendt borger XXXXXX-XXXX i række 7" in tekst
    assert "Borger XXXXXX-XXXX tilknyttet" in tekst


def test_a_cpr_in_a_logged_traceback_is_masked(loglinjer):
    try:
        raise ValueError(f"Ugyldig borger {CPR}")
    except ValueError:
        logging.getLogger("sagstilknytning").exception("Kørslen fejlede")
    tekst = loglinjer.getvalue()
    assert "Traceback" in tekst and "ValueError: Ugyldig borger XXXXXX-XXXX" in tekst
    assert CPR not in tekst


def test_other_numbers_are_left_alone(loglinjer):
    logging.getLogger("rapporter").info("Konto K-4711: 12345678901 og 123456789 rækker")
    assert "Konto K-4711: 12345678901 og 123456789 rækker" in loglinjer.getvalue()


def test_a_404_with_a_cpr_in_the_url_shows_and_logs_no_cpr(loglinjer, alice_client):
    response = alice_client.get(f"/borgere/{CPR}/?cpr={CPR_STREG}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Siden findes ikke" in html and '<html lang="da">' in html
    assert CPR not in html and CPR_STREG not in html and "/borgere/" not in html
    tekst = loglinjer.getvalue()
    assert "Not Found" in tekst and CPR not in tekst


@pytest.mark.urls("tests.ky_debitor.fejl_urls")
def test_the_500_page_shows_no_request_data_and_the_log_no_cpr(loglinjer, alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.post("/fejler/", {"cpr": CPR_STREG})
    assert response.status_code == 500
    html = response.content.decode()
    assert "Der opstod en fejl" in html
    assert CPR_STREG not in html and "fejler" not in html and "ValueError" not in html
    tekst = loglinjer.getvalue()
    assert "Internal Server Error: /fejler/" in tekst
    assert "Uventet data for CPR XXXXXX-XXXX" in tekst and CPR_STREG not in tekst


def test_the_403_page_is_danish_and_plain(client, bent):
    client.force_login(bent)  # a Bogholder has no Dataudtræk
    response = client.get(reverse("dataudtraek") + f"?q={CPR}")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Du har ikke adgang til siden" in html
    assert CPR not in html and "bent" not in html and "Projektleder" not in html


def test_the_csrf_page_is_danish_and_shows_nothing_posted(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("borger_soeg"), {"q": CPR})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formularen kunne ikke sendes" in html
    assert CPR not in html and "CSRF" not in html


def test_the_400_page_shows_no_request_data(client, db):
    response = client.get(f"/?cpr={CPR}", HTTP_HOST="ondsindet.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Forespørgslen kunne ikke behandles" in html
    assert "ondsindet" not in html and CPR not in html


# --- Forms and links --------------------------------------------------------------------------


@pytest.fixture
def karen(db) -> Any:
    """Karen Jensen (150582-4321) with a KMD Aktiv konto."""
    borger = BorgerFactory.create(kommune=kommune(101), cpr=CPR, navn="Karen Jensen")
    konto = DebitorkontoFactory.create(borger=borger, kontonummer="K-4711")
    FordringFactory.create(konto=konto, fordringsid="F-1")
    return borger


def skaerme(karen: Any) -> list[str]:
    """The caseworkers' screens, each reachable by Alice (Sagsbehandler) or Pia (Projektleder)."""
    konto = Debitorkonto.objects.get(borger=karen)
    return [
        reverse("start"),
        reverse("borger_soeg"),
        reverse("borger", args=[karen.pk]),
        reverse("debitorkonto", args=[konto.pk]),
        reverse("mine_opgaver"),
        reverse("opgave_liste"),
        reverse("manglende_ydelsestype"),
        reverse("dataudtraek"),
        reverse("mine_udtraek"),
    ]


def test_no_form_of_the_screens_searches_by_cpr_in_the_url(karen, alice, pia):
    """Each GET form is submitted with Karen's CPR in every text field: none may find her.
    The borger search must be a POST, and it must find her."""
    get_formularer = 0
    for bruger in (alice, pia):
        client = Client()
        client.force_login(bruger)
        for url in skaerme(karen):
            response = client.get(url)
            if response.status_code != 200:
                continue
            for form in side(response).xpath("//form"):
                metode = (form.get("method") or "get").lower()
                felter = form.xpath(".//input[@type='search' or @type='text' or not(@type)]")
                if metode == "post" or not felter:
                    continue
                get_formularer += 1
                data = {f.get("name"): CPR for f in felter if f.get("name")}
                svar = client.get(f"{form.get('action') or url}?{urlencode(data)}")
                assert "Karen Jensen" not in svar.content.decode(), (url, data)
    assert get_formularer > 0  # the task list's filters are GET forms

    client = Client()
    client.force_login(alice)
    (soeg,) = side(client.get(reverse("borger_soeg"))).xpath("//form[@role='search']")
    assert soeg.get("method") == "post" and soeg.get("hx-post") == reverse("borger_soeg")
    assert "Karen Jensen" in client.post(reverse("borger_soeg"), {"q": CPR}).content.decode()
    assert "Karen Jensen" not in client.get(reverse("borger_soeg") + f"?q={CPR}").content.decode()


def test_no_link_or_form_action_on_the_screens_carries_a_cpr(karen, alice):
    client = Client()
    client.force_login(alice)
    soegning = client.post(reverse("borger_soeg"), {"q": CPR}).content.decode()
    assert "Karen Jensen" in soegning
    sider = [client.get(url) for url in skaerme(karen)]
    for html in [side(r) for r in sider if r.status_code == 200] + [lxml_html.fromstring(soegning)]:
        for adresse in html.xpath("//a/@href | //form/@action | //*/@hx-get | //*/@hx-post"):
            assert CPR not in adresse.replace("-", ""), adresse
