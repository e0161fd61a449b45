"""Paying out an item on the sagsbehandlerfordeling list, or paying it back to the one who
paid it (seed 004 trin 7; "for meget omposterede beløb [kan] udbetales til den oprindelige
kunde igen"): the item leaves the list, the payout waits for a Bogholder's four eyes, and a
rejected payout comes back to the list as a new open item. No money is lost on the way."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from fordringer.choices import BeskedType, Overfoersel, Udbetalingskanal
from fordringer.dokumenter.services import dokument_html
from fordringer.models import (
    AlternativModtager,
    Dokument,
    Indbetaling,
    Kundekredit,
    Sagsbehandlerfordeling,
    Udbetaling,
    UdgaaendeBesked,
)
from fordringer.ompostering.listeudbetaling import (
    sagsbehandlerfordeling_tilbagebetal,
    sagsbehandlerfordeling_udbetal,
)
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.udbetaling import (
    NyModtager,
    UdbetalingValg,
    udbetaling_afvis,
    udbetaling_godkend,
)
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent
from ky_debitor.money import NUL, afrund
from tests.factories import BorgerFactory, DebitorkontoFactory
from tests.fordringer.ompostering.ompostering_data import BETALT, IDAG, invarianter, opret, tilstand

D = Decimal
ADRESSE = "Vestergade 1, 8000 Aarhus C"
NEMKONTO = UdbetalingValg(beloeb=D("500.00"), kanal=Udbetalingskanal.NEMKONTO)


def summer(qs, felt: str = "beloeb") -> Decimal:
    return afrund(qs.aggregate(s=Sum(felt))["s"] or NUL)


def pengene_passer() -> None:
    """Money in = on claims + waiting on the list + credits on customers + paid out (or
    awaiting approval)."""
    indbetalt = summer(Indbetaling.objects.all())
    paa_fordringer = summer(Indbetaling.objects.all(), "daekket")
    paa_listen = summer(Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True))
    kreditter = summer(Kundekredit.objects.all(), "rest")
    udbetalt = summer(Udbetaling.objects.exclude(status="AFVIST"))
    assert indbetalt == paa_fordringer + paa_listen + kreditter + udbetalt


def aabne() -> list[Sagsbehandlerfordeling]:
    return list(Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True).order_by("pk"))


@pytest.fixture
def til_carl(bent):
    """Anna's 500,00 moved to Carl, who owes nothing: it waits on the list for Carl."""
    sag = opret(bent)
    carl = BorgerFactory.create(navn="Carl Carlsen", cpr="0404801234")
    DebitorkontoFactory.create(borger=carl, kontonummer="K-C")
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
        ompostering=ompostering,
        post=Sagsbehandlerfordeling.objects.get(borger=carl),
    )


def test_paying_out_an_item_takes_it_off_the_list_and_the_payout_waits(til_carl, bent):
    udbetaling = sagsbehandlerfordeling_udbetal(
        user=bent, post_id=til_carl.post.pk, udbetaling=NEMKONTO, behandling="Carl har ingen gæld"
    )
    assert aabne() == []
    til_carl.post.refresh_from_db()
    assert (til_carl.post.behandlet_af, til_carl.post.behandling) == (bent, "Carl har ingen gæld")
    assert (udbetaling.status, udbetaling.beloeb, udbetaling.borger) == (
        "AFVENTER",
        D("500.00"),
        til_carl.carl,
    )
    assert (udbetaling.ompostering, udbetaling.sagsbehandlerfordeling) == (None, til_carl.post)
    assert udbetaling.modtager_navn == "Carl Carlsen"
    assert udbetaling.oprindelse == f"Sagsbehandlerfordeling, post {til_carl.post.pk}"
    assert udbetaling.aarsag_tekst == "Carl har ingen gæld"
    # The ompostering counts the amount as paid out now, no longer as waiting.
    til_carl.ompostering.refresh_from_db()
    assert (til_carl.ompostering.udbetalt, til_carl.ompostering.venter) == (D("500.00"), 0)
    assert AuditEvent.objects.filter(handling="sagsbehandlerfordeling.udbetal").count() == 1
    # Nothing goes out before a Bogholder approves it.
    assert not UdgaaendeBesked.objects.filter(type=BeskedType.UDBETALING).exists()
    invarianter()
    pengene_passer()


