"""Drift starts a linking run in the admin and watches it to the end, in real Chromium.

Two runs, two honest set-ups:

* Embedded (the default settings): Celery runs eagerly, so the run is done within the start
  request; the page that follows shows it finished, and the decisions and their evidence are
  read from there.
* As in production: Celery has a broker, and the start request only queues the run. Here the
  queue has no worker; the test does the workers' part itself, chunk by chunk, through the
  same services the Celery tasks call, while the open page follows the run by polling. The
  page is never reloaded: a marker set on ``window`` survives to the end.

Data fixtures come before ``side`` in each signature: they must exist before the browser starts.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from ky_debitor.celery import app as celery_app
from sagstilknytning import services
from sagstilknytning.models import KoerselStatus, Sagstilknytningskoersel

from .. import personas
from ..factories import (
    BevillingFactory,
    BorgerFactory,
    FordringFactory,
    kommune,
)
from .conftest import ADGANGSKODE, AXE, SKAERMBILLEDER

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KOERSLER = "/admin/sagstilknytning/sagstilknytningskoersel/"


@pytest.fixture
def dagmar(transactional_db: None) -> Any:
    return personas.dagmar()


@pytest.fixture
def konti(transactional_db: None) -> None:
    """Eight KMD Aktiv konti in København: six name their borger's bevilling, one fits two
    bevillinger, and one belongs to a borger without any."""
    for i in range(6):
        borger = BorgerFactory.create(kommune=kommune(101))
        BevillingFactory.create(borger=borger, bevillingsnummer=f"BEV-{i}")
        FordringFactory.create(konto__borger=borger, kmd_aktiv_reference=f"BEV-{i}")
    flere = BorgerFactory.create(kommune=kommune(101))
    BevillingFactory.create(borger=flere, bevillingsnummer="BEV-A")
    BevillingFactory.create(borger=flere, bevillingsnummer="BEV-B")
    FordringFactory.create(konto__borger=flere, fordringsid="F-FLERE")
    FordringFactory.create(konto__borger=BorgerFactory.create(kommune=kommune(101)))


@pytest.fixture
def med_broker() -> Any:
    """Celery as in production: a task is queued, not run in the request. The embedded
    settings' in-memory broker has no worker, so nothing takes it off the queue."""
    foer = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = foer


def tjek_side(page: Any, navn: str, *, uden: tuple[str, ...] = ()) -> None:
    """Photograph the page at 1366x768 (and in full) and fail on serious axe violations in
    the page's content (``#content-main``), less the ``uden`` selectors.

    Django's own admin chrome (header, breadcrumbs) is left out: its breadcrumb links are
    told apart from the text by colour only, which we cannot restyle from here.
    """
    page.wait_for_load_state("networkidle")
    SKAERMBILLEDER.mkdir(parents=True, exist_ok=True)
    filnavn = re.sub(r"[^a-z0-9-]+", "-", navn.lower())
    page.screenshot(path=str(SKAERMBILLEDER / f"{filnavn}.png"))
    page.screenshot(path=str(SKAERMBILLEDER / f"{filnavn}-hel.png"), full_page=True)

    page.add_script_tag(path=str(AXE))
    kontekst = {"include": [["#content-main"]], "exclude": [[u] for u in uden]}
    resultat = page.evaluate(
        "async (k) => await axe.run(k, {resultTypes: ['violations']})", kontekst
    )
    alvorlige = [v for v in resultat["violations"] if v["impact"] in ("serious", "critical")]
    for brud in alvorlige:
        print(f"[axe] {navn}: {brud['impact']} {brud['id']}: {brud['help']}")
        for node in brud["nodes"]:
            print(f"        {node['target']}: {node['failureSummary']}")
    assert not alvorlige, f"{navn}: {len(alvorlige)} alvorlige tilgængelighedsfejl (se ovenfor)"


def admin_log_paa(side: Any, brugernavn: str) -> None:
    side.goto("/admin/login/?next=/admin/")
    side.get_by_label("Brugernavn").fill(brugernavn)
    side.get_by_label("Adgangskode").fill(ADGANGSKODE)
    side.get_by_role("button", name="Log ind").click()
    side.wait_for_url("**/admin/")


def start_koersel(side: Any, navn: str) -> None:
    side.goto(KOERSLER)
    side.get_by_role("link", name="Start sagstilknytning").click()
    side.wait_for_url("**/start/")
    expect(side.get_by_label("Kommune")).to_have_value(str(kommune(101).pk))
    tjek_side(side, navn)
    side.get_by_role("button", name="Start sagstilknytning").click()
    side.wait_for_url("**/change/")


