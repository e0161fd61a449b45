"""A reminder for a claim, and the fee the regime's law lets it carry (issue #19).

The fee rows are the shipped national data (migration 0025): opkrævningsloven 250,00 kr. per
reminder, for at most 3 reminders, at least 10 days apart; gebyrloven has no fee row. Every
figure below is worked out by hand from those rows and the shipped interest rates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client

from fordringer.choices import (
    DokumentStatus,
    DokumentType,
    Opkraevningstilstand,
    PosteringArt,
    Renteregime,
)
from fordringer.konto.selectors import restance_fra_ledger
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Dokument, Fordring, Gebyrsats, Postering, UdgaaendeBesked
from fordringer.rente.koersel import rentekoersel_koer, rentekoersel_opret
from fordringer.rykker.services import rykker_send
from ky_debitor.append_only import AppendOnlyError
from ky_debitor.errors import ApplicationError
from ky_debitor.models import AuditEvent
from tests.api.conftest import api_som
from tests.factories import BorgerFactory, DebitorkontoFactory, FordringFactory, kommune
from tests.fordringer.dokumenter.dokument_data import pdf_tekst

pytestmark = pytest.mark.django_db

D = Decimal
KBH = ZoneInfo("Europe/Copenhagen")
FORFALD = dt.date(2025, 2, 20)


def paa(dag: dt.date):  # type: ignore[no-untyped-def]
    """The clock at noon, Copenhagen time, on ``dag``."""
    return time_machine.travel(dt.datetime.combine(dag, dt.time(12), tzinfo=KBH), tick=False)


def fordring(
    regime: Renteregime = Renteregime.OPKRAEVNINGSLOVEN_7,
    hovedstol: str = "5000.00",
    kode: int = 101,
    **felter,  # type: ignore[no-untyped-def]
) -> Fordring:
    konto = DebitorkontoFactory.create(
        borger=BorgerFactory.create(kommune=kommune(kode), navn="Rikke Rykker"), ky=True
    )
    felter.setdefault("forfaldsdato", FORFALD)
    return FordringFactory.create(konto=konto, hovedstol=D(hovedstol), renteregime=regime, **felter)


def gebyrer(f: Fordring) -> list[tuple[dt.date, Decimal]]:
    return list(f.posteringer.filter(art=PosteringArt.GEBYR).values_list("valoerdato", "beloeb"))


def test_a_reminder_on_an_opkraevningsloven_claim_books_its_fee_and_sends_the_letter(bent):
    f = fordring()
    with paa(dt.date(2025, 3, 10)):
        rykker = rykker_send(user=bent, fordring_id=f.pk, begrundelse="Ingen betaling")

    f.refresh_from_db()
    assert gebyrer(f) == [(dt.date(2025, 3, 10), D("250.00"))]
    assert f.restance == D("5250.00") == restance_fra_ledger(f)
    assert f.rykkerniveau == 1
    assert rykker.gebyr is not None and rykker.gebyr.tekst == "Rykkergebyr, rykker 1"

    dokument = rykker.dokument
    assert (dokument.type, dokument.status, dokument.fordring_id) == (
        DokumentType.RYKKER,
        DokumentStatus.FAERDIG,
        f.pk,
    )
    assert UdgaaendeBesked.objects.filter(noegle=f"digitalpost:dokument:{dokument.pk}").exists()
    tekst = pdf_tekst(dokument.pdf)
    assert f"Rykker: betaling af fordring {f.fordringsid}" in tekst
    assert "Hovedstol 5.000,00 kr." in tekst
    assert "heraf rykkergebyr for denne rykker 250,00 kr. 250,00 kr." in tekst
    assert "At betale 5.250,00 kr." in tekst
    assert "gebyr på 250,00 kr. efter Opkrævningsloven § 6, stk. 1." in tekst
    assert "Rikke Rykker" in tekst and f.konto.borger.cpr not in tekst.replace("-", "")

    haendelse = AuditEvent.objects.get(handling="fordring.rykker")
    assert haendelse.bruger == bent and haendelse.begrundelse == "Ingen betaling"
    assert haendelse.data["gebyr"] == "250.00"
    # The fee's own ledger entry is audited with the reason too.
    bogfoert = AuditEvent.objects.get(handling="postering.gebyr")
    assert bogfoert.data["postering_id"] == rykker.gebyr.pk
    assert (bogfoert.bruger, bogfoert.begrundelse) == (bent, "Ingen betaling")


def test_the_fee_bears_no_interest_and_a_payment_covers_it_before_the_principal(bent):
    """Hovedstol 5.000,00 due 20-02-2025 under opkrævningsloven (0,9 % a month in 2025, per
    day 5.000 x 0,9 % x 12 / 365 = 540 / 365). Reminder 10-03-2025: fee 250,00. Payment
    250,00 on 15-03-2025. Interest run to 31-03-2025.

    21-28 February, 8 days: 4.320 / 365 = 11,84 (booked 28-02).
    15-03: interest to the payment's day is booked, 1-15 March, 15 days: 8.100 / 365 = 22,19.
    The payment goes to the fee and interest first (250,00 + 11,84 + 22,19 stand), so all of
    it is taken there and the principal stays 5.000,00.
    16-31 March, 16 days on 5.000,00: 8.640 / 365 = 23,67 - had the payment reached the
    principal, this would be less. Nothing accrues on the fee.
    Restance 5.000,00 + 250,00 + 11,84 + 22,19 + 23,67 - 250,00 = 5.057,70.
    """
    f = fordring()
    with paa(dt.date(2025, 3, 10)):
        rykker_send(user=bent, fordring_id=f.pk)
    postering_bogfoer(
        fordring=f,
        art=PosteringArt.DAEKNING,
        beloeb=D("250.00"),
        valoerdato=dt.date(2025, 3, 15),
        user=None,
    )
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 3, 31), user=None)
    rentekoersel_koer(koersel_id=koersel.pk)

    renter = sorted(
        f.posteringer.filter(art=PosteringArt.RENTE).values_list("valoerdato", "beloeb")
    )
    assert renter == [
        (dt.date(2025, 2, 28), D("11.84")),
        (dt.date(2025, 3, 15), D("22.19")),
        (dt.date(2025, 3, 31), D("23.67")),
    ]
    f.refresh_from_db()
    assert f.restance == D("5057.70") == restance_fra_ledger(f)


def test_at_most_three_reminders_carry_a_fee_counting_those_sent_from_kmd_aktiv(bent):
    """The import brought reminder level 2: KY's first reminder is the third (fee), its second
    the fourth (no fee, and the letter says why)."""
    f = fordring(rykkerniveau=2)
    with paa(dt.date(2025, 3, 10)):
        tredje = rykker_send(user=bent, fordring_id=f.pk)
    with paa(dt.date(2025, 3, 20)):
        fjerde = rykker_send(user=bent, fordring_id=f.pk)

    assert tredje.gebyr is not None and fjerde.gebyr is None
    assert gebyrer(f) == [(dt.date(2025, 3, 10), D("250.00"))]
    f.refresh_from_db()
    assert f.rykkerniveau == 4
    assert f.restance == D("5250.00")
    tekst = pdf_tekst(fjerde.dokument.pdf)
    assert "Rykker nr. 4" in tekst
    assert "Der opkræves ikke gebyr for denne rykker." in tekst
    assert "der opkræves gebyr for højst 3" in tekst


def test_a_gebyrloven_claim_gets_its_reminder_without_a_fee(bent):
    f = fordring(Renteregime.GEBYRLOVEN_3)
    with paa(dt.date(2025, 3, 10)):
        rykker = rykker_send(user=bent, fordring_id=f.pk)
    assert rykker.gebyr is None and gebyrer(f) == []
    f.refresh_from_db()
    assert (f.restance, f.rykkerniveau) == (D("5000.00"), 1)
    assert "Gebyrloven § 3 giver ikke rykkergebyr." in pdf_tekst(rykker.dokument.pdf)


def _ingen_spor(f: Fordring, niveau: int = 0, dokumenter: int = 0) -> None:
    f.refresh_from_db()
    assert f.rykkerniveau == niveau
    assert Dokument.objects.filter(fordring=f).count() == dokumenter
    assert UdgaaendeBesked.objects.count() == dokumenter
    assert AuditEvent.objects.filter(handling="fordring.rykker").count() == dokumenter
    assert gebyrer(f) == ([(dt.date(2025, 3, 10), D("250.00"))] if dokumenter else [])


@pytest.mark.parametrize(
    ("felter", "dag", "besked"),
    [
        ({"opkraevningstilstand": Opkraevningstilstand.BERO}, dt.date(2025, 3, 10), "i bero"),
        ({"inddrivelse": True}, dt.date(2025, 3, 10), "sendt til inddrivelse"),
        (
            {"opkraevningstilstand": Opkraevningstilstand.INDDRIVELSE},
            dt.date(2025, 3, 10),
            "sendt til inddrivelse",
        ),
        ({}, FORFALD, "forfalder først 20-02-2025"),
        ({"forfaldsdato": None}, dt.date(2025, 3, 10), "ingen forfaldsdato"),
    ],
)
def test_a_claim_that_may_not_be_reminded_is_refused_and_nothing_changes(bent, felter, dag, besked):
    f = fordring(**felter)
    with paa(dag), pytest.raises(ApplicationError, match=besked):
        rykker_send(user=bent, fordring_id=f.pk)
    _ingen_spor(f)


def test_a_paid_claim_is_refused(bent):
    f = fordring()
    postering_bogfoer(
        fordring=f,
        art=PosteringArt.DAEKNING,
        beloeb=D("5000.00"),
        valoerdato=dt.date(2025, 3, 1),
        user=None,
    )
    with paa(dt.date(2025, 3, 10)), pytest.raises(ApplicationError, match="betalt"):
        rykker_send(user=bent, fordring_id=f.pk)
    _ingen_spor(f)


def test_the_next_reminder_waits_ten_days(bent):
    f = fordring()
    with paa(dt.date(2025, 3, 10)):
        rykker_send(user=bent, fordring_id=f.pk)
    with (
        paa(dt.date(2025, 3, 19)),
        pytest.raises(ApplicationError, match="den næste kan sendes fra 20-03-2025"),
    ):
        rykker_send(user=bent, fordring_id=f.pk)
    _ingen_spor(f, niveau=1, dokumenter=1)
    with paa(dt.date(2025, 3, 20)):
        anden = rykker_send(user=bent, fordring_id=f.pk)
    assert anden.gebyr is not None
    f.refresh_from_db()
    assert (f.rykkerniveau, f.restance) == (2, D("5500.00"))


def test_another_kommunes_claim_is_not_found(olga):
    f = fordring()
    with paa(dt.date(2025, 3, 10)), pytest.raises(ApplicationError, match="findes ikke"):
        rykker_send(user=olga, fordring_id=f.pk)
    _ingen_spor(f)


def test_the_fee_table_is_append_only():
    sats = Gebyrsats.objects.get(renteregime=Renteregime.OPKRAEVNINGSLOVEN_7)
    assert (sats.beloeb, sats.hoejst_pr_fordring, sats.mindste_interval_dage) == (
        D("250.00"),
        3,
        10,
    )
    with pytest.raises(AppendOnlyError):
        Gebyrsats.objects.update(beloeb=D("1.00"))
    if connection.vendor == "postgresql":
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE fordringer_gebyrsats SET beloeb = 1")


# --- The claim page and the API ----------------------------------------------------------------


def logget_ind(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_claim_page_says_what_the_next_reminder_carries_and_sends_it(alice):
    f = fordring()
    client = logget_ind(alice)
    with paa(dt.date(2025, 3, 10)):
        side = client.get(f"/fordringer/{f.pk}/").content.decode()
        assert "Send rykker med gebyr på 250,00 kr." in side
        svar = client.post(f"/fordringer/{f.pk}/rykker/", {"begrundelse": ""}, follow=True)
    html = svar.content.decode()
    assert "er sendt med Digital Post, og der er bogført et rykkergebyr på 250,00 kr." in html
    assert "Send rykker med" not in html  # the next one waits ten days, and the page says so
    assert "den næste kan sendes fra 20-03-2025" in html
    assert Postering.objects.filter(fordring=f, art=PosteringArt.GEBYR).count() == 1


def test_a_too_long_remark_on_the_page_is_refused_in_danish_and_nothing_is_sent(alice):
    f = fordring()
    client = logget_ind(alice)
    with paa(dt.date(2025, 3, 10)):
        svar = client.post(f"/fordringer/{f.pk}/rykker/", {"begrundelse": "x" * 256}, follow=True)
    assert "Bemærkningen må højst være 255 tegn." in svar.content.decode()
    _ingen_spor(f)


def test_the_project_lead_sees_the_rule_but_may_not_send(pia):
    f = fordring()
    client = logget_ind(pia)
    with paa(dt.date(2025, 3, 10)):
        side = client.get(f"/fordringer/{f.pk}/").content.decode()
        assert "Med rykkergebyr på 250,00 kr." in side
        assert "rykker-knap" not in side
        assert client.post(f"/fordringer/{f.pk}/rykker/").status_code == 403
    _ingen_spor(f)


def test_the_api_tells_and_sends_once_per_key(bent, olga):
    f = fordring()
    api = api_som(bent)
    url = f"/api/v1/fordringer/{f.pk}/rykker/"
    with paa(dt.date(2025, 3, 10)):
        vurdering = api.get(url).json()
        assert vurdering["kan_sendes"] is True and vurdering["gebyr"] == "250.00"
        assert api_som(olga).get(url).status_code == 404
        odense = api_som(olga).post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="r-o")
        assert odense.status_code == 404
        for_lang = api.post(
            url, {"begrundelse": "x" * 256}, format="json", HTTP_IDEMPOTENCY_KEY="r-0"
        )
        assert for_lang.status_code == 400
        _ingen_spor(f)
        foerste = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
        anden = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
        assert foerste.status_code == 201, foerste.content
        assert foerste.json() == anden.json()
        data = foerste.json()
        assert (data["gebyr"], data["rykkerniveau"]) == ("250.00", 1)
        assert data["dokument"]["type"] == "RYKKER" and data["dokument"]["status"] == "FAERDIG"
        igen = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="r-2")
        assert igen.status_code == 400
        assert "20-03-2025" in str(igen.json())
        assert api.get(url).json()["kan_sendes"] is False
    _ingen_spor(f, niveau=1, dokumenter=1)
