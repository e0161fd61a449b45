"""19.04 Hent Fordring and 19.05 Hent Indbetaling: a caseworker sees what a payment covered and a
claim's whole history, after the payment was moved to another borger (seed 004)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from fordringer.konto.selectors import restance_fra_ledger
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
from tests.fordringer.ompostering.ompostering_data import IDAG, opret
from tests.screens.html import tabel, tekst

D = Decimal


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def kr(beloeb: Decimal) -> str:
    """An amount as the pages write it: 1.234,56."""
    return f"{beloeb:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


@pytest.fixture
def flyttet(bent):
    """Anna's 500,00 covered her claim FA; Bent moved it to Bo's claim FB."""
    sag = opret(bent)
    sag.ompostering = ompostering_opret(  # type: ignore[attr-defined]
        user=bent,
        daekning_ids=[sag.daekning.pk],
        aarsag_id=sag.aarsag.pk,
        til_borger_id=sag.bo.pk,
        fordeling=[NyDaekning(sag.fb.pk, D("500.00"))],
        idag=IDAG,
    )
    for obj in (sag.fa, sag.fb, sag.indbetaling):
        obj.refresh_from_db()
    return sag


@pytest.mark.django_db
def test_the_claim_page_shows_every_entry_and_ends_at_the_ledgers_restance(flyttet, alice):
    svar = klient(alice).get(reverse("fordring", args=[flyttet.fa.pk]))
    assert svar.status_code == 200
    raekker = tabel(svar, "//table[@id='fordring-posteringer']")
    posteringer = list(flyttet.fa.posteringer.order_by("valoerdato", "bogfoert", "id"))
    # Every entry shows, the moved dækning and its reversal too (the citizen's kontoudtog
    # hides neither, since the money went to another borger; here nothing is ever hidden).
    assert [r[-2] for r in raekker] == [kr(p.beloeb) for p in posteringer]
    assert raekker[-1][-1] == kr(restance_fra_ledger(flyttet.fa)) == kr(flyttet.fa.restance)
    assert tekst(svar, "//*[@id='fordring-restance']") == f"{kr(flyttet.fa.restance)} kr."

    daekning = next(r for r in raekker if r[-2] == "-500,00")
    assert flyttet.indbetaling.indbetalingsid in daekning
    assert "Tilbageført" in daekning[2]
    tilbagefoersel = next(r for r in raekker if r[-2] == "500,00")
    assert f"Ompostering {flyttet.ompostering.pk}" in tilbagefoersel
    assert flyttet.indbetaling.indbetalingsid in tilbagefoersel  # the payment it gave back

    # Who did it and why: Bent's reversal with the ompostering's reason.
    historik = tabel(svar, "//table[@id='fordring-historik']")
    assert any(
        r[1] == "Bent Testesen"
        and "Tilbageførsel 500,00 kr." in r[2]
        and r[3] == "Indbetalingen er placeret på en forkert borger"
        for r in historik
    )


@pytest.mark.django_db
def test_the_claim_page_shows_the_borger_masked_and_logs_no_cpr_lookup(flyttet, alice):
    from ky_debitor.models import Opslag

    svar = klient(alice).get(reverse("fordring", args=[flyttet.fa.pk]))
    oplysninger = tekst(svar, "//*[@id='fordring-oplysninger']")
    assert "020280-****" in oplysninger and "0202801234" not in svar.content.decode()
    assert "Anna Andersen" in oplysninger and "K-A" in oplysninger
    assert not Opslag.objects.exists()


@pytest.mark.django_db
def test_the_payment_page_says_what_it_covered_and_where_it_was_moved(flyttet, alice):
    svar = klient(alice).get(reverse("indbetaling", args=[flyttet.indbetaling.pk]))
    assert svar.status_code == 200
    raekker = tabel(svar, "//table[@id='indbetaling-daekninger']")
    # Covered FA, given back from FA, then covering FB: in the order they were booked.
    assert [(r[2], r[-2]) for r in raekker] == [
        ("FA", "-500,00"),
        ("FA", "500,00"),
        ("FB", "-500,00"),
    ]
    assert [r[-1] for r in raekker] == ["500,00", "0,00", "500,00"]
    assert tekst(svar, "//*[@id='indbetaling-daekker']") == (
        f"{kr(flyttet.indbetaling.daekket)} kr."
    )
    (ompostering,) = tabel(svar, "//table[@id='indbetaling-omposteringer']")
    assert ompostering[0] == f"Ompostering {flyttet.ompostering.pk}"
    assert ompostering[2].startswith("Anna Andersen") and ompostering[3].startswith("Bo Berg")
    assert ompostering[-1] == "500,00"


@pytest.mark.django_db
def test_a_payment_that_covered_nothing_says_so(bent, alice):
    from tests.factories import IndbetalingFactory

    ubrugt = IndbetalingFactory.create(beloeb=D("75.00"), valoerdato=dt.date(2025, 2, 1))
    svar = klient(alice).get(reverse("indbetaling", args=[ubrugt.pk]))
    assert "Indbetalingen har ikke dækket nogen fordring." in svar.content.decode()
    assert tekst(svar, "//*[@id='indbetaling-daekker']") == "0,00 kr."


@pytest.mark.django_db
def test_the_konto_page_leads_to_the_claim_page(flyttet, alice):
    svar = klient(alice).get(reverse("debitorkonto", args=[flyttet.fa.konto_id]))
    assert reverse("fordring", args=[flyttet.fa.pk]) in svar.content.decode()


@pytest.mark.django_db
def test_odense_finds_neither_page(flyttet, olga):
    c = klient(olga)
    assert c.get(reverse("fordring", args=[flyttet.fa.pk])).status_code == 404
    assert c.get(reverse("indbetaling", args=[flyttet.indbetaling.pk])).status_code == 404
    assert c.get(reverse("api:indbetaling", args=[flyttet.indbetaling.pk])).status_code == 404


@pytest.mark.django_db
def test_the_api_gives_the_payment_as_the_page_does(flyttet, alice):
    svar = klient(alice).get(reverse("api:indbetaling", args=[flyttet.indbetaling.pk]))
    assert svar.status_code == 200
    data = svar.json()
    assert D(data["daekker_nu"]) == flyttet.indbetaling.daekket == D("500.00")
    # Its three entries: the dækning on FA, its reversal, the dækning on FB.
    assert [(p["fordring"], p["beloeb"]) for p in data["posteringer"]] == [
        (flyttet.fa.pk, "-500.00"),
        (flyttet.fa.pk, "500.00"),
        (flyttet.fb.pk, "-500.00"),
    ]
    assert data["omposteringer"] == [flyttet.ompostering.pk]
    liste = klient(alice).get(
        reverse("api:postering_liste"), {"indbetaling": flyttet.indbetaling.pk}
    )
    assert sorted(p["id"] for p in liste.json()["results"]) == sorted(
        p["id"] for p in data["posteringer"]
    )
