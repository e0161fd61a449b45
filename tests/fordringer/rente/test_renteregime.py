"""The interest regime is data per claim type (DESIGN §7, issue "Omposter fordeling").

A claim gets the regime that ``Renteregimeregel`` names for its ydelsestype on its due date,
when its ydelsestype becomes known: on linking (by a run or a person) and on import.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fordringer.choices import PosteringArt, Renteregime
from fordringer.importer import import_kmd_aktiv
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Fordring, Renteregimeregel, Ydelsestype
from fordringer.rente.services import rente_aendring
from fordringer.tilknytning.services import debitorkonto_tilknyt
from tests.factories import BevillingFactory, BorgerFactory, FordringFactory, SagFactory
from tests.fordringer.importer.test_import import grunddata, skriv_udtraek


def regel(kode: str, regime: Renteregime, fra: dt.date) -> Renteregimeregel:
    return Renteregimeregel.objects.create(
        ydelsestype=Ydelsestype.objects.get(kode=kode),
        renteregime=regime,
        gyldig_fra=fra,
        kilde="Testkilde",
    )


@pytest.fixture
def borger(db):
    return BorgerFactory.create()


def link(fordring: Fordring, ydelseskode: str, user) -> Fordring:
    sag = SagFactory.create(borger=fordring.konto.borger)
    bevilling = BevillingFactory.create(
        borger=fordring.konto.borger, ydelseskode=ydelseskode, sag=sag
    )
    debitorkonto_tilknyt(konto=fordring.konto, bevilling=bevilling, sag=sag, user=user, manual=True)
    fordring.refresh_from_db()
    return fordring


def test_linking_gives_claims_the_regime_of_their_type_on_their_due_date(borger, alice):
    """Kontanthjælp carries gebyrloven § 3 from 2024 and opkrævningsloven § 7 from 2025: a
    claim due in March 2024 gets § 3, one due in February 2025 gets § 7 (the rows' valid-from
    dates decide, not the day of linking)."""
    regel("KONTANTHJAELP", Renteregime.GEBYRLOVEN_3, dt.date(2024, 1, 1))
    regel("KONTANTHJAELP", Renteregime.OPKRAEVNINGSLOVEN_7, dt.date(2025, 1, 1))
    gammel = FordringFactory.create(
        konto__borger=borger, ydelsestype=None, forfaldsdato=dt.date(2024, 3, 1)
    )
    ny = FordringFactory.create(
        konto=gammel.konto, ydelsestype=None, forfaldsdato=dt.date(2025, 2, 1)
    )

    link(gammel, "KTH", alice)
    ny.refresh_from_db()

    assert gammel.renteregime == Renteregime.GEBYRLOVEN_3
    assert ny.renteregime == Renteregime.OPKRAEVNINGSLOVEN_7


def test_a_claim_due_before_any_rule_or_of_a_type_without_rules_has_no_interest(borger, alice):
    regel("UDDANNELSESHJAELP", Renteregime.GEBYRLOVEN_3, dt.date(2024, 6, 1))
    foer = FordringFactory.create(
        konto__borger=borger, ydelsestype=None, forfaldsdato=dt.date(2024, 3, 1)
    )
    link(foer, "UDH", alice)
    assert foer.renteregime == Renteregime.INGEN

    anden_type = FordringFactory.create(ydelsestype=None, forfaldsdato=dt.date(2024, 9, 1))
    link(anden_type, "KTH", alice)
    assert anden_type.renteregime == Renteregime.INGEN


def test_a_claim_with_booked_interest_keeps_its_regime(borger, alice, bent):
    """Booked interest must stay reproducible from the claim and its entries, so a new rule
    does not change the regime of a claim that already has RENTE entries."""
    fordring = FordringFactory.create(
        konto__borger=borger, ydelsestype=None, renteregime=Renteregime.OPKRAEVNINGSLOVEN_7
    )
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.RENTE,
        beloeb=Decimal("5.00"),
        valoerdato=dt.date(2024, 3, 31),
        user=bent,
    )
    regel("KONTANTHJAELP", Renteregime.GEBYRLOVEN_3, dt.date(2000, 1, 1))
    link(fordring, "KTH", alice)
    assert fordring.renteregime == Renteregime.OPKRAEVNINGSLOVEN_7


def test_the_stamped_regime_drives_the_interest_computed_from_the_ledger(borger, alice):
    """Gebyrloven § 3 at 1 % a month (the shipped rate) on 1.000,00 kr. due 1 March 2024:
    on 1 March, 1 April and 1 May 10,00 kr. each = 30,00 kr. up to 15 May 2024. Before the
    rule the same claim computes no interest at all."""
    fordring = FordringFactory.create(
        konto__borger=borger, ydelsestype=None, forfaldsdato=dt.date(2024, 3, 1)
    )
    assert rente_aendring(fordring=fordring, til_dato=dt.date(2024, 5, 15)).bogfoer == []

    regel("KONTANTHJAELP", Renteregime.GEBYRLOVEN_3, dt.date(2020, 1, 1))
    link(fordring, "KTH", alice)

    bogfoer = rente_aendring(fordring=fordring, til_dato=dt.date(2024, 5, 15)).bogfoer
    assert [(r.dato, r.beloeb) for r in bogfoer] == [
        (dt.date(2024, 3, 1), Decimal("10.00")),
        (dt.date(2024, 4, 1), Decimal("10.00")),
        (dt.date(2024, 5, 1), Decimal("10.00")),
    ]


@pytest.mark.parametrize("masse", [False, True])
def test_the_import_stamps_new_claims_that_arrive_with_a_known_type(tmp_path, db, settings, masse):
    """F1 (KTH, due 01-05-2024) and F4 (KTH, due 01-02-2024) get the regime; F2 has an unknown
    code and F3 (UDH) a type without a rule, so they keep no interest."""
    settings.KY_IMPORT_MASSE_GRAENSE = 0 if masse else 10**12
    regel("KONTANTHJAELP", Renteregime.OPKRAEVNINGSLOVEN_7, dt.date(2024, 1, 1))

    import_kmd_aktiv(skriv_udtraek(tmp_path, grunddata()))

    regimer = dict(Fordring.objects.values_list("fordringsid", "renteregime"))
    assert regimer == {
        "F1": Renteregime.OPKRAEVNINGSLOVEN_7,
        "F2": Renteregime.INGEN,
        "F3": Renteregime.INGEN,
        "F4": Renteregime.OPKRAEVNINGSLOVEN_7,
    }
