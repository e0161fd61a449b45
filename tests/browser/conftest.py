"""Browser tests: the system Chromium driven by Playwright against pytest-django's live server.

They are skipped where ``/usr/bin/chromium`` is missing, except in CI (``CI`` set), where a
missing browser is an error. Every page visited is checked with axe-core and photographed at
1366x768 into ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import ViewportSize, sync_playwright

from fordringer.choices import PosteringArt
from fordringer.ledger.services import postering_bogfoer
from ky_debitor.models import Kommune
from opgavepakker.taellingskontrol import genopbyg

from .. import personas
from ..factories import (
    BorgerFactory,
    DebitorkontoFactory,
    FordringFactory,
    kommune,
)

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# test's own database calls as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SKAERMBILLEDER = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
ADGANGSKODE = "Hemmeligt-kodeord-1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} findes ikke (browsertest)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


class Fejlsamler:
    """Console errors and uncaught exceptions of a page: a broken asset or script fails."""

    def __init__(self) -> None:
        self.fejl: list[str] = []

    def konsol(self, besked: Any) -> None:
        # A failed asset is reported by ``svar`` with its URL; skip the console's echo of it.
        if besked.type == "error" and not besked.text.startswith("Failed to load resource"):
            self.fejl.append(f"console: {besked.text}")

    def svar(self, svar: Any) -> None:
        if svar.status >= 400 and svar.request.resource_type != "document":
            self.fejl.append(f"HTTP {svar.status}: {svar.url}")

    def undtagelse(self, fejl: Any) -> None:
        self.fejl.append(f"pageerror: {fejl}")


@pytest.fixture
def side(live_server: Any, transactional_db: None) -> Iterator[Any]:
    """A Chromium page at 1366x768 against the live server.

    While Playwright's sync API runs, this thread sees an event loop and, through it, other
    Django connection objects than the test's own. So the browser starts only here: a test
    asks for its data fixtures *before* ``side``, and the connections opened while the
    browser ran are closed before it stops (or PostgreSQL could not drop the test database).
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} mangler, men CI er sat: browsertestene skal kunne køre i CI.")
    # On SQLite the test database is emptied between transactional tests by deleting row by
    # row, which fires the overview figures' row triggers (ky_debitor.taellinger) for rows
    # that were never this test's; count the figures anew from the tables this test starts
    # with, as operations would after such a repair (manage.py taellinger --genopbyg).
    for k in Kommune.objects.all():
        genopbyg(k)
    samler = Fejlsamler()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        # bypass_csp lets axe be injected even once the app sends a strict CSP.
        context = browser.new_context(
            viewport=VIEWPORT, locale="da-DK", base_url=live_server.url, bypass_csp=True
        )
        page = context.new_page()
        page.on("console", samler.konsol)
        page.on("pageerror", samler.undtagelse)
        page.on("response", samler.svar)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            connections.close_all()
    assert not samler.fejl, "\n".join(samler.fejl)


def tjek_side(page: Any, navn: str) -> None:
    """Photograph the page at 1366x768 (and in full) and fail on serious axe violations."""
    page.wait_for_load_state("networkidle")
    SKAERMBILLEDER.mkdir(parents=True, exist_ok=True)
    filnavn = re.sub(r"[^a-z0-9-]+", "-", navn.lower())
    page.screenshot(path=str(SKAERMBILLEDER / f"{filnavn}.png"))
    page.screenshot(path=str(SKAERMBILLEDER / f"{filnavn}-hel.png"), full_page=True)

    page.add_script_tag(path=str(AXE))
    resultat = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    alvorlige = [v for v in resultat["violations"] if v["impact"] in ("serious", "critical")]
    for brud in alvorlige:
        print(f"[axe] {navn}: {brud['impact']} {brud['id']}: {brud['help']}")
        for node in brud["nodes"]:
            print(f"        {node['target']}: {node['failureSummary']}")
    assert not alvorlige, f"{navn}: {len(alvorlige)} alvorlige tilgængelighedsfejl (se ovenfor)"


@pytest.fixture
def sara(transactional_db: None) -> Any:
    """Sara, created in the live server's database."""
    return personas.sara()


@pytest.fixture
def karens_konto(transactional_db: None, sara: Any) -> Any:
    """Karen Jensen (150582-4321) with a KMD Aktiv konto of two claims and a parked dækning."""
    karen = BorgerFactory.create(kommune=kommune(101), cpr="1505824321", navn="Karen Jensen")
    konto = DebitorkontoFactory.create(borger=karen, kontonummer="K-4711")
    foerste = FordringFactory.create(
        konto=konto,
        fordringsid="F-1",
        tekst="Tilbagebetaling af kontanthjælp januar",
        hovedstol=Decimal("1000.00"),
        forfaldsdato=dt.date(2024, 3, 1),
    )
    FordringFactory.create(
        konto=konto,
        fordringsid="F-2",
        tekst="Tilbagebetaling af kontanthjælp februar",
        hovedstol=Decimal("500.00"),
        forfaldsdato=dt.date(2024, 4, 1),
    )
    postering_bogfoer(
        fordring=foerste,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("250.50"),
        valoerdato=dt.date(2025, 3, 1),
        user=sara,
        tekst="Indbetaling",
        begrundelse="Borgeren har betalt",
    )
    return konto