def test_approved_the_payout_is_sent_and_the_item_stays_off_the_list(til_carl, bent, birgit):
    udbetaling = sagsbehandlerfordeling_udbetal(
        user=bent,
        post_id=til_carl.post.pk,
        udbetaling=UdbetalingValg(
            beloeb=D("500.00"),
            kanal=Udbetalingskanal.CHECK,
            fritaget_modregning=True,
            ny_modtager=NyModtager(navn="Advokat Hansen", adresse=ADRESSE),
        ),
        behandling="Udbetales til boets advokat",
    )
    with pytest.raises(ApplicationError, match="fire øjne"):
        udbetaling_godkend(user=bent, udbetaling_id=udbetaling.pk)
    udbetaling_godkend(user=birgit, udbetaling_id=udbetaling.pk, begrundelse="Kontrolleret")
    udbetaling.refresh_from_db()
    assert (udbetaling.status, udbetaling.behandlet_af) == ("GODKENDT", birgit)
    payload = UdgaaendeBesked.objects.get(type=BeskedType.UDBETALING).payload
    assert (payload["beloeb"], payload["kanal"], payload["modtager_navn"]) == (
        "500.00",
        "CHECK",
        "Advokat Hansen",
    )
    assert (payload["modtager_adresse"], payload["fritaget_modregning"]) == (ADRESSE, True)
    assert aabne() == []
    # The payout notice tells the item's reason and the original payment date.
    html = dokument_html(Dokument.objects.get(udbetaling=udbetaling))
    assert "Udbetales til boets advokat" in html and "28-01-2025" in html
    invarianter()
    pengene_passer()


def test_rejected_the_amount_returns_to_the_list_as_an_open_item(til_carl, bent, birgit):
    udbetaling = sagsbehandlerfordeling_udbetal(
        user=bent, post_id=til_carl.post.pk, udbetaling=NEMKONTO, behandling="Udbetales"
    )
    udbetaling_afvis(user=birgit, udbetaling_id=udbetaling.pk, begrundelse="Forkert modtager")
    (ny,) = aabne()
    assert ny.pk != til_carl.post.pk
    assert (ny.borger, ny.beloeb, ny.valoerdato, ny.indbetaling) == (
        til_carl.carl,
        D("500.00"),
        BETALT,
        til_carl.indbetaling,
    )
    assert ny.ompostering == til_carl.ompostering
    assert "Forkert modtager" in ny.tekst
    til_carl.ompostering.refresh_from_db()
    assert (til_carl.ompostering.udbetalt, til_carl.ompostering.venter) == (0, D("500.00"))
    invarianter()
    pengene_passer()
    # The new item has every way out again: this time it goes back to Anna, who paid it.
    igen = sagsbehandlerfordeling_tilbagebetal(user=bent, post_id=ny.pk, begrundelse="Fejl")
    assert igen.modtager_navn == "Anna Andersen"
    pengene_passer()


def test_a_partial_payout_leaves_the_rest_on_the_list(til_carl, bent):
    sagsbehandlerfordeling_udbetal(
        user=bent,
        post_id=til_carl.post.pk,
        udbetaling=UdbetalingValg(beloeb=D("200.00"), overfoersel=Overfoersel.SAP38),
        behandling="200,00 kr. udbetales nu",
    )
    (rest,) = aabne()
    assert (rest.beloeb, rest.valoerdato, rest.indbetaling) == (
        D("300.00"),
        BETALT,
        til_carl.indbetaling,
    )
    til_carl.ompostering.refresh_from_db()
    assert (til_carl.ompostering.udbetalt, til_carl.ompostering.venter) == (
        D("200.00"),
        D("300.00"),
    )
    invarianter()
    pengene_passer()


def test_returning_pays_the_payer_to_nemkonto_through_the_same_approval(til_carl, bent, birgit):
    """Carl's item is Anna's payment: it goes back to Anna, by NemKonto on her CPR number."""
    udbetaling = sagsbehandlerfordeling_tilbagebetal(
        user=bent, post_id=til_carl.post.pk, begrundelse="Anna har betalt for meget"
    )
    assert aabne() == []
    assert (udbetaling.beloeb, udbetaling.kanal, udbetaling.overfoersel) == (
        D("500.00"),
        "NEMKONTO",
        "",
    )
    assert (udbetaling.borger, udbetaling.modtager_borger) == (til_carl.carl, til_carl.anna)
    til_carl.post.refresh_from_db()
    assert til_carl.post.behandling == "Tilbagebetalt til indbetaler: Anna har betalt for meget"
    assert udbetaling.aarsag_tekst == til_carl.post.behandling
    pengene_passer()
    udbetaling_godkend(user=birgit, udbetaling_id=udbetaling.pk)
    payload = UdgaaendeBesked.objects.get(type=BeskedType.UDBETALING).payload
    assert (payload["modtager_cpr"], payload["vedroerer_cpr"]) == ("0202801234", "0404801234")
    invarianter()
    pengene_passer()


