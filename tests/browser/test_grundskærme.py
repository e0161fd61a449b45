"""A Sagsbehandler logs in, finds a borger by CPR, opens the konto and reads the kontoudtog.

Real Chromium; every page is checked with axe-core and photographed (see conftest). Data
fixtures come before ``side`` in each signature: they must exist before the browser starts.
"""

from __future__ import annotations

import pytest

from .conftest import ADGANGSKODE, tjek_side

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_paa(side, brugernavn: str, adgangskode: str) -> None:
    side.goto("/log-paa/")
    side.get_by_label("Brugernavn").fill(brugernavn)
    side.get_by_label("Adgangskode").fill(adgangskode)
    side.get_by_role("button", name="Log på").click()


def test_sagsbehandler_finds_borger_by_cpr_and_reads_the_kontoudtog(sara, karens_konto, side):
    side.goto("/log-paa/")
    tjek_side(side, "01-log-paa")

    log_paa(side, "sara", ADGANGSKODE)
    side.wait_for_url("**/")
    assert side.get_by_role("heading", level=1).inner_text() == "København Kommune"
    assert side.locator("#tal-konti").inner_text() == "1"
    assert side.locator("#tal-parkeret").inner_text() == "250,50 kr."
    tjek_side(side, "02-forside")

    side.get_by_label("CPR-nummer eller navn").fill("150582-4321")
    side.get_by_role("button", name="Søg").click()
    resultat = side.locator("#soegeresultat table")
    resultat.wait_for()
    assert "150582-****" in resultat.inner_text()
    assert "4321" not in resultat.inner_text()
    # htmx posted the search: the page did not move, and the CPR is in no URL.
    assert "1505824321" not in side.url and "150582-4321" not in side.url
    tjek_side(side, "03-forside-soegeresultat")

    side.get_by_role("link", name="Karen Jensen").click()
    side.wait_for_url("**/borgere/*/")
    assert side.locator("#borger-cpr").inner_text() == "150582-4321"
    tjek_side(side, "04-borger")

    side.get_by_role("link", name="K-4711").click()
    side.wait_for_url("**/konti/*/")
    saldo = side.locator("#konto-kontoudtog tbody tr td:nth-child(6)").all_inner_texts()
    assert saldo == ["1.000,00", "1.500,00", "1.249,50"]
    assert side.locator("#total-restance").inner_text() == "1.249,50"
    tjek_side(side, "05-debitorkonto")


def test_wrong_password_is_refused_in_danish(sara, side):
    log_paa(side, "sara", "forkert")
    fejl = side.locator(".alert-error")
    fejl.wait_for()
    assert "Forkert brugernavn eller adgangskode" in fejl.inner_text()
    tjek_side(side, "06-log-paa-fejl")


def test_search_page_works_and_keeps_the_cpr_out_of_the_url(sara, karens_konto, side):
    log_paa(side, "sara", ADGANGSKODE)
    side.wait_for_url("**/")
    side.goto("/borgere/soeg/")
    side.get_by_label("CPR-nummer eller navn").fill("Karen")
    side.get_by_role("button", name="Søg").click()
    side.locator("#soegeresultat table").wait_for()
    assert side.url.endswith("/borgere/soeg/")
    tjek_side(side, "07-find-borger")
