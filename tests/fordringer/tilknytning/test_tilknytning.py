"""debitorkonto_tilknyt: link, stamp, release parked dækninger, audit (DESIGN §3, §4.5, §5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fordringer.choices import PosteringArt, SagStatus, Tilknytning
from fordringer.konto.selectors import parkeret_for_konto
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import EIndkomstLinje, Parkering, Sag, Ydelsestype
from fordringer.tilknytning.services import FordringValg, debitorkonto_tilknyt
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent
from tests.factories import BevillingFactory, BorgerFactory, FordringFactory, SagFactory


@pytest.fixture
def borger(db):
    return BorgerFactory.create()


@pytest.fixture
def konto_med_daekning(borger, bent):
    """A KMD Aktiv konto with one claim for January 2024 and a dækning paid in 2026."""
    fordring = FordringFactory.create(konto__borger=borger, ydelseskode="KTH", ydelsestype=None)
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("200.00"),
        valoerdato=dt.date(2026, 2, 10),
        user=bent,
    )
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.AFSKRIVNING,
        beloeb=Decimal("50.00"),
        valoerdato=dt.date(2026, 2, 11),
        user=bent,
    )
    return fordring.konto


def test_daekning_on_unlinked_kmd_aktiv_konto_is_parked(konto_med_daekning):
    assert parkeret_for_konto(konto_med_daekning) == Decimal("250.00")


def test_linking_to_bevilling_with_own_sag_stamps_claims_and_releases_parked(
    konto_med_daekning, borger, alice
):
    sag = SagFactory.create(borger=borger)
    bevilling = BevillingFactory.create(borger=borger, ydelseskode="KTH", sag=sag)
    konto = debitorkonto_tilknyt(
        konto=konto_med_daekning,
        bevilling=bevilling,
        sag=sag,
        user=alice,
        manual=True,
        begrundelse="Bevilling fundet i KMD Aktiv",
    )
    assert konto.sag == sag and konto.bevilling == bevilling
    assert konto.tilknytning == Tilknytning.MANUEL and konto.tilknyttet_af == alice
    fordring = konto.fordringer.get()
    assert fordring.kmd_aktiv_reference == bevilling.bevillingsnummer
    assert fordring.ydelsestype == Ydelsestype.objects.get(kode="KONTANTHJAELP")
    assert parkeret_for_konto(konto) == Decimal("0.00")
    assert Parkering.objects.filter(konto=konto, frigivet__isnull=False).count() == 2
    # Only the dækning (not the afskrivning) is reported; kontanthjælp is § 8 O in 2026.
    indberetning = EIndkomstLinje.objects.get()
    assert (indberetning.indkomstaar, indberetning.beloeb) == (2026, Decimal("200.00"))
    assert indberetning.cpr == borger.cpr
    event = AuditEvent.objects.get(handling="debitorkonto.tilknyt")
    assert event.bruger == alice and event.begrundelse == "Bevilling fundet i KMD Aktiv"


def test_sagsoprettelse_creates_an_open_sag_and_ties_the_bevilling_to_it(
    konto_med_daekning, borger, alice
):
    bevilling = BevillingFactory.create(borger=borger, ydelseskode="UDH")
    konto = debitorkonto_tilknyt(
        konto=konto_med_daekning, bevilling=bevilling, sag=None, user=None, manual=False
    )
    sag = konto.sag
    assert sag is not None and sag.ydelsestype is not None
    assert sag.oprettet_ved_tilknytning and sag.status == SagStatus.AABEN
    assert sag.borger == borger and sag.ydelsestype.kode == "UDDANNELSESHJAELP"
    bevilling.refresh_from_db()
    assert bevilling.sag == sag
    assert konto.tilknytning == Tilknytning.AUTOMATISK
    assert AuditEvent.objects.filter(handling="sag.opret", objekt_id=str(sag.pk)).exists()


def test_no_eindkomst_row_for_ydelsestype_not_covered_that_year(borger, bent, alice):
    """Uddannelseshjælp is covered by § 8 O only from income year 2026."""
    fordring = FordringFactory.create(konto__borger=borger, ydelseskode="UDH")
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("100.00"),
        valoerdato=dt.date(2025, 6, 1),
        user=bent,
    )
    bevilling = BevillingFactory.create(borger=borger, ydelseskode="UDH")
    debitorkonto_tilknyt(
        konto=fordring.konto, bevilling=bevilling, sag=None, user=alice, manual=True
    )
    assert not EIndkomstLinje.objects.exists()
    assert not Parkering.objects.filter(frigivet__isnull=True).exists()


def test_repayment_in_the_payout_year_is_a_correction_not_a_8o_row(borger, bent, alice):
    """Paid out in January 2026 and repaid in March 2026: the payout's income is corrected by
    -100,00 in 2026; no § 8 O deduction."""
    fordring = FordringFactory.create(
        konto__borger=borger, periode_fra=dt.date(2026, 1, 1), periode_til=dt.date(2026, 1, 31)
    )
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("100.00"),
        valoerdato=dt.date(2026, 3, 1),
        user=bent,
    )
    bevilling = BevillingFactory.create(borger=borger, ydelseskode="KTH")
    debitorkonto_tilknyt(
        konto=fordring.konto, bevilling=bevilling, sag=None, user=alice, manual=True
    )
    linje = EIndkomstLinje.objects.get()
    assert (linje.art, linje.indkomstaar, linje.beloeb) == ("KORREKTION", 2026, Decimal("-100.00"))
    assert linje.cpr == borger.cpr


def test_unknown_ydelseskode_links_but_keeps_dækninger_parked(konto_med_daekning, borger):
    bevilling = BevillingFactory.create(borger=borger, ydelseskode="XYZ")
    konto = debitorkonto_tilknyt(
        konto=konto_med_daekning, bevilling=bevilling, sag=None, user=None, manual=False
    )
    assert konto.er_tilknyttet
    assert konto.fordringer.get().ydelsestype is None
    assert parkeret_for_konto(konto) == Decimal("250.00")


def test_person_choice_per_fordring_wins(konto_med_daekning, borger, alice):
    fordring = konto_med_daekning.fordringer.get()
    bevilling = BevillingFactory.create(borger=borger, ydelseskode="XYZ")
    led = Ydelsestype.objects.get(kode="LEDIGHEDSYDELSE")
    debitorkonto_tilknyt(
        konto=konto_med_daekning,
        bevilling=bevilling,
        sag=None,
        user=alice,
        manual=True,
        fordring_valg={fordring.pk: FordringValg(" B-EGEN-1 ", led.pk)},
    )
    fordring.refresh_from_db()
    assert fordring.kmd_aktiv_reference == "B-EGEN-1"
    assert fordring.ydelsestype == led
    assert fordring.reference_kilde == Tilknytning.MANUEL


def test_automation_never_overrides_a_person(konto_med_daekning, borger, alice):
    sag = SagFactory.create(borger=borger)
    bevilling = BevillingFactory.create(borger=borger, sag=sag)
    debitorkonto_tilknyt(
        konto=konto_med_daekning, bevilling=bevilling, sag=sag, user=alice, manual=True
    )
    anden = BevillingFactory.create(borger=borger)
    with pytest.raises(ConflictError, match="manuelt"):
        debitorkonto_tilknyt(
            konto=konto_med_daekning, bevilling=anden, sag=None, user=None, manual=False
        )
    konto_med_daekning.refresh_from_db()
    assert konto_med_daekning.bevilling == bevilling
    assert Sag.objects.count() == 1


def test_bevilling_of_another_borger_is_refused_and_nothing_changes(konto_med_daekning, alice):
    fremmed = BevillingFactory.create()
    with pytest.raises(ApplicationError, match="tilhører ikke debitorkontoens borger"):
        debitorkonto_tilknyt(
            konto=konto_med_daekning, bevilling=fremmed, sag=None, user=alice, manual=True
        )
    konto_med_daekning.refresh_from_db()
    assert not konto_med_daekning.er_tilknyttet
    assert not Sag.objects.exists()
    assert not AuditEvent.objects.filter(handling__startswith="debitorkonto").exists()