def test_a_rejected_return_comes_back_to_the_list(til_carl, bent, birgit):
    udbetaling = sagsbehandlerfordeling_tilbagebetal(
        user=bent, post_id=til_carl.post.pk, begrundelse="Anna har betalt for meget"
    )
    udbetaling_afvis(user=birgit, udbetaling_id=udbetaling.pk, begrundelse="Anna skylder")
    (ny,) = aabne()
    assert (ny.borger, ny.beloeb, ny.indbetaling) == (
        til_carl.carl,
        D("500.00"),
        til_carl.indbetaling,
    )
    invarianter()
    pengene_passer()


def test_the_borgers_own_payment_goes_back_to_the_borger(bent):
    sag = opret(bent)
    ompostering_opret(user=bent, daekning_ids=[sag.daekning.pk], aarsag_id=sag.aarsag.pk, idag=IDAG)
    post = Sagsbehandlerfordeling.objects.get()
    udbetaling = sagsbehandlerfordeling_tilbagebetal(user=bent, post_id=post.pk, begrundelse="x")
    assert (udbetaling.modtager_borger, udbetaling.modtager_navn) == (None, "Anna Andersen")
    pengene_passer()


def test_a_rejected_ompostering_payout_returns_to_the_borger_it_was_taken_from(bent, birgit):
    """An ompostering's rejected payout waits without its payment: the payer is the borger
    the ompostering took the money from."""
    sag = opret(bent)
    ompostering = ompostering_opret(
        user=bent,
        daekning_ids=[sag.daekning.pk],
        aarsag_id=sag.aarsag.pk,
        til_borger_id=sag.bo.pk,
        udbetaling=UdbetalingValg(beloeb=D("500.00"), kanal=Udbetalingskanal.NEMKONTO),
        idag=IDAG,
    )
    udbetaling_afvis(
        user=birgit, udbetaling_id=ompostering.udbetalinger.get().pk, begrundelse="Nej"
    )
    (post,) = aabne()
    assert post.indbetaling is None
    retur = sagsbehandlerfordeling_tilbagebetal(user=bent, post_id=post.pk, begrundelse="Retur")
    assert (retur.borger, retur.modtager_borger) == (sag.bo, sag.anna)
    ompostering.refresh_from_db()
    assert (ompostering.udbetalt, ompostering.venter) == (D("500.00"), 0)
    invarianter()
    pengene_passer()


