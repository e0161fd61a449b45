"""Seed 004 afklaring b: an amount on the sagsbehandlerfordeling list "placeres på kunden og der
udlignes i den førstkommende udligningskørsel" — it leaves the list at once, and the next
settlement run covers the borger's claims with it, dated with the original payment date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fordringer.choices import PosteringArt
from fordringer.models import Kundekredit, Ompostering, Postering, Sagsbehandlerfordeling
from fordringer.ompostering.kredit import kreditter_udlign, sagsbehandlerfordeling_til_kunden
from fordringer.ompostering.services import ompostering_opret
from fordringer.tasks import kreditter_udlign as kreditter_udlign_task
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent
from tests.factories import BorgerFactory, DebitorkontoFactory, FordringFactory
from tests.fordringer.ompostering.ompostering_data import BETALT, IDAG, invarianter, opret, tilstand
from tests.screens.html import STREG, side, tabel

D = Decimal


@pytest.fixture
def til_carl(bent):
    """Anna's 500,00 moved to Carl, who owes nothing yet: it waits on the list for Carl."""
    sag = opret(bent)
    carl = BorgerFactory.create(navn="Carl Carlsen", cpr="0404801234")
    konto = DebitorkontoFactory.create(borger=carl, kontonummer="K-C")
    ompostering = ompostering_opret(
        user=bent,
        daekning_ids=[sag.daekning.pk],
        aarsag_id=sag.aarsag.pk,
        til_borger_id=carl.pk,
        idag=IDAG,
    )
    return SimpleNamespace(
        **vars(sag),
        carl=carl,
        carls_konto=konto,
        ompostering=ompostering,
        post=Sagsbehandlerfordeling.objects.get(borger=carl),
    )


def carls_fordring(sag, beloeb: str, fordringsid: str):
    return FordringFactory.create(
        konto=sag.carls_konto,
        fordringsid=fordringsid,
        hovedstol=D(beloeb),
        forfaldsdato=dt.date(2025, 2, 1),
    )


def kredit_daekninger(fordring) -> list[tuple[Decimal, dt.date, int | None]]:
    return list(
        fordring.posteringer.filter(art=PosteringArt.DAEKNING).values_list(
            "beloeb", "valoerdato", "indbetaling_id"
        )
    )


@pytest.mark.django_db
def test_placing_on_the_customer_empties_the_list_and_keeps_the_money_waiting(til_carl, bent):
    kredit = sagsbehandlerfordeling_til_kunden(
        user=bent, post_id=til_carl.post.pk, behandling="Carl har ingen fordring endnu"
    )
    assert not Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True).exists()
    til_carl.post.refresh_from_db()
    assert til_carl.post.behandlet_af == bent
    assert (kredit.borger, kredit.beloeb, kredit.rest, kredit.valoerdato) == (
        til_carl.carl,
        D("500.00"),
        D("500.00"),
        BETALT,
    )
    # Nothing is covered yet: the ompostering still has the amount waiting.
    til_carl.ompostering.refresh_from_db()
    assert til_carl.ompostering.venter == D("500.00")
    assert AuditEvent.objects.filter(handling="sagsbehandlerfordeling.til_kunden").count() == 1
    c = Client()
    c.force_login(bent)
    side = c.get(reverse("borger", args=[til_carl.carl.pk])).content.decode()
    assert "Kredit på kunden" in side and "500,00 kr." in side
    invarianter()


@pytest.mark.django_db
def test_the_next_runs_cover_new_claims_with_the_original_payment_date(til_carl, bent):
    kredit = sagsbehandlerfordeling_til_kunden(
        user=bent, post_id=til_carl.post.pk, behandling="Placeret på kunden"
    )
    # No claim: the run covers nothing, and the credit stays.
    assert kreditter_udlign(kommune_id=kredit.kommune_id, idag=IDAG).fordelt == 0

    foerste = carls_fordring(til_carl, "300.00", "FC1")
    udfald = kreditter_udlign(kommune_id=kredit.kommune_id, idag=IDAG)
    assert (udfald.kreditter, udfald.fordelt, udfald.tilbage) == (1, D("300.00"), D("200.00"))
    foerste.refresh_from_db()
    assert foerste.restance == 0
    assert kredit_daekninger(foerste) == [(D("-300.00"), BETALT, til_carl.indbetaling.pk)]

    anden = carls_fordring(til_carl, "450.00", "FC2")
    udfald = kreditter_udlign(kommune_id=kredit.kommune_id, idag=IDAG)
    assert (udfald.fordelt, udfald.tilbage) == (D("200.00"), D("0.00"))
    anden.refresh_from_db()
    assert anden.restance == D("250.00")
    kredit.refresh_from_db()
    assert kredit.rest == 0 and kredit.udlignet is not None
    til_carl.ompostering.refresh_from_db()
    assert (til_carl.ompostering.fordelt, til_carl.ompostering.venter) == (D("500.00"), 0)
    invarianter()

    # Settled: a further run books nothing.
    foer = Postering.objects.count()
    assert kreditter_udlign(kommune_id=kredit.kommune_id, idag=IDAG).kreditter == 0
    assert Postering.objects.count() == foer


