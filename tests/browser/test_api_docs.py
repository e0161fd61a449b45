"""Swagger UI at /api/docs/ in real Chromium: its assets come from our own server (no CDN),
it lists every endpoint, and a logged-in caseworker can call the API from it."""

from __future__ import annotations

import pytest

from .conftest import ADGANGSKODE, SKAERMBILLEDER
from .test_grundskærme import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_swagger_ui_lists_the_api_and_calls_it_with_the_session(
    sara, karens_konto, live_server, side
):
    eksterne: list[str] = []
    side.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else eksterne.append(r.url),
    )
    log_paa(side, "sara", ADGANGSKODE)
    side.wait_for_url("**/")

    side.goto("/api/docs/")
    side.locator(".opblock-summary").first.wait_for()
    assert side.locator(".opblock-summary").count() >= 20

    blok = side.locator(".opblock", has=side.locator('[data-path="/api/v1/debitorkonti/"]'))
    blok.locator(".opblock-summary").click()
    blok.get_by_role("button", name="Try it out").click()
    blok.get_by_role("button", name="Execute").click()
    svar = blok.locator(".live-responses-table .response-col_description pre").first
    svar.wait_for()
    assert "K-4711" in svar.inner_text()
    SKAERMBILLEDER.mkdir(parents=True, exist_ok=True)
    side.screenshot(path=str(SKAERMBILLEDER / "api-docs.png"))
    assert not eksterne, f"Swagger UI hentede fra andre servere: {eksterne}"