@pytest.mark.parametrize(
    ("valg", "behandling", "fejl"),
    [
        (
            {"kanal": ""},
            "x",
            "Vælg enten en udbetalingsform (NemKonto eller check) eller en overførsel (SAP38, EFI "
            "eller kundens konto).",
        ),
        (
            {"overfoersel": Overfoersel.EFI},
            "x",
            "Vælg enten en udbetalingsform eller en overførsel, ikke begge.",
        ),
        (
            {"ny_modtager": NyModtager(navn="Advokat Hansen")},
            "x",
            "Udbetaling til NemKonto kræver modtagerens CPR- eller CVR-nummer.",
        ),
        (
            {
                "kanal": Udbetalingskanal.CHECK,
                "ny_modtager": NyModtager(navn="Boet", adresse="Boet"),
            },
            "x",
            "En check sendes med posten: angiv modtagerens fulde adresse med vej, husnummer, "
            "postnummer og by.",
        ),
        (
            {"ny_modtager": NyModtager(navn="Advokat Hansen", identifikation="1" * 40)},
            "x",
            f"'{'1' * 40}' er hverken et gyldigt CPR-nummer (DDMMÅÅ-XXXX) eller et gyldigt "
            "CVR-nummer (8 cifre).",
        ),
        ({"beloeb": D("0.00")}, "x", "Beløbet til udbetaling skal være større end 0,00 kr."),
        (
            {"beloeb": D("500.01")},
            "x",
            "Beløbet til udbetaling (500,01 kr.) må ikke være større end posten (500,00 kr.).",
        ),
        ({}, " ", "Skriv hvad der er gjort med beløbet."),
        ({}, "x" * 256, "Hvad der er gjort med beløbet må højst være 255 tegn."),
    ],
    ids=[
        "ingen-form",
        "form-og-overfoersel",
        "nemkonto-uden-cpr",
        "check-uden-adresse",
        "for-lang-identifikation",
        "nul",
        "mere-end-posten",
        "ingen-behandling",
        "for-lang-behandling",
    ],
)
def test_a_bad_payout_is_refused_in_danish_and_changes_nothing(
    til_carl, bent, valg, behandling, fejl
):
    felter = {"beloeb": D("500.00"), "kanal": Udbetalingskanal.NEMKONTO} | valg
    foer = tilstand()
    with pytest.raises(ApplicationError) as info:
        sagsbehandlerfordeling_udbetal(
            user=bent,
            post_id=til_carl.post.pk,
            udbetaling=UdbetalingValg(**felter),
            behandling=behandling,
        )
    assert info.value.message == fejl
    assert tilstand() == foer
    assert aabne() == [til_carl.post]
    assert not Udbetaling.objects.exists()
    assert not AlternativModtager.objects.exists()
    til_carl.ompostering.refresh_from_db()
    assert til_carl.ompostering.venter == D("500.00")


@pytest.mark.parametrize(
    ("begrundelse", "fejl"),
    [
        ("  ", "Angiv en begrundelse for tilbagebetalingen."),
        ("x" * 226, "Begrundelsen for tilbagebetalingen må højst være 225 tegn."),
    ],
)
def test_a_return_needs_a_reason_and_changes_nothing_without_one(til_carl, bent, begrundelse, fejl):
    with pytest.raises(ApplicationError) as info:
        sagsbehandlerfordeling_tilbagebetal(
            user=bent, post_id=til_carl.post.pk, begrundelse=begrundelse
        )
    assert info.value.message == fejl
    assert aabne() == [til_carl.post]
    assert not Udbetaling.objects.exists()


def test_another_kommunes_item_is_not_found(til_carl, olga):
    with pytest.raises(ApplicationError, match="Posten findes ikke"):
        sagsbehandlerfordeling_udbetal(
            user=olga, post_id=til_carl.post.pk, udbetaling=NEMKONTO, behandling="x"
        )
    with pytest.raises(ApplicationError, match="Posten findes ikke"):
        sagsbehandlerfordeling_tilbagebetal(user=olga, post_id=til_carl.post.pk, begrundelse="x")
    assert aabne() == [til_carl.post]
    assert not Udbetaling.objects.exists()


def test_an_item_handled_another_way_cannot_be_paid_out(til_carl, bent, birgit):
    sagsbehandlerfordeling_udbetal(
        user=bent, post_id=til_carl.post.pk, udbetaling=NEMKONTO, behandling="Først"
    )
    with pytest.raises(ConflictError, match="allerede behandlet"):
        sagsbehandlerfordeling_tilbagebetal(
            user=birgit, post_id=til_carl.post.pk, begrundelse="Også"
        )
    assert Udbetaling.objects.count() == 1
    pengene_passer()


# --- The item's page and the payout list ------------------------------------------------------


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_screen_pays_out_and_the_payout_list_shows_where_it_came_from(til_carl, alice, birgit):
    c = klient(alice)
    url = reverse("sagsbehandlerfordeling_post", args=[til_carl.post.pk])
    side = c.get(url).content.decode()
    assert 'id="udbetal-knap"' in side and 'value="500,00"' in side
    assert "Anna Andersen" in side  # the payer a return goes to
    svar = c.post(
        url,
        {
            "handling": "udbetal",
            "udbetaling": "500,00",
            "modtager": "NY",
            "ny_navn": "Advokat Hansen",
            "ny_identifikation": "12345674",
            "kanal": "NEMKONTO",
            "behandling": "Udbetales til boet",
        },
    )
    assert svar.status_code == 302
    udbetaling = Udbetaling.objects.get()
    assert (udbetaling.modtager_navn, udbetaling.oprettet_af) == ("Advokat Hansen", alice)
    assert aabne() == []
    liste = klient(birgit).get(reverse("udbetalinger")).content.decode()
    assert f"Sagsbehandlerfordeling, post {til_carl.post.pk}" in liste
    assert "Udbetales til boet" in liste
    svar = klient(birgit).post(
        reverse("udbetaling_behandl", args=[udbetaling.pk]),
        {"handling": "afvis", "begrundelse": "Mangler dokumentation"},
    )
    assert svar.status_code == 302
    assert [p.beloeb for p in aabne()] == [D("500.00")]
    pengene_passer()


