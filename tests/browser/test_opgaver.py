"""A Sagsbehandler works through "Opret fordringssag" tasks in real Chromium.

With the mouse, with the keyboard alone, and against a colleague who finishes the same task
first. Every page is checked with axe-core and photographed (see conftest); the scripted
caseworker's actions per task are counted and the median wall time per task is printed.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal
from typing import Any

import pytest

from fordringer.choices import PosteringArt, Tilknytning
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Debitorkonto, EIndkomstLinje, Parkering
from opgavepakker.models import Opgave
from opgavepakker.workflow import OpgaveStatus

from .. import personas
from ..factories import BevillingFactory, BorgerFactory, FordringFactory, kommune
from ..sagstilknytning.conftest import koer
from .conftest import ADGANGSKODE, VIEWPORT, tjek_side

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAKS_HANDLINGER = 6
PAKKE = "Flere bevillinger eller sager passer - med dækninger"


def log_paa(side: Any, brugernavn: str) -> None:
    side.goto("/log-paa/")
    side.get_by_label("Brugernavn").fill(brugernavn)
    side.get_by_label("Adgangskode").fill(ADGANGSKODE)
    side.get_by_role("button", name="Log på").click()
    side.wait_for_url(lambda url: "log-paa" not in url)


class Handlinger:
    """Counts what the scripted caseworker does for one task and times it."""

    def __init__(self) -> None:
        self.antal = 0
        self.start = time.perf_counter()

    def __call__(self, locator: Any, metode: str = "click", *args: Any) -> None:
        self.antal += 1
        getattr(locator, metode)(*args)

    def slut(self) -> float:
        assert self.antal <= MAKS_HANDLINGER, f"{self.antal} handlinger for én opgave"
        return time.perf_counter() - self.start


@pytest.fixture
def opgavekonti(transactional_db: None, sara: Any) -> list[Debitorkonto]:
    """Three konti whose borger has two fitting bevillinger (B-1xx and B-2xx) and a parked
    dækning each, and one konto without dækninger; a linking run makes their tasks."""
    konti = []
    for i in range(1, 4):
        borger = BorgerFactory.create(
            kommune=kommune(101), cpr=f"15058{i}4321", navn=f"Borger nummer {i}"
        )
        BevillingFactory.create(borger=borger, bevillingsnummer=f"B-10{i}")
        BevillingFactory.create(borger=borger, bevillingsnummer=f"B-20{i}")
        fordring = FordringFactory.create(
            konto__borger=borger, konto__kontonummer=f"K-500{i}", fordringsid=f"F-{i}"
        )
        postering_bogfoer(
            fordring=fordring,
            art=PosteringArt.DAEKNING,
            beloeb=Decimal("250.50"),
            valoerdato=dt.date(2026, 3, 1),
            user=sara,
            tekst="Indbetaling",
        )
        konti.append(fordring.konto)
    uden = BorgerFactory.create(kommune=kommune(101), cpr="1605824321", navn="Uden Dækning")
    BevillingFactory.create(borger=uden, bevillingsnummer="B-900")
    BevillingFactory.create(borger=uden, bevillingsnummer="B-901")
    FordringFactory.create(konto__borger=uden, konto__kontonummer="K-5009")
    koer(kommune(101))
    return konti


@pytest.fixture
def carl(transactional_db: None) -> Any:
    return personas.carl()


@pytest.fixture
def pia(transactional_db: None) -> Any:
    return personas.pia()


def assert_tilknyttet(kontonummer: str, bevillingsnummer: str) -> None:
    konto = Debitorkonto.objects.select_related("bevilling", "sag").get(kontonummer=kontonummer)
    assert konto.tilknytning == Tilknytning.MANUEL
    assert konto.bevilling is not None and konto.bevilling.bevillingsnummer == bevillingsnummer
    assert konto.sag is not None
    fordring = konto.fordringer.get()
    assert fordring.kmd_aktiv_reference == bevillingsnummer
    assert fordring.ydelsestype is not None and fordring.ydelsestype.kode == "KONTANTHJAELP"
    assert not Parkering.objects.filter(konto=konto, frigivet__isnull=True).exists()
    assert EIndkomstLinje.objects.filter(postering__fordring=fordring).exists()
    assert not Opgave.objects.filter(konto=konto, status__in=["AABEN", "I_GANG"]).exists()


def test_sagsbehandler_works_the_most_urgent_package_with_the_mouse(sara, opgavekonti, side):
    log_paa(side, "sara")
    side.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Mine opgaver"
    ).click()
    side.wait_for_url("**/mine-opgaver/")
    assert side.locator("#frist-dato").inner_text().startswith("31-01-")
    assert PAKKE in side.locator("#mest-presserende").inner_text()
    tjek_side(side, "opgaver-01-mine-opgaver")

    tider = []
    # Task 1: open the package, take a task, choose B-2xx, confirm.
    h = Handlinger()
    h(side.locator("#pakke-tabel").get_by_role("link", name=PAKKE))
    side.wait_for_url("**/opgaver/?pakke=*")
    tjek_side(side, "opgaver-02-pakke")
    h(side.get_by_role("button", name="Tag opgave på K-5001"))
    side.wait_for_url("**/opgaver/*/")
    assert side.locator("#opgave-cpr").inner_text() == "150581-4321"
    assert "Mere end én bevilling" in side.locator("#opgave-aarsag").inner_text()
    tjek_side(side, "opgaver-03-opgave")
    # Two bevillinger fit equally: nothing is chosen for her, and the claim's own field stays
    # empty (no rule resolves it) until the chosen bevilling fills it on save.
    assert not side.locator('input[name="bevilling"]:checked').count()
    assert side.get_by_label("KMD Aktiv reference for F-1").input_value() == ""
    h(side.get_by_label("B-201", exact=False))
    h(side.get_by_role("button", name="Bekræft og afslut opgave"))
    side.wait_for_url("**/kvittering/")
    assert "B-201" in side.locator("#kvittering-bevilling").inner_text()
    tider.append(h.slut())
    tjek_side(side, "opgaver-04-kvittering")
    assert_tilknyttet("K-5001", "B-201")

    # Tasks 2 and 3: "Tag næste opgave" from the receipt, choose, confirm.
    for nummer in (2, 3):
        h = Handlinger()
        h(side.get_by_role("button", name="Tag næste opgave i pakken"))
        side.wait_for_url("**/opgaver/*/")
        h(side.get_by_label(f"B-10{nummer}", exact=False))
        h(side.get_by_role("button", name="Bekræft og afslut opgave"))
        side.wait_for_url("**/kvittering/")
        tider.append(h.slut())
        assert_tilknyttet(f"K-500{nummer}", f"B-10{nummer}")
    print(f"\n[tid] median pr. opgave (mus): {statistics.median(tider):.2f} s over {len(tider)}")


def test_sagsbehandler_completes_a_task_with_the_keyboard_alone(sara, opgavekonti, side):
    side.goto("/log-paa/")
    side.get_by_label("Brugernavn").focus()
    side.keyboard.type("sara")
    side.get_by_label("Adgangskode").focus()
    side.keyboard.type(ADGANGSKODE)
    side.keyboard.press("Enter")
    side.wait_for_url(lambda url: "log-paa" not in url)
    side.goto("/mine-opgaver/")  # N takes the next task of the most urgent package

    tider = []
    for nummer in (1, 2):
        h = Handlinger()
        h(side.keyboard, "press", "n")  # take the next task
        side.wait_for_url("**/opgaver/*/")
        h(side.keyboard, "press", "b")  # to the bevilling choice
        fokus = side.evaluate("document.activeElement.name")
        assert fokus == "bevilling"
        valgt = side.evaluate("document.activeElement.dataset.reference")
        h(side.keyboard, "press", "ArrowDown")  # the other candidate
        ny = side.evaluate("document.activeElement.dataset.reference")
        assert ny != valgt
        # Choosing a bevilling never rewrites a claim's field; the empty one gets it on save.
        assert side.get_by_label(f"KMD Aktiv reference for F-{nummer}").input_value() == ""
        if nummer == 1:
            tjek_side(side, "opgaver-05-opgave-tastatur")
        h(side.keyboard, "press", "Control+Enter")
        side.wait_for_url("**/kvittering/")
        tider.append(h.slut())
        assert_tilknyttet(f"K-500{nummer}", ny)
        # The receipt answers N as well: the loop goes on from here.
    print(f"\n[tid] median pr. opgave (tastatur): {statistics.median(tider):.2f} s")


def test_a_colleague_finishing_the_same_task_first_gives_a_clear_message(
    sara, carl, opgavekonti, live_server, side
):
    opgave = Opgave.objects.get(konto=opgavekonti[0], type="OPRET_FORDRINGSSAG")
    log_paa(side, "sara")
    side.goto(f"/opgaver/{opgave.pk}/")

    browser = side.context.browser
    kollega_kontekst = browser.new_context(
        viewport=VIEWPORT, locale="da-DK", base_url=live_server.url, bypass_csp=True
    )
    try:
        kollega = kollega_kontekst.new_page()
        log_paa(kollega, "carl")
        kollega.goto(f"/opgaver/{opgave.pk}/")
        # Both have the screen open; Carl confirms first, then Sara.
        kollega.get_by_label("B-201", exact=False).click()
        kollega.get_by_role("button", name="Bekræft og afslut opgave").click()
        kollega.wait_for_url("**/kvittering/")
    finally:
        kollega_kontekst.close()

    side.get_by_label("B-101", exact=False).click()
    side.get_by_role("button", name="Bekræft og afslut opgave").click()
    fejl = side.locator("#opgave-fejl")
    fejl.wait_for()
    assert "allerede afsluttet af Carl Kollega" in fejl.inner_text()
    tjek_side(side, "opgaver-06-konflikt")
    assert_tilknyttet("K-5001", "B-201")
    opgave.refresh_from_db()
    assert opgave.status == OpgaveStatus.AFSLUTTET and opgave.afsluttet_af == carl


def test_projektleder_sees_the_list_with_assignment_and_the_missing_ydelsestype_list(
    pia, sara, opgavekonti, side
):
    log_paa(side, "pia")
    side.goto("/opgaver/")
    side.get_by_label("Vælg opgave på K-5001").check()
    side.get_by_label("Tildel valgte opgaver til").select_option(label="Sara Sagsbehandler")
    side.get_by_role("button", name="Tildel").click()
    side.locator(".alert-success").wait_for()
    tjek_side(side, "opgaver-07-liste-projektleder")
    assert Opgave.objects.get(konto=opgavekonti[0], type="OPRET_FORDRINGSSAG").tildelt == sara
    side.get_by_text("Filtrér og sortér").click()
    side.get_by_label("Borgerens navn").fill("nummer 2")
    side.get_by_role("button", name="Filtrér", exact=True).click()
    side.wait_for_url("**navn=nummer*")
    assert side.locator("#opgave-tabel tbody tr").count() == 2  # the task and its waiting task
    side.get_by_text("Filtrér og sortér").click()
    tjek_side(side, "opgaver-09-filtre")
    side.goto("/opgaver/manglende-ydelsestype/")
    tjek_side(side, "opgaver-08-manglende-ydelsestype")
