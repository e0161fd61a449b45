"""Omposter fordeling (seed 004): rollback, interest as if never, reallocation back-dated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from fordringer.choices import BeskedType, Opkraevningstilstand, PosteringArt, Renteregime
from fordringer.konto.selectors import kontoudtog
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import (
    Ompostering,
    Postering,
    Sagsbehandlerfordeling,
    UdgaaendeBesked,
)
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_automatisk, ompostering_opret
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent
from tests.factories import FordringFactory
from tests.fordringer.ompostering.ompostering_data import BETALT, IDAG, invarianter, opret, tilstand

D = Decimal


def renter(fordring):
    """The standing interest entries of a claim as (date, amount)."""
    return sorted(
        (p.valoerdato, p.beloeb)
        for p in fordring.posteringer.filter(art=PosteringArt.RENTE, tilbagefoert_af__isnull=True)
    )


@pytest.mark.django_db
def test_move_to_another_borger_back_dated_across_a_month_boundary(bent):
    """Anna's 500,00 of 28-01-2025 is moved from her claim FA to Bo's claim FB.

    FA (gebyrloven, 1.000,00 due 10-01): with the payment, 10,00 on 10/1, the payment covers
    10,00 + 490,00 leaving 510,00, then 5,10 on 10/2 and 10/3: restance 520,20. As if it had
    never been there: 10,00 on 10/1, 10/2 and 10/3: restance 1.030,00.

    FB (opkrævningsloven, 0,9 % a month in 2025, i.e. 0,108/365 a day, 2.000,00 due 15-01):
    without the payment 16 days to 31/1 = 9,47 and 28 days of February = 16,57: 2.026,04.
    With 500,00 dated 28-01 - across the January/February boundary: 13 days to 28/1 =
    2.000 x 0,108 x 13 / 365 = 7,693 -> 7,69 booked before the payment, which covers 7,69 of
    interest and 492,31 of principal, leaving 1.507,69; 29-31 January 3 days = 1,338 -> 1,34;
    February 28 days = 12,491 -> 12,49. Restance 2.000 + 21,52 - 500 = 1.521,52.
    """
    s = opret(bent)
    assert (s.fa.restance, s.fb.restance) == (D("520.20"), D("2026.04"))

    ompostering = ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(s.fb.pk, D("500.00"))],
        idag=IDAG,
    )

    s.fa.refresh_from_db()
    s.fb.refresh_from_db()
    assert s.fa.restance == D("1030.00")
    assert renter(s.fa) == [
        (dt.date(2025, 1, 10), D("10.00")),
        (dt.date(2025, 2, 10), D("10.00")),
        (dt.date(2025, 3, 10), D("10.00")),
    ]
    assert s.fb.restance == D("1521.52")
    assert renter(s.fb) == [
        (dt.date(2025, 1, 28), D("7.69")),
        (dt.date(2025, 1, 31), D("1.34")),
        (dt.date(2025, 2, 28), D("12.49")),
    ]
    ny = s.fb.posteringer.get(art=PosteringArt.DAEKNING)
    assert (ny.valoerdato, ny.beloeb, ny.indbetaling_id) == (BETALT, D("-500.00"), s.indbetaling.pk)
    s.indbetaling.refresh_from_db()
    assert s.indbetaling.daekket == D("500.00")
    assert (ompostering.beloeb, ompostering.fordelt, ompostering.venter) == (
        D("500.00"),
        D("500.00"),
        D("0.00"),
    )
    invarianter()

    # Both kontoudtog show the move as "Ompostering"; both konti's history says who and why.
    for fordring, beloeb in ((s.fa, D("500.00")), (s.fb, D("-500.00"))):
        linjer = [lin for lin in kontoudtog(fordring.konto) if lin.art == "Ompostering"]
        assert [lin.beloeb for lin in linjer] == [beloeb]
        haendelse = AuditEvent.objects.get(
            handling="ompostering.opret", objekt_id=str(fordring.konto_id)
        )
        assert haendelse.bruger == bent
        assert haendelse.begrundelse == s.aarsag.tekst


@pytest.mark.django_db
def test_move_within_one_borger_is_not_an_ompostering_on_the_kontoudtog(bent):
    """Seed 004: within one konto the kontoudtog shows only the current dækning; the move is
    in the history."""
    s = opret(bent)
    anden = FordringFactory.create(
        konto=s.fa.konto, fordringsid="FA2", hovedstol=D("300.00"), forfaldsdato=dt.date(2024, 6, 1)
    )
    ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        fordeling=[NyDaekning(anden.pk, D("300.00"))],
        idag=IDAG,
    )
    linjer = kontoudtog(s.fa.konto)
    assert "Ompostering" not in {lin.art for lin in linjer}
    daekninger = [(lin.fordringsid, lin.beloeb) for lin in linjer if lin.art == "Dækning"]
    assert daekninger == [("FA2", D("-300.00"))]
    assert linjer[-1].saldo == D("1030.00")  # FA 1.030,00 + FA2 0,00
    assert AuditEvent.objects.filter(
        handling="ompostering.opret", objekt_id=str(s.fa.konto_id)
    ).exists()
    # The 200,00 not allocated waits on the sagsbehandlerfordeling list.
    post = Sagsbehandlerfordeling.objects.get()
    assert (post.beloeb, post.borger, post.valoerdato) == (D("200.00"), s.anna, BETALT)
    invarianter()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("aendring", "fejl"),
    [
        ({"daekning_ids": []}, "Vælg mindst én dækning at ompostere."),
        ({"aarsag_id": None}, "Vælg en årsag til omposteringen."),
        ({"note": "x" * 256}, "Noten må højst være 255 tegn."),
        (
            {"fordeling": "FB:2500.00"},
            "Indtastet beløb til dækning (2.500,00 kr.) må ikke være større end restancen på "
            "fordring FB (2.026,04 kr.).",
        ),
        (
            {"fordeling": "FB:500.01"},
            "Det samlede beløb til dækning og udbetaling (500,01 kr.) må ikke være større end "
            "det samlede omposteringsbeløb (500,00 kr.).",
        ),
        (
            {"fordeling": "FB:0.00"},
            "Beløbet til dækning af fordring FB skal være større end 0,00 kr.",
        ),
        ({"fordeling": "FA3:10.00"}, "En valgt fordring tilhører ikke den valgte borger."),
    ],
)
def test_every_validation_error_is_danish_and_changes_nothing(bent, aendring, fejl):
    s = opret(bent)
    FordringFactory.create(fordringsid="FA3", konto=s.fa.konto)
    kwargs: dict[str, Any] = {
        "user": bent,
        "daekning_ids": [s.daekning.pk],
        "aarsag_id": s.aarsag.pk,
        "til_borger_id": s.bo.pk,
        "fordeling": [NyDaekning(s.fb.pk, D("500.00"))],
        "idag": IDAG,
    }
    if isinstance(aendring.get("fordeling"), str):
        fordringsid, beloeb = aendring.pop("fordeling").split(":")
        fordring = Postering.objects.filter(fordring__fordringsid=fordringsid).first().fordring
        kwargs["fordeling"] = [NyDaekning(fordring.pk, D(beloeb))]
    kwargs.update(aendring)
    foer = tilstand()
    with pytest.raises(ApplicationError) as info:
        ompostering_opret(**kwargs)
    assert fejl in info.value.message
    assert tilstand() == foer


@pytest.mark.django_db
def test_amount_that_the_back_dated_interest_makes_too_large_is_refused_with_the_maximum(bent):
    """FB owes 2.026,04 today, but paid on 28-01 it owes only its principal and the interest
    to that day, 2.000,00 + 7,69 = 2.007,69: covering 2.026,04 would leave a negative
    restance once the later interest is gone, so the person is told the most that fits."""
    s = opret(bent)
    s.indbetaling.beloeb = D("3000.00")
    s.indbetaling.save()
    stor = postering_bogfoer(
        fordring=FordringFactory.create(konto=s.fa.konto, hovedstol=D("2500.00")),
        art=PosteringArt.DAEKNING,
        beloeb=D("2500.00"),
        valoerdato=BETALT,
        user=bent,
        indbetaling=s.indbetaling,
    )
    foer = tilstand()
    with pytest.raises(ApplicationError, match=r"Der kan højst dækkes 2\.007,69 kr\."):
        ompostering_opret(
            user=bent,
            daekning_ids=[stor.pk],
            aarsag_id=s.aarsag.pk,
            til_borger_id=s.bo.pk,
            fordeling=[NyDaekning(s.fb.pk, D("2026.04"))],
            idag=IDAG,
        )
    assert tilstand() == foer


@pytest.mark.django_db
def test_the_same_daekning_cannot_be_moved_twice(bent, alice):
    s = opret(bent)
    kwargs: dict[str, Any] = {
        "daekning_ids": [s.daekning.pk],
        "aarsag_id": s.aarsag.pk,
        "idag": IDAG,
    }
    ompostering_opret(user=bent, **kwargs)
    foer = tilstand()
    with pytest.raises(ConflictError, match="allerede tilbageført eller omposteret"):
        ompostering_opret(user=alice, **kwargs)
    assert tilstand() == foer


@pytest.mark.django_db
def test_claim_under_inddrivelse_gets_an_update_message_and_keeps_its_rykkerniveau(bent):
    s = opret(bent)
    s.fb.opkraevningstilstand = Opkraevningstilstand.INDDRIVELSE
    s.fb.inddrivelse = True
    s.fb.rykkerniveau = 2
    s.fb.save()
    ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(s.fb.pk, D("500.00"))],
        idag=IDAG,
    )
    s.fb.refresh_from_db()
    assert s.fb.rykkerniveau == 2
    besked = UdgaaendeBesked.objects.get(type=BeskedType.INDDRIVELSE_OPDATERING)
    assert besked.payload["fordringsid"] == "FB"
    assert besked.payload["restance"] == "1521.52"
    assert besked.payload["rykkerniveau"] == 2


@pytest.mark.django_db
def test_lad_system_ompostere_covers_the_oldest_claims_first_and_leaves_the_rest(bent):
    """Anna's 500,00 is rolled back off FA and the system covers her other claims, oldest
    due date first: F-2023 (100,00, no interest) in full, then F-2024 (350,00) in full;
    the 50,00 left waits for a person. FA itself, where the money came from, is skipped."""
    s = opret(bent)
    nyere = FordringFactory.create(
        konto=s.fa.konto,
        fordringsid="F-2024",
        hovedstol=D("350.00"),
        forfaldsdato=dt.date(2024, 5, 1),
    )
    aeldre = FordringFactory.create(
        konto=s.fa.konto,
        fordringsid="F-2023",
        hovedstol=D("100.00"),
        forfaldsdato=dt.date(2023, 5, 1),
    )
    ompostering = ompostering_automatisk(
        user=bent, daekning_ids=[s.daekning.pk], aarsag_id=s.aarsag.pk, idag=IDAG
    )
    for fordring in (nyere, aeldre):
        fordring.refresh_from_db()
    assert (aeldre.restance, nyere.restance) == (D("0.00"), D("0.00"))
    assert (ompostering.fordelt, ompostering.venter) == (D("450.00"), D("50.00"))
    assert Sagsbehandlerfordeling.objects.get().beloeb == D("50.00")
    assert ompostering.automatisk
    invarianter()


@pytest.mark.django_db
def test_lad_system_ompostere_to_another_borger_covers_interest_before_principal(bent):
    """To Bo: FB can take at most what it owes on 28-01 once interest is recomputed, and the
    whole 500,00 goes there (FB owes far more)."""
    s = opret(bent)
    ompostering = ompostering_automatisk(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        idag=IDAG,
    )
    s.fb.refresh_from_db()
    assert s.fb.restance == D("1521.52")
    assert ompostering.til_borger == s.bo
    assert Ompostering.objects.count() == 1
    invarianter()


@pytest.mark.django_db
def test_claim_without_interest_regime_keeps_its_imported_interest(bent):
    """A claim without an interest regime keeps any interest it carries: nothing is
    recomputed there."""
    s = opret(bent)
    uden = FordringFactory.create(konto=s.bo.konti.get(), renteregime=Renteregime.INGEN)
    postering_bogfoer(
        fordring=uden, art=PosteringArt.RENTE, beloeb=D("12.34"), valoerdato=BETALT, user=bent
    )
    ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(uden.pk, D("100.00"))],
        idag=IDAG,
    )
    uden.refresh_from_db()
    assert uden.restance == D("912.34")