def test_the_screen_refuses_a_bad_payout_in_danish(til_carl, alice):
    svar = klient(alice).post(
        reverse("sagsbehandlerfordeling_post", args=[til_carl.post.pk]),
        {
            "handling": "udbetal",
            "udbetaling": "500,00",
            "modtager": "NY",
            "ny_navn": "Advokat Hansen",
            "kanal": "NEMKONTO",
            "behandling": "Udbetales til boet",
        },
    )
    assert svar.status_code == 200
    assert "Udbetaling til NemKonto kræver modtagerens CPR- eller CVR-nummer." in (
        svar.content.decode()
    )
    assert aabne() == [til_carl.post]
    assert not Udbetaling.objects.exists()


def test_the_screen_returns_the_item_to_its_payer(til_carl, alice):
    svar = klient(alice).post(
        reverse("sagsbehandlerfordeling_post", args=[til_carl.post.pk]),
        {"handling": "tilbagebetal", "behandling": "Anna har betalt for meget"},
    )
    assert svar.status_code == 302
    assert Udbetaling.objects.get().modtager_borger == til_carl.anna


# --- API ------------------------------------------------------------------------------------


def test_the_api_pays_out_an_item_once_per_key(til_carl, alice, olga):
    url = reverse("api:sagsbehandlerfordeling_udbetal", args=[til_carl.post.pk])
    krop = {"udbetaling": {"beloeb": "500.00", "kanal": "NEMKONTO"}, "behandling": "Udbetales"}
    assert (
        klient(olga)
        .post(url, krop, content_type="application/json", HTTP_IDEMPOTENCY_KEY="u0")
        .status_code
        == 404
    )
    c = klient(alice)
    svar = c.post(url, krop, content_type="application/json", HTTP_IDEMPOTENCY_KEY="u1")
    assert svar.status_code == 201, svar.content
    assert (svar.json()["sagsbehandlerfordeling"], svar.json()["ompostering"]) == (
        til_carl.post.pk,
        None,
    )
    igen = c.post(url, krop, content_type="application/json", HTTP_IDEMPOTENCY_KEY="u1")
    assert (igen.status_code, igen.json()) == (201, svar.json())
    assert Udbetaling.objects.count() == 1
    pengene_passer()


def test_the_api_refuses_a_bad_payout_under_its_field(til_carl, alice):
    svar = klient(alice).post(
        reverse("api:sagsbehandlerfordeling_udbetal", args=[til_carl.post.pk]),
        {
            "udbetaling": {
                "beloeb": "500.00",
                "kanal": "NEMKONTO",
                "ny_modtager": {"navn": "Advokat Hansen"},
            },
            "behandling": "Udbetales",
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="u",
    )
    assert svar.status_code == 400
    assert svar.json()["felter"] == {
        "udbetaling.ny_modtager.identifikation": [
            "Udbetaling til NemKonto kræver modtagerens CPR- eller CVR-nummer."
        ]
    }
    assert aabne() == [til_carl.post]
    assert not Udbetaling.objects.exists()


def test_the_api_returns_an_item_to_its_payer(til_carl, alice, olga):
    url = reverse("api:sagsbehandlerfordeling_tilbagebetal", args=[til_carl.post.pk])
    assert (
        klient(olga)
        .post(url, {"begrundelse": "x"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="t")
        .status_code
        == 404
    )
    c = klient(alice)
    tom = c.post(
        url, {"begrundelse": ""}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a"
    )
    assert tom.status_code == 400
    svar = c.post(
        url, {"begrundelse": "For meget"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="b"
    )
    assert svar.status_code == 201, svar.content
    assert (svar.json()["modtager_borger"], svar.json()["kanal"]) == (til_carl.anna.pk, "NEMKONTO")
    pengene_passer()
