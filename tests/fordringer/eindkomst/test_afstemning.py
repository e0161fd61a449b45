"""The reconciliation per kommune and income year: expected (recomputed from the ledger)
against the reporting ledger, what delivered batches sent, what they netted and what the
kommune reported by hand — every difference per borger, first (issue: "No double reporting",
"Reconciliation report")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordringer.choices import BeskedStatus, EIndkomstArt, Kilde, ManuelKilde, PosteringArt
from fordringer.eindkomst.afstemning import (
    AfstemningRaekke,
    afstemning_indkomstaar,
    eindkomst_afstemning,
)
from fordringer.eindkomst.beregning import Daekning, linje_for
from fordringer.eindkomst.manuel import eindkomst_manuel_annuller, eindkomst_manuel_opret
from fordringer.ledger.services import postering_bogfoer, postering_tilbagefoer
from fordringer.models import EIndkomstLinje
from tests.factories import BorgerFactory, FordringFactory, kommune

from .afstemning_data import borger_med_ll8o, forsendelse, kontanthjaelp

D = Decimal
IDAG = dt.date(2026, 12, 5)


def beloeb(r: AfstemningRaekke) -> dict[str, Decimal]:
    return {
        "forventet": r.forventet,
        "linjer": r.linjer,
        "indberettet": r.indberettet,
        "manuelt": r.manuelt,
        "modregnet": r.modregnet,
        "afventer": r.afventer,
        "forskel": r.forskel,
        "manuelt_ikke_modregnet": r.manuelt_ikke_modregnet,
    }


def kr(**felter: str) -> dict[str, Decimal]:
    nul = dict.fromkeys(
        (
            "forventet",
            "linjer",
            "indberettet",
            "manuelt",
            "modregnet",
            "afventer",
            "forskel",
            "manuelt_ikke_modregnet",
        ),
        D("0.00"),
    )
    return nul | {k: D(v) for k, v in felter.items()}


def afstem(aar: int = 2026, kode: int = 101):
    return eindkomst_afstemning(kommune_id=kommune(kode).pk, indkomstaar=aar)


def manuelt(user, cpr: str, beloeb: str, aar: int = 2026):
    return eindkomst_manuel_opret(
        user=user,
        cpr=cpr,
        indkomstaar=aar,
        beloeb=D(beloeb),
        tekst="Indberettet i eIndkomst",
        kilde=ManuelKilde.SKAERM,
        idag=IDAG,
    )


@pytest.fixture
def erik(db, bent):
    """Erik repaid 300,00 of his 2024 kontanthjælp on 2 March 2026: § 8 O 300,00 in 2026."""
    return borger_med_ll8o(bogholder=bent)


def test_by_hand_amount_is_netted_and_nothing_is_left(erik, bent):
    borger, _ = erik
    manuelt(bent, borger.cpr, "200.00")

    # Nothing sent yet: 300,00 waits, of which the batch will net the 200,00 reported by hand.
    (raekke,) = afstem().raekker
    assert (raekke.cpr, raekke.art) == (borger.cpr, EIndkomstArt.LL8O)
    assert beloeb(raekke) == kr(
        forventet="300.00",
        linjer="300.00",
        manuelt="200.00",
        afventer="300.00",
        manuelt_ikke_modregnet="200.00",
    )
    assert not afstem().afvigelser

    # A batch netted 200,00 and sent 100,00, but the receiver has not acknowledged it.
    linje = EIndkomstLinje.objects.get()
    batch = forsendelse(linjer=[linje], modregnet=D("200.00"), status=BeskedStatus.AFVENTER)
    assert beloeb(afstem().raekker[0]) == beloeb(raekke)

    # Delivered: 100,00 reported, 200,00 netted, nothing waits, nothing is left.
    assert batch.besked is not None
    batch.besked.status = BeskedStatus.SENDT
    batch.besked.save(update_fields=["status"])
    afstemning = afstem()
    assert beloeb(afstemning.raekker[0]) == kr(
        forventet="300.00",
        linjer="300.00",
        indberettet="100.00",
        manuelt="200.00",
        modregnet="200.00",
    )
    assert not afstemning.afvigelser
    assert beloeb(afstemning.total) == beloeb(afstemning.raekker[0])


def test_a_reversed_dækning_after_netting_balances_through_the_correction(erik, bent):
    borger, fordring = erik
    manuelt(bent, borger.cpr, "200.00")
    forsendelse(linjer=[EIndkomstLinje.objects.get()], modregnet=D("200.00"))
    daekning = fordring.posteringer.get(art=PosteringArt.DAEKNING)
    postering_tilbagefoer(postering=daekning, user=bent, begrundelse="Fejlbogført")

    # The ledger no longer calls for the line; its reversal (-300,00) waits to be sent.
    (raekke,) = afstem().raekker
    assert beloeb(raekke) == kr(
        indberettet="100.00", manuelt="200.00", modregnet="200.00", afventer="-300.00"
    )
    assert not raekke.afviger


def test_more_reported_by_hand_than_the_ledger_calls_for_is_a_difference(erik, bent):
    borger, _ = erik
    manuelt(bent, borger.cpr, "500.00")
    forsendelse(linjer=[EIndkomstLinje.objects.get()], modregnet=D("300.00"))

    (raekke,) = afstem().afvigelser
    assert beloeb(raekke) == kr(
        forventet="300.00",
        linjer="300.00",
        manuelt="500.00",
        modregnet="300.00",
        manuelt_ikke_modregnet="200.00",
    )


def test_a_by_hand_amount_cancelled_after_it_was_netted_is_a_difference(erik, bent):
    borger, _ = erik
    row = manuelt(bent, borger.cpr, "200.00")
    forsendelse(linjer=[EIndkomstLinje.objects.get()], modregnet=D("200.00"))
    eindkomst_manuel_annuller(user=bent, manuel_id=row.pk, begrundelse="Forkert borger")

    (raekke,) = afstem().afvigelser
    assert raekke.manuelt == D("0.00") and raekke.manuelt_ikke_modregnet == D("-200.00")
    assert raekke.forskel == D("0.00")


def test_a_line_the_ledger_does_not_call_for_is_listed_first(erik, bent):
    borger, fordring = erik
    anders = BorgerFactory.create(cpr="0101011234", navn="Anders And")
    # Anders (0101…) comes before Erik (0502…) by CPR, but only Erik differs.
    anders_fordring = FordringFactory.create(
        konto__borger=anders, konto__kilde=Kilde.KY, ydelsestype=kontanthjaelp()
    )
    postering_bogfoer(
        fordring=anders_fordring,
        art=PosteringArt.DAEKNING,
        beloeb=D("40.00"),
        valoerdato=dt.date(2026, 5, 1),
        user=bent,
    )
    EIndkomstLinje.objects.create(  # written by mistake: the ledger calls for 300,00 only
        kommune_id=borger.kommune_id,
        postering=fordring.posteringer.get(art=PosteringArt.DAEKNING),
        art=EIndkomstArt.LL8O,
        cpr=borger.cpr,
        indkomstaar=2026,
        beloeb=D("12.34"),
        ydelsestype=kontanthjaelp(),
    )

    afstemning = afstem()
    assert [r.cpr for r in afstemning.raekker] == [borger.cpr, anders.cpr]
    erik_raekke, anders_raekke = afstemning.raekker
    assert erik_raekke.linjefejl and erik_raekke.afviger
    assert beloeb(erik_raekke) == kr(
        forventet="300.00", linjer="312.34", afventer="312.34", forskel="-12.34"
    )
    assert not anders_raekke.afviger
    assert [r.cpr for r in afstemning.afvigelser] == [borger.cpr]
    assert afstemning.antal_borgere == 2
    assert beloeb(afstemning.total) == kr(
        forventet="340.00", linjer="352.34", afventer="352.34", forskel="-12.34"
    )


def test_corrections_and_by_hand_amounts_are_kept_apart_by_art(db, bent):
    """Paid out and repaid in 2026: a correction of -100,00, never netted; a by-hand § 8 O
    amount with no § 8 O to net it against is a difference on the § 8 O row."""
    borger = BorgerFactory.create(cpr="0502824567")
    fordring = FordringFactory.create(
        konto__borger=borger,
        konto__kilde=Kilde.KY,
        ydelsestype=kontanthjaelp(),
        periode_fra=dt.date(2026, 1, 1),
        periode_til=dt.date(2026, 1, 31),
    )
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=D("100.00"),
        valoerdato=dt.date(2026, 4, 1),
        user=bent,
    )
    manuelt(bent, borger.cpr, "50.00")

    korrektion, ll8o = afstem().raekker
    assert korrektion.art == EIndkomstArt.KORREKTION and ll8o.art == EIndkomstArt.LL8O
    assert beloeb(korrektion) == kr(forventet="-100.00", linjer="-100.00", afventer="-100.00")
    assert beloeb(ll8o) == kr(manuelt="50.00", manuelt_ikke_modregnet="50.00")
    assert ll8o.afviger and not korrektion.afviger


def test_another_kommune_and_another_year_see_nothing(erik, bent, odense):
    borger, _ = erik
    manuelt(bent, borger.cpr, "200.00")
    assert afstem(kode=461).raekker == ()
    assert afstem(aar=2025).raekker == ()
    assert afstemning_indkomstaar(kommune_id=borger.kommune_id) == [2026]
    assert afstemning_indkomstaar(kommune_id=odense.pk) == []


@given(
    valoer=st.dates(dt.date(2016, 1, 1), dt.date(2030, 12, 31)),
    udbetalt=st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))),
)
def test_the_rule_dates_every_line_in_its_daeknings_year(valoer, udbetalt):
    """The reconciliation reads only claims with a dækning in the income year; that is whole
    because the rule dates every line in its dækning's valør year."""
    d = Daekning(1, PosteringArt.DAEKNING, D("-10.00"), valoer, False, False, 7, udbetalt, "x")
    linje = linje_for(d, ll8o=lambda yt, aar: True, forsoergelse={7})
    assert linje is not None and linje.indkomstaar == valoer.year