@pytest.mark.django_db
def test_a_credit_covers_the_borgers_open_claim_with_interest_recomputed(bent):
    """Anna's own payment rolled back to the list and placed on her: the run covers FA again
    with the payment date, so FA's interest is as if the money had never left (520,20)."""
    sag = opret(bent)
    ompostering_opret(user=bent, daekning_ids=[sag.daekning.pk], aarsag_id=sag.aarsag.pk, idag=IDAG)
    sag.fa.refresh_from_db()
    assert sag.fa.restance == D("1030.00")
    post = Sagsbehandlerfordeling.objects.get()
    sagsbehandlerfordeling_til_kunden(user=bent, post_id=post.pk, behandling="På kunden")
    kreditter_udlign(kommune_id=sag.fa.kommune_id, idag=IDAG)
    sag.fa.refresh_from_db()
    assert sag.fa.restance == D("520.20")
    invarianter()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("behandling", "fejl"), [("", ApplicationError), ("   ", ApplicationError)]
)
def test_placing_needs_a_note_and_changes_nothing_without_one(til_carl, bent, behandling, fejl):
    foer = tilstand()
    with pytest.raises(fejl, match="Skriv hvad der er gjort med beløbet"):
        sagsbehandlerfordeling_til_kunden(
            user=bent, post_id=til_carl.post.pk, behandling=behandling
        )
    assert tilstand() == foer
    assert not Kundekredit.objects.exists()


@pytest.mark.django_db
def test_an_item_already_handled_cannot_be_placed_again(til_carl, bent, birgit):
    sagsbehandlerfordeling_til_kunden(user=bent, post_id=til_carl.post.pk, behandling="Først")
    with pytest.raises(ConflictError, match="allerede behandlet"):
        sagsbehandlerfordeling_til_kunden(user=birgit, post_id=til_carl.post.pk, behandling="Også")
    assert Kundekredit.objects.count() == 1


@pytest.mark.django_db
def test_odense_cannot_place_koebenhavns_item(til_carl, olga):
    with pytest.raises(ApplicationError, match="Posten findes ikke"):
        sagsbehandlerfordeling_til_kunden(user=olga, post_id=til_carl.post.pk, behandling="x")
    assert not Kundekredit.objects.exists()


@pytest.mark.django_db
def test_the_screen_places_the_item_on_the_customer(til_carl, alice):
    c = Client()
    c.force_login(alice)
    svar = c.post(
        reverse("sagsbehandlerfordeling_post", args=[til_carl.post.pk]),
        {"handling": "til_kunden", "behandling": "Carl får en fordring i næste måned"},
    )
    assert svar.status_code == 302
    liste = c.get(reverse("sagsbehandlerfordeling"))
    assert "Carl Carlsen" not in liste.content.decode()
    assert Kundekredit.objects.get().oprettet_af == alice


@pytest.mark.django_db
def test_the_screen_refuses_placing_without_a_note_in_danish(til_carl, alice):
    c = Client()
    c.force_login(alice)
    svar = c.post(
        reverse("sagsbehandlerfordeling_post", args=[til_carl.post.pk]),
        {"handling": "til_kunden", "behandling": ""},
    )
    assert svar.status_code == 200
    assert not Kundekredit.objects.exists()
    assert "Skriv hvad der er gjort med beløbet." in svar.content.decode()
    assert Sagsbehandlerfordeling.objects.get().behandlet is None  # still on the list


