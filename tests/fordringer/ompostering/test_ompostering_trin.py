"""Each step of the Omposter fordeling wizard checks what it decides against the restance as
it stands now (seed 004 "Valideringsfejl"), shows every error at once beside its field, keeps
a running total, and offers "Nulstil felter" (seed 004 trin 3 and 5).

Anna's 500,00 kr. dækning is moved to Bo, who owes FB (2.026,04 kr. with interest), FS (a
0,32 kr. remainder) and FC (100,00 kr.); see ``ompostering_data``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fordringer.choices import PosteringArt, Renteregime
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Ompostering
from fordringer.ompostering.services import ompostering_opret
from tests.factories import FordringFactory, IndbetalingFactory
from tests.fordringer.ompostering.ompostering_data import opret, tilstand
from tests.screens.html import side

D = Decimal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _idag() -> Any:
    """The day ``ompostering_data`` booked interest to."""
    with time_machine.travel(dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def sag(bent: Any) -> Any:
    s: Any = opret(bent)
    s.fs = FordringFactory.create(
        konto=s.fb.konto,
        fordringsid="FS",
        hovedstol=D("0.32"),
        renteregime=Renteregime.INGEN,
        forfaldsdato=dt.date(2025, 2, 1),
    )
    s.fc = FordringFactory.create(
        konto=s.fb.konto,
        fordringsid="FC",
        hovedstol=D("100.00"),
        renteregime=Renteregime.INGEN,
        forfaldsdato=dt.date(2025, 2, 2),
    )
    return s


def til_trin_3(bent: Any, sag: Any) -> Client:
    """Logged in, Anna's dækning chosen for Bo and the rollback confirmed."""
    c = Client()
    c.force_login(bent)
    svar = c.post(
        reverse("ompostering_soeg", args=[sag.anna.pk]),
        {"handling": "vaelg", "daekning": [sag.daekning.pk], "anden_borger_cpr": "030380-1234"},
    )
    assert svar.status_code == 302
    assert c.post(reverse("ompostering_bekraeft")).status_code == 302
    return c


def felt_fejl(svar: Any, felt: str) -> str:
    return " ".join(side(svar).xpath(f"string(//*[@id='id_{felt}-error'])").split())


def fejlopsummering(svar: Any) -> list[str]:
    return [
        " ".join(li.text_content().split())
        for li in side(svar).xpath("//*[@id='ompostering-fejl']//li")
    ]


def sum_vaerdi(svar: Any, navn: str) -> str:
    return side(svar).xpath(f"string(//*[@id='sum-{navn}'])").strip()


def test_100_kr_on_a_0_32_kr_claim_is_refused_at_step_3_and_nothing_changes(bent, sag):
    c = til_trin_3(bent, sag)
    foer = tilstand()

    svar = c.post(
        reverse("ompostering_fordeling"),
        {"handling": "videre", f"fordring_{sag.fs.pk}": "100,00", "aarsag": sag.aarsag.pk},
    )

    assert svar.status_code == 200  # the step does not advance
    besked = (
        "Indtastet beløb til dækning (100,00 kr.) må ikke være større end restancen på "
        "fordring FS (0,32 kr.)."
    )
    assert felt_fejl(svar, f"fordring_{sag.fs.pk}") == f"Fejl: {besked}"
    assert fejlopsummering(svar) == [besked]
    assert side(svar).xpath(f"//a[@href='#id_fordring_{sag.fs.pk}']")
    # The summary step cannot be reached with it: it sends the person back.
    assert c.get(reverse("ompostering_godkend"))["Location"] == reverse("ompostering_fordeling")
    assert tilstand() == foer


def test_every_error_of_the_step_is_shown_at_once_beside_its_field(bent, sag):
    c = til_trin_3(bent, sag)

    svar = c.post(
        reverse("ompostering_fordeling"),
        {
            "handling": "videre",
            f"fordring_{sag.fb.pk}": "1.234,56",
            f"fordring_{sag.fs.pk}": "-5,00",
            f"fordring_{sag.fc.pk}": "mange penge",
            "udbetaling": "0,00",
            "kanal": "NEMKONTO",
        },
    )

    assert svar.status_code == 200
    assert felt_fejl(svar, f"fordring_{sag.fs.pk}") == (
        "Fejl: Beløbet til dækning af fordring FS skal være større end 0,00 kr."
    )
    assert "brug formatet 1.234,56" in felt_fejl(svar, f"fordring_{sag.fc.pk}")
    assert felt_fejl(svar, "udbetaling") == (
        "Fejl: Beløbet til udbetaling skal være større end 0,00 kr."
    )
    assert felt_fejl(svar, "aarsag") == "Fejl: Vælg en årsag til omposteringen."
    total = (
        "Det samlede beløb til dækning og udbetaling (1.234,56 kr.) må ikke være større end "
        "det samlede omposteringsbeløb (500,00 kr.)."
    )
    opsummering = fejlopsummering(svar)
    assert total in opsummering and len(opsummering) == 5
    # The total's error stands beside the running total, which reads the Danish amounts.
    assert total in side(svar).xpath("string(//*[@id='fordeling-fejl-1'])")
    assert sum_vaerdi(svar, "fordelt") == "1.229,56 kr."
    assert sum_vaerdi(svar, "for-meget").endswith(
        "Der er valgt 729,56 kr. mere end omposteringsbeløbet."
    )