def test_drift_starts_a_run_and_reads_the_decisions_with_their_evidence(dagmar, konti, side):
    admin_log_paa(side, "dagmar")
    side.goto(KOERSLER)
    tjek_side(side, "20-admin-koersler-tom")

    start_koersel(side, "21-admin-start-sagstilknytning")

    # Embedded: the run finished within the start request.
    expect(side.locator("#koersel-status")).to_have_text("Færdig")
    expect(side.locator("#koersel-procent")).to_have_text("100 %")
    expect(side.locator("#koersel-behandlet")).to_have_text("8")
    assert side.locator("#koersel-fremdrift").get_attribute("hx-trigger") is None
    assert "Sagstilknytning for København er startet." in side.locator(".messagelist").inner_text()
    tjek_side(side, "22-admin-koersel-faerdig")

    side.locator("#koersel-udfald-opgave").click()
    side.wait_for_url("**/kontobeslutning/?*resultat=OPGAVE*")
    raekker = side.locator("#result_list tbody tr")
    expect(raekker).to_have_count(2)
    tjek_side(side, "23-admin-kontobeslutninger-opgave")

    side.get_by_role("link", name="Årsag").first.wait_for()
    side.locator("#changelist-filter").get_by_role("link", name="Flere bevillinger").click()
    expect(raekker).to_have_count(1)
    raekker.first.get_by_role("link", name="Opgave oprettet").click()
    side.wait_for_url("**/kontobeslutning/*/change/**")
    evidens = side.locator(".field-evidens_vist")
    expect(evidens).to_contain_text("BEV-A: afvist")
    expect(evidens).to_contain_text("BEV-B: afvist")
    tjek_side(side, "24-admin-kontobeslutning-evidens")

    side.goto("/admin/opgavepakker/opgavepakke/")
    pakke = side.locator("#result_list tbody tr").filter(
        has_text="Flere bevillinger eller sager passer - uden dækninger"
    )
    expect(pakke.locator("td.field-aabne")).to_have_text("1")
    tjek_side(side, "28-admin-opgavepakker")
    pakke.locator("td.field-aabne a").click()
    side.wait_for_url("**/opgave/?*pakke=*")
    expect(raekker).to_have_count(1)
    # Django's own search form labels its field with an icon only (axe: label-title-only).
    tjek_side(side, "29-admin-opgaver-i-pakke", uden=("#changelist-search",))
    raekker.first.locator("th a").click()
    side.wait_for_url("**/opgave/*/change/**")
    expect(side.locator(".field-evidens_vist")).to_contain_text("BEV-A: afvist")
    tjek_side(side, "30-admin-opgave-evidens")

    side.goto(KOERSLER)
    expect(raekker).to_have_count(1)
    expect(raekker.first.locator("td.field-fremdrift")).to_have_text("8 af 8 (100 %)")
    tjek_side(side, "31-admin-koersler")


def test_the_progress_bar_follows_the_workers_to_the_end_without_reloading(
    dagmar, konti, med_broker, monkeypatch, side
):
    # Chunks of two konti: the eight konti make four steps the page can show.
    monkeypatch.setattr(services.koersel_start, "__kwdefaults__", {"chunk_stoerrelse": 2})
    admin_log_paa(side, "dagmar")
    start_koersel(side, "25-admin-start-med-broker")

    koersel = Sagstilknytningskoersel.objects.get()
    assert koersel.status == KoerselStatus.PENDING  # queued, not run in the request
    expect(side.locator("#koersel-status")).to_have_text("Venter")
    expect(side.locator("#koersel-procent")).to_have_text("0 %")

    side.evaluate("window.kyMarkoer = 'samme side'")
    navigeringer: list[str] = []
    side.on("framenavigated", lambda frame: navigeringer.append(frame.url))
    foresp: list[str] = []
    side.on("request", lambda r: foresp.append(r.url) if "/fremdrift/" in r.url else None)

    def mellem_to_opslag(arbejde: Any) -> None:
        # Write right after a poll has been answered: the next one comes a second later.
        with side.expect_response(lambda r: "/fremdrift/" in r.url):
            pass
        arbejde()

    mellem_to_opslag(lambda: services.koersel_markér_koerer(koersel.pk))
    expect(side.locator("#koersel-status")).to_have_text("Kører")
    for nummer, procent in enumerate(["25 %", "50 %", "75 %", "100 %"]):
        mellem_to_opslag(lambda n=nummer: services.chunk_behandl(koersel_id=koersel.pk, nummer=n))
        expect(side.locator("#koersel-procent")).to_have_text(procent)
        expect(side.locator("#koersel-fremdrift-bjaelke")).to_have_attribute(
            "value", procent.removesuffix(" %")
        )
        if procent == "50 %":
            expect(side.locator("#koersel-dele")).to_have_text("2 af 4")
            expect(side.locator("#koersel-hastighed")).to_contain_text("konti/s")
            expect(side.locator("#koersel-annuller")).to_be_visible()
            tjek_side(side, "26-admin-koersel-undervejs")
    expect(side.locator("#koersel-status")).to_have_text("Kører")

    mellem_to_opslag(lambda: services.koersel_afslut(koersel_id=koersel.pk))
    expect(side.locator("#koersel-status")).to_have_text("Færdig")
    expect(side.locator("#koersel-behandlet")).to_have_text("8")
    expect(side.locator("#koersel-annuller")).to_have_count(0)

    assert side.evaluate("window.kyMarkoer") == "samme side"
    assert navigeringer == []
    assert len(foresp) >= 6
    # A finished run renders no trigger: the polling has stopped.
    assert side.locator("#koersel-fremdrift").get_attribute("hx-trigger") is None
    efter = len(foresp)
    side.wait_for_timeout(2500)
    assert len(foresp) == efter
    tjek_side(side, "27-admin-koersel-faerdig-uden-genindlaesning")