@pytest.mark.django_db
def test_the_api_places_an_item_and_lists_the_credit(til_carl, alice, olga):
    c = Client()
    c.force_login(alice)
    url = reverse("api:sagsbehandlerfordeling_til_kunden", args=[til_carl.post.pk])
    venter = c.get(reverse("api:sagsbehandlerfordeling_liste"), {"behandlet": "false"}).json()
    assert [p["id"] for p in venter["results"]] == [til_carl.post.pk]

    o = Client()
    o.force_login(olga)
    assert (
        o.post(url, {"behandling": "x"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k0")
    ).status_code == 404

    svar = c.post(
        url, {"behandling": "På kunden"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert svar.status_code == 201, svar.content
    assert (svar.json()["beloeb"], svar.json()["rest"]) == ("500.00", "500.00")
    venter = c.get(reverse("api:sagsbehandlerfordeling_liste"), {"behandlet": "false"}).json()
    assert venter["results"] == []
    kreditter = c.get(reverse("api:kundekredit_liste")).json()["results"]
    assert [k["borger"] for k in kreditter] == [til_carl.carl.pk]
    # Searched as Omposter fordeling searches (seed 004 trin 1): borger, period, amount left.
    soeg = {"borger": til_carl.carl.pk, "aaben": "true", "valoerdato_fra": "2025-01-28"}
    fundet = c.get(reverse("api:kundekredit_liste"), {**soeg, "beloeb_fra": "500.00"}).json()
    assert [k["id"] for k in fundet["results"]] == [k["id"] for k in kreditter]
    for andet in ({"beloeb_fra": "500.01"}, {"valoerdato_fra": "2025-01-29"}, {"aaben": "false"}):
        ingen = c.get(reverse("api:kundekredit_liste"), {**soeg, **andet}).json()
        assert ingen["results"] == [], andet
    anna = c.get(reverse("api:kundekredit_liste"), {"borger": til_carl.anna.pk}).json()
    assert anna["results"] == []
    # An id the database cannot hold is a clear 400, never a server error.
    for liste in ("api:kundekredit_liste", "api:sagsbehandlerfordeling_liste"):
        assert c.get(reverse(liste), {"borger": str(10**19)}).status_code == 400


@pytest.mark.django_db
def test_the_api_allocates_an_item_to_a_claim(bent, alice):
    sag = opret(bent)
    ompostering_opret(user=bent, daekning_ids=[sag.daekning.pk], aarsag_id=sag.aarsag.pk, idag=IDAG)
    post = Sagsbehandlerfordeling.objects.get()
    c = Client()
    c.force_login(alice)
    svar = c.post(
        reverse("api:sagsbehandlerfordeling_fordel", args=[post.pk]),
        {"fordeling": [{"fordring": sag.fa.pk, "beloeb": "200.00"}], "behandling": "Delvis"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="f1",
    )
    assert svar.status_code == 200, svar.content
    # 300,00 left becomes a new item on the list.
    assert list(
        Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True).values_list(
            "beloeb", flat=True
        )
    ) == [D("300.00")]
    invarianter()


@pytest.mark.django_db
def test_the_nightly_task_and_the_command_run_the_settlement(til_carl, bent):
    sagsbehandlerfordeling_til_kunden(user=bent, post_id=til_carl.post.pk, behandling="x")
    carls_fordring(til_carl, "100.00", "FC1")
    assert kreditter_udlign_task.delay().get() == "1 kreditter, 100.00 kr."
    carls_fordring(til_carl, "50.00", "FC2")
    ud = StringIO()
    call_command("udligning", "--kommune", "101", "--dato", "10-03-2025", stdout=ud)
    assert "1 kreditter dækkede 50,00 kr.; 350,00 kr. står fortsat på kunderne." in ud.getvalue()
    assert Ompostering.objects.get().venter == D("350.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "krop",
    [
        {"fordeling": [{"fordring": "FA", "beloeb": "-1.00"}], "behandling": "x"},
        {"fordeling": [{"fordring": "FA", "beloeb": "0.00"}], "behandling": "x"},
        {"fordeling": [{"fordring": "FA", "beloeb": "1.001"}], "behandling": "x"},
        {"fordeling": [{"fordring": "FA", "beloeb": "600.00"}], "behandling": "x"},
        {"fordeling": [{"fordring": "FB", "beloeb": "100.00"}], "behandling": "x"},
        {"fordeling": [{"fordring": 999_999_999, "beloeb": "100.00"}], "behandling": "x"},
        {"fordeling": [], "behandling": "x"},
        {"fordeling": [{"fordring": "FA", "beloeb": "100.00"}], "behandling": ""},
        {"fordeling": [{"fordring": "FA", "beloeb": "100.00"}]},
        {"fordeling": [{"fordring": "FA", "beloeb": "100.00"}], "behandling": "x" * 256},
    ],
    ids=[
        "negativ",
        "nul",
        "tre-decimaler",
        "mere-end-posten",
        "anden-borgers-fordring",
        "ukendt-fordring",
        "ingen-fordring",
        "tom-behandling",
        "uden-behandling",
        "for-lang-behandling",
    ],
)
def test_the_api_refuses_a_bad_allocation_and_changes_nothing(bent, alice, krop):
    sag = opret(bent)
    ompostering_opret(user=bent, daekning_ids=[sag.daekning.pk], aarsag_id=sag.aarsag.pk, idag=IDAG)
    post = Sagsbehandlerfordeling.objects.get()
    ids = {"FA": sag.fa.pk, "FB": sag.fb.pk}
    for valg in krop["fordeling"]:
        valg["fordring"] = ids.get(valg["fordring"], valg["fordring"])
    foer = tilstand()
    c = Client()
    c.force_login(alice)
    svar = c.post(
        reverse("api:sagsbehandlerfordeling_fordel", args=[post.pk]),
        krop,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="f",
    )
    assert svar.status_code == 400, svar.content
    assert tilstand() == foer
    post.refresh_from_db()
    assert post.behandlet is None


@pytest.mark.django_db
@pytest.mark.parametrize("krop", [{}, {"behandling": ""}, {"behandling": "x" * 256}])
def test_the_api_refuses_placing_without_a_proper_note(til_carl, alice, krop):
    c = Client()
    c.force_login(alice)
    svar = c.post(
        reverse("api:sagsbehandlerfordeling_til_kunden", args=[til_carl.post.pk]),
        krop,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="t",
    )
    assert svar.status_code == 400
    assert not Kundekredit.objects.exists()
    til_carl.post.refresh_from_db()
    assert til_carl.post.behandlet is None


def kreditter(c: Client, borger, **kriterier: str) -> list[list[str]]:
    """Omposter fordeling's search (seed 004 trin 1-2) on the borger's page: the rows of
    its credits table, or [] when the page says none fit."""
    svar = c.post(reverse("ompostering_soeg", args=[borger.pk]), {"handling": "soeg", **kriterier})
    assert svar.status_code == 200
    if side(svar).xpath("//*[@id='ingen-kreditter']"):
        return []
    return tabel(svar, "//table[@id='ompostering-kreditter']")


@pytest.mark.django_db
def test_omposter_fordeling_finds_the_borgers_credits_as_negative_amounts(til_carl, alice, bent):
    """Seed 004 trin 1-2: "udsøge negative fordringer og indbetalinger" by Periode, Beløb and
    Type. Money that stands on no claim is found there too: first as the item waiting on the
    list (with the way to handle it), then as the credit placed on the customer, until the
    settlement run has used it up."""
    c = Client()
    c.force_login(alice)
    indbetalingsid = til_carl.indbetaling.indbetalingsid
    venter = ["Til fordeling", "28-01-2025", indbetalingsid]
    raekker = kreditter(c, til_carl.carl, beloeb_fra="400,00", beloeb_til="600,00")
    assert [r[:3] + r[4:5] for r in raekker] == [[*venter, "-500,00"]]
    assert raekker[0][5].startswith("Behandl")
    svar = c.post(
        reverse("ompostering_soeg", args=[til_carl.carl.pk]),
        {"handling": "soeg", "type": "INDBETALING"},
    )
    (link,) = side(svar).xpath("//table[@id='ompostering-kreditter']//a[starts-with(., 'Behandl')]")
    assert link.get("href") == reverse("sagsbehandlerfordeling_post", args=[til_carl.post.pk])

    # Criteria the credit does not meet: another period, a larger amount, a claim type.
    assert kreditter(c, til_carl.carl, periode_fra="01-02-2025") == []
    assert kreditter(c, til_carl.carl, beloeb_fra="500,01") == []
    assert kreditter(c, til_carl.carl, type="FORDRINGSTYPE", ydelseskode="KTH") == []
    # Anna's own search shows no credit of Carl's.
    assert kreditter(c, til_carl.anna, type="INDBETALING") == []

    sagsbehandlerfordeling_til_kunden(user=bent, post_id=til_carl.post.pk, behandling="På kunden")
    carls_fordring(til_carl, "300.00", "FC1")
    kreditter_udlign(kommune_id=til_carl.carl.kommune_id, idag=IDAG)
    # 500,00 placed, 300,00 used on FC1: 200,00 is left, found by what is left.
    raekker = kreditter(c, til_carl.carl, beloeb_fra="150,00", beloeb_til="250,00")
    assert [r[:3] + r[4:] for r in raekker] == [
        ["Kredit på kunden", "28-01-2025", indbetalingsid, "-200,00", STREG]
    ]
    assert kreditter(c, til_carl.carl, beloeb_fra="400,00") == []

    carls_fordring(til_carl, "450.00", "FC2")
    kreditter_udlign(kommune_id=til_carl.carl.kommune_id, idag=IDAG)
    assert kreditter(c, til_carl.carl, type="INDBETALING") == []