def test_a_valid_allocation_goes_on_and_the_summary_adds_up(bent, sag):
    c = til_trin_3(bent, sag)
    svar = c.post(
        reverse("ompostering_fordeling"),
        {
            "handling": "videre",
            f"fordring_{sag.fs.pk}": "0,32",
            f"fordring_{sag.fb.pk}": "1,00",
            "udbetaling": "300,00",
            "kanal": "NEMKONTO",
            "aarsag": sag.aarsag.pk,
        },
    )
    assert svar["Location"] == reverse("ompostering_godkend")
    opsummering = side(c.get(reverse("ompostering_godkend"))).xpath(
        "//*[@id='ompostering-opsummering']//dd/text()"
    )
    assert opsummering[2:6] == ["500,00 kr.", "1,32 kr.", "300,00 kr.", "198,68 kr."]


def test_the_running_total_is_computed_by_the_server_with_and_without_javascript(bent, sag):
    c = til_trin_3(bent, sag)
    data = {f"fordring_{sag.fb.pk}": "1.200,5", "udbetaling": "", "handling": "beregn"}

    uden_js = c.post(reverse("ompostering_fordeling"), data)
    assert uden_js.status_code == 200
    assert side(uden_js).xpath("//noscript")  # the "Opdater sum" button for no JavaScript
    assert not fejlopsummering(uden_js)  # recomputing is not submitting
    assert sum_vaerdi(uden_js, "fordelt") == "1.200,50 kr."
    assert sum_vaerdi(uden_js, "rest") == "0,00 kr."
    assert "700,50 kr. mere" in sum_vaerdi(uden_js, "for-meget")

    data[f"fordring_{sag.fb.pk}"] = "200,00"
    data["udbetaling"] = "50"
    htmx = c.post(reverse("ompostering_fordeling"), data, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode()  # only the total, for the live region
    assert (sum_vaerdi(htmx, "valgt"), sum_vaerdi(htmx, "rest")) == ("250,00 kr.", "250,00 kr.")
    assert "HX-Request" in htmx["Vary"]


def test_nulstil_felter_empties_the_allocation_step(bent, sag):
    c = til_trin_3(bent, sag)
    gyldig = {
        "handling": "videre",
        f"fordring_{sag.fb.pk}": "200,00",
        "aarsag": sag.aarsag.pk,
        "note": "Efter samtale",
    }
    assert c.post(reverse("ompostering_fordeling"), gyldig).status_code == 302

    svar = c.post(reverse("ompostering_fordeling"), {**gyldig, "handling": "nulstil"})

    assert svar["Location"] == reverse("ompostering_fordeling")
    tom = side(c.get(reverse("ompostering_fordeling")))
    assert tom.xpath(f"string(//input[@name='fordring_{sag.fb.pk}']/@value)") == ""
    assert tom.xpath("string(//textarea[@name='note'])").strip() == ""
    assert tom.xpath("//select[@name='aarsag']/option[@selected]/@value") in ([], [""])
    assert not tom.xpath("//*[@id='ompostering-fejl']")
    # The stored choice is gone too: the summary step asks for a new one.
    assert c.get(reverse("ompostering_godkend"))["Location"] == reverse("ompostering_fordeling")


def test_nulstil_felter_empties_the_search_and_the_choice(bent, sag):
    c = Client()
    c.force_login(bent)
    url = reverse("ompostering_soeg", args=[sag.anna.pk])
    valgt = c.post(
        url,
        {"handling": "sum", "beloeb_fra": "400,00", "daekning": [sag.daekning.pk]},
    )
    assert side(valgt).xpath(f"//input[@id='daekning-{sag.daekning.pk}']/@checked")
    assert "Valgt til ompostering: 500,00 kr." in side(valgt).xpath("string(//*[@id='valgt-sum'])")

    svar = c.post(url, {"handling": "nulstil", "beloeb_fra": "400,00"})

    assert svar["Location"] == url
    tom = side(c.get(url))
    assert tom.xpath("string(//input[@name='beloeb_fra']/@value)") == ""
    assert not tom.xpath("//table[@id='ompostering-traef']")


@pytest.mark.parametrize(
    ("data", "felt", "fejl"),
    [
        (
            {"periode_fra": "10-03-2025", "periode_til": "01-01-2025"},
            "periode_til",
            "Periode til (01-01-2025) må ikke ligge før periode fra (10-03-2025).",
        ),
        (
            {"beloeb_fra": "600,00", "beloeb_til": "1.000,00"},
            None,
            None,
        ),
        (
            {"beloeb_fra": "1.000,00", "beloeb_til": "600,00"},
            "beloeb_til",
            "Beløb til (600,00 kr.) må ikke være mindre end beløb fra (1.000,00 kr.).",
        ),
    ],
)
def test_fra_after_til_is_a_danish_error_beside_til(bent, sag, data, felt, fejl):
    c = Client()
    c.force_login(bent)
    svar = c.post(reverse("ompostering_soeg", args=[sag.anna.pk]), {"handling": "soeg", **data})
    if fejl is None:
        assert not fejlopsummering(svar)
        assert side(svar).xpath("//*[@id='ingen-traef']")
        return
    assert felt_fejl(svar, felt) == f"Fejl: {fejl}"
    assert fejlopsummering(svar) == [fejl]
    assert not side(svar).xpath("//table[@id='ompostering-traef']")


def test_a_restance_that_changes_before_gennemfoer_sends_the_person_back_with_the_reason(bent, sag):
    c = til_trin_3(bent, sag)
    assert (
        c.post(
            reverse("ompostering_fordeling"),
            {"handling": "videre", f"fordring_{sag.fc.pk}": "80,00", "aarsag": sag.aarsag.pk},
        ).status_code
        == 302
    )
    # Meanwhile Bo pays 50,00 kr. on FC himself.
    postering_bogfoer(
        fordring=sag.fc,
        art=PosteringArt.DAEKNING,
        beloeb=D("50.00"),
        valoerdato=dt.date(2025, 3, 9),
        user=bent,
        indbetaling=IndbetalingFactory.create(borger=sag.bo, beloeb=D("50.00")),
        tekst="Indbetaling",
    )
    foer = tilstand()

    svar = c.post(reverse("ompostering_godkend"))

    assert svar["Location"] == reverse("ompostering_fordeling")
    assert tilstand() == foer and not Ompostering.objects.exists()
    tilbage = c.get(reverse("ompostering_fordeling"))
    besked = side(tilbage).xpath("string(//*[contains(@class, 'alert-error')][1])")
    assert "Omposteringen blev ikke gennemført." in besked
    assert "fordring FC fra 100,00 kr. til 50,00 kr." in besked
    assert felt_fejl(tilbage, f"fordring_{sag.fc.pk}") == (
        "Fejl: Indtastet beløb til dækning (80,00 kr.) må ikke være større end restancen på "
        "fordring FC (50,00 kr.)."
    )
    # The summary cannot be shown for it either.
    assert c.get(reverse("ompostering_godkend"))["Location"] == reverse("ompostering_fordeling")


def test_a_daekning_moved_by_someone_else_meanwhile_is_refused_at_the_next_step(bent, alice, sag):
    c = til_trin_3(bent, sag)
    ompostering_opret(user=alice, daekning_ids=[sag.daekning.pk], aarsag_id=sag.aarsag.pk)
    svar = c.post(reverse("ompostering_bekraeft"))
    assert svar["Location"] == reverse("ompostering_soeg", args=[sag.anna.pk])


@pytest.mark.parametrize(
    "beloeb",
    [
        "abc",  # not a number
        "1e3",  # exponent
        "NaN",
        "Infinity",
        "12,345",  # three decimals
        "1.23,45",  # thousands separator in the wrong place
        "1,2,3",
        "12.5",  # an English decimal point
        "١٢",  # digits that are not ASCII
        "0",
        "0,00",
        "-0,01",
        "0,33",  # above FS's restance of 0,32
        "999999999999999999,00",  # beyond any amount
        "=1+1",  # formula-led text
    ],
)
def test_every_kind_of_bad_amount_is_refused_at_step_3_and_nothing_changes(bent, sag, beloeb):
    c = til_trin_3(bent, sag)
    foer = tilstand()

    svar = c.post(
        reverse("ompostering_fordeling"),
        {"handling": "videre", f"fordring_{sag.fs.pk}": beloeb, "aarsag": sag.aarsag.pk},
    )

    assert svar.status_code == 200  # the step does not advance
    assert felt_fejl(svar, f"fordring_{sag.fs.pk}").startswith("Fejl: ")
    assert fejlopsummering(svar)
    assert c.get(reverse("ompostering_godkend"))["Location"] == reverse("ompostering_fordeling")
    assert tilstand() == foer
