"""The pages work under the strict Content-Security-Policy, in real Chromium, with the policy
enforced (no ``bypass_csp``): every console error, uncaught exception, failed asset and
``securitypolicyviolation`` event fails the test.

Each role visits its pages and uses what runs script: the htmx borger search, the task
screen's pre-filling (``opgave.js``), the export's and the linking run's htmx progress polls.
A last test lets a session expire under a polling page: the browser must land on the login
page, not render it inside the polled panel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import expect, sync_playwright

from fordringer.choices import PosteringArt
from fordringer.ledger.services import postering_bogfoer
from ky_debitor.celery import app as celery_app
from ky_debitor.roles import Rolle
from rapporter.models import Eksport, EksportStatus
from sagstilknytning.models import Sagstilknytningskoersel

from ..factories import (
    BevillingFactory,
    BorgerFactory,
    BrugerFactory,
    EksportFactory,
    FordringFactory,
    kommune,
)
from ..sagstilknytning.conftest import koer
from .conftest import ADGANGSKODE, CHROMIUM, CHROMIUM_ARGS, SKAERMBILLEDER, VIEWPORT, Fejlsamler

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Reports every CSP violation of the page to the test (an init script runs before the page's
# own scripts and is not subject to its policy).
CSP_LYTTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.kyCspBrud(e.effectiveDirective + " blokerede " + (e.blockedURI || "inline") +
                   " i " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def ny_side(live_server: Any, transactional_db: None) -> Iterator[Callable[[], Any]]:
    """Pages in fresh browser contexts (one per person), with the CSP enforced."""
    samler = Fejlsamler()
    politikker: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )

        def aaben() -> Any:
            context = browser.new_context(
                viewport=VIEWPORT, locale="da-DK", base_url=live_server.url
            )
            context.expose_function("kyCspBrud", lambda brud: samler.fejl.append(f"CSP: {brud}"))
            context.add_init_script(CSP_LYTTER)
            page = context.new_page()
            page.on("console", samler.konsol)
            page.on("pageerror", samler.undtagelse)
            page.on("response", samler.svar)
            page.on(
                "response",
                lambda r: (
                    politikker.append(r.headers.get("content-security-policy", ""))
                    if r.request.resource_type == "document"
                    else None
                ),
            )
            return page

        try:
            yield aaben
        finally:
            browser.close()
            from django.db import connections

            connections.close_all()
    assert not samler.fejl, "\n".join(samler.fejl)
    assert politikker and all("script-src 'self'" in p for p in politikker), politikker
    assert not any("unsafe-inline" in p for p in politikker)


def log_paa(side: Any, brugernavn: str, *, sti: str = "/log-paa/", knap: str = "Log på") -> None:
    side.goto(sti)
    side.get_by_label("Brugernavn").fill(brugernavn)
    side.get_by_label("Adgangskode").fill(ADGANGSKODE)
    side.get_by_role("button", name=knap).click()
    side.wait_for_load_state("networkidle")


def tjek_ok(side: Any, sti: str, overskrift: str | None = None) -> None:
    side.goto(sti)
    side.wait_for_load_state("networkidle")
    assert side.url.endswith(sti), (side.url, sti)
    if overskrift:
        expect(side.get_by_role("heading", level=1)).to_contain_text(overskrift)


@pytest.fixture
def personer(transactional_db: None) -> dict[str, Any]:
    def bruger(navn: str, rolle: Rolle, **ekstra: Any) -> Any:
        return BrugerFactory.create(username=navn, kommune=kommune(101), roller=[rolle], **ekstra)

    return {
        "sara": bruger("sara", Rolle.SAGSBEHANDLER),
        "pia": bruger("pia", Rolle.PROJEKTLEDER),
        "dagmar": bruger("dagmar", Rolle.DRIFT, is_staff=True),
    }


@pytest.fixture
def sagsdata(personer: dict[str, Any]) -> dict[str, Any]:
    """Karen (150582-4321) with a konto whose claim fits two bevillinger: a task."""
    karen = BorgerFactory.create(kommune=kommune(101), cpr="1505824321", navn="Karen Jensen")
    BevillingFactory.create(borger=karen, bevillingsnummer="B-101")
    BevillingFactory.create(borger=karen, bevillingsnummer="B-201")
    fordring = FordringFactory.create(
        konto__borger=karen, konto__kontonummer="K-4711", fordringsid="F-1"
    )
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("250.50"),
        valoerdato=dt.date(2026, 3, 1),
        user=personer["sara"],
        tekst="Indbetaling",
    )
    koer(kommune(101))
    return {"karen": karen, "konto": fordring.konto}


def test_the_caseworker_pages_work_under_the_policy(personer, sagsdata, ny_side):
    eksport = EksportFactory.create(bruger=personer["sara"])
    side = ny_side()
    log_paa(side, "sara")
    expect(side.get_by_role("heading", level=1)).to_have_text("København Kommune")

    # The htmx search posts and swaps in the result, its indicator styled from ky.css.
    side.get_by_label("CPR-nummer eller navn").fill("150582-4321")
    side.get_by_role("button", name="Søg").click()
    expect(side.locator("#soegeresultat table")).to_contain_text("Karen Jensen")
    assert side.locator("#soeg-indikator").is_hidden()

    tjek_ok(side, "/borgere/soeg/", "Find borger")
    side.get_by_label("CPR-nummer eller navn").fill("Karen")
    side.get_by_role("button", name="Søg").click()
    side.locator("#soegeresultat").get_by_role("link", name="Karen Jensen").click()
    side.wait_for_url("**/borgere/*/")
    side.get_by_role("link", name="K-4711").click()
    side.wait_for_url("**/konti/*/")
    expect(side.locator("#total-restance")).to_be_visible()

    tjek_ok(side, "/mine-opgaver/")
    tjek_ok(side, "/opgaver/")
    side.get_by_role("button", name="Tag opgave på K-4711").click()
    side.wait_for_url("**/opgaver/*/")
    # opgave.js selects the sag the run would choose with the bevilling; it never rewrites a
    # claim's own field.
    side.get_by_label("B-201", exact=False).check()
    expect(side.locator('input[name="sag"]:checked')).to_have_count(1)
    expect(side.get_by_label("KMD Aktiv reference for F-1")).to_have_value("")

    tjek_ok(side, "/dataudtraek/", "Dataudtræk")
    tjek_ok(side, "/dataudtraek/mine/")

    # The export's progress is polled by htmx and swapped in when it is done.
    side.goto(f"/dataudtraek/mine/{eksport.pk}/")
    with side.expect_response(lambda r: f"/dataudtraek/mine/{eksport.pk}/" in r.url):
        pass
    Eksport.objects.filter(pk=eksport.pk).update(skrevet=200, status=EksportStatus.FAERDIG)
    expect(side.locator("#eksport-klar")).to_contain_text("Udtrækket er klar")


def test_the_projektleder_pages_work_under_the_policy(personer, sagsdata, ny_side):
    side = ny_side()
    log_paa(side, "pia")
    tjek_ok(side, "/opgaver/")
    tjek_ok(side, "/opgaver/manglende-ydelsestype/")
    tjek_ok(side, "/dataudtraek/", "Dataudtræk")


@pytest.fixture
def med_broker() -> Iterator[None]:
    """A run is queued, not run in the request, so its page keeps polling."""
    foer = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = foer


def test_the_admin_and_the_run_progress_work_under_the_policy(
    personer, sagsdata, med_broker, ny_side
):
    side = ny_side()
    log_paa(side, "dagmar", sti="/admin/login/?next=/admin/", knap="Log ind")
    side.wait_for_url("**/admin/")
    tjek_ok(side, "/admin/ky_debitor/bruger/")
    expect(side.locator("#result_list")).to_contain_text("sara")
    tjek_ok(side, "/admin/ky_debitor/auditevent/")
    tjek_ok(side, "/admin/sagstilknytning/sagstilknytningskoersel/")

    side.get_by_role("link", name="Start sagstilknytning").click()
    side.wait_for_url("**/start/")
    side.get_by_role("button", name="Start sagstilknytning").click()
    side.wait_for_url("**/change/")
    koersel = Sagstilknytningskoersel.objects.latest("pk")
    for _ in range(2):  # htmx polls the progress panel and swaps it in
        with side.expect_response(lambda r: "/fremdrift/" in r.url and r.status == 200):
            pass
    expect(side.locator("#koersel-status")).to_have_text("Venter")
    side.get_by_role("button", name="Annullér kørslen").click()
    side.wait_for_load_state("networkidle")
    koersel.refresh_from_db()
    assert koersel.status != "PENDING"


def test_the_admin_forms_and_their_widgets_work_under_the_policy(personer, ny_side):
    """A platform operator edits a user: the two-list permission widgets, the date shortcuts
    and the unlock action all come from Django's static script files."""
    BrugerFactory.create(username="platform", is_superuser=True, is_staff=True)
    side = ny_side()
    log_paa(side, "platform", sti="/admin/login/?next=/admin/", knap="Log ind")
    side.wait_for_url("**/admin/")
    tjek_ok(side, f"/admin/ky_debitor/bruger/{personer['sara'].pk}/change/")
    # SelectFilter2.js builds the "available / chosen" boxes for groups and permissions.
    expect(side.locator("#id_groups_from")).to_be_visible()
    side.locator("#id_groups_from").select_option(label="Projektleder")
    side.locator("#id_groups_add").click()
    expect(side.locator("#id_groups_to")).to_contain_text("Projektleder")
    tjek_ok(side, "/admin/fordringer/fordring/add/")
    tjek_ok(side, "/admin/ky_debitor/bruger/")
    side.locator("#result_list input.action-select").first.check()  # actions.js
    expect(side.locator(".action-counter")).to_contain_text("1 af")


def test_an_expired_session_under_a_polling_page_goes_to_the_login_page(personer, ny_side):
    eksport = EksportFactory.create(bruger=personer["pia"])
    side = ny_side()
    log_paa(side, "pia")
    with override_settings(SESSION_COOKIE_AGE=3):
        side.goto(f"/dataudtraek/mine/{eksport.pk}/")  # the session now ends in 3 s
        expect(side.locator("#eksport-status")).to_be_visible()
        side.wait_for_url(lambda url: "/log-paa/?next=" in url, timeout=15_000)
    assert side.url.endswith(f"/log-paa/?next=/dataudtraek/mine/{eksport.pk}/")
    expect(side.get_by_role("heading", level=1)).to_have_text("Log på KY Debitor")
    expect(side.locator(".alert-info")).to_contain_text("Du er blevet logget af")
    assert side.locator("#eksport-status").count() == 0


def test_the_lock_out_and_error_pages_render_under_the_policy(personer, ny_side):
    side = ny_side()
    for _ in range(5):
        side.goto("/log-paa/")
        side.get_by_label("Brugernavn").fill("sara")
        side.get_by_label("Adgangskode").fill("forkert")
        side.get_by_role("button", name="Log på").click()
        side.wait_for_load_state("networkidle")
    log_paa(side, "sara")  # the right password, during the lock
    expect(side.locator("#login-spaerret")).to_contain_text("Kontoen er midlertidigt spærret")
    assert side.url.endswith("/log-paa/")
    fotografer(side, "sikkerhed-01-login-spaerret")

    side.goto("/findes-ikke/1505824321/")
    expect(side.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    assert "1505824321" not in side.locator("body").inner_text()
    fotografer(side, "sikkerhed-02-404")


def fotografer(side: Any, navn: str) -> None:
    SKAERMBILLEDER.mkdir(parents=True, exist_ok=True)
    side.screenshot(path=str(SKAERMBILLEDER / f"{navn}.png"))
