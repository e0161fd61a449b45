"""Every path that moves money keeps the borger's eIndkomst lines right, to the øre.

Kontanthjælp is covered by LL § 8 O in every year; uddannelseshjælp only from income year
2026 (DESIGN §7). A claim paid out in 2024 (the factories' period) repaid later gives a § 8 O
deduction in the repayment year; repaid in its own payout year it corrects that year's income.
The deadline for income year Y is 31 January Y+1: a line written later is an efterregulering.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from fordringer.choices import Kilde, PosteringArt, Renteregime, SamlingBeslutningType
from fordringer.ledger.services import postering_bogfoer, postering_tilbagefoer
from fordringer.models import (
    EIndkomstLinje,
    EIndkomstManuel,
    OmposteringAarsag,
    Postering,
    SamletFordring,
    Ydelsestype,
)
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.tilbagefoersel import ompostering_tilbagefoer
from fordringer.samling.services import samlingsbeslutning_opret
from fordringer.tilknytning.services import debitorkonto_tilknyt
from tests.factories import (
    BevillingFactory,
    BorgerFactory,
    DebitorkontoFactory,
    FordringFactory,
    IndbetalingFactory,
)
from tests.fordringer.samling import samling_data
from tests.screens.conftest import _driftsbruger, logget_paa

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def idag():
    """The tests run on 15 June 2026 unless they say otherwise: the 2025 deadline has passed,
    the 2026 one has not."""
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC)):
        yield


def linjer(cpr: str | None = None) -> list[tuple[str, int, D, bool, bool]]:
    """(art, year, amount, is a reversal, efterregulering) in the order written."""
    qs = EIndkomstLinje.objects.order_by("pk")
    if cpr is not None:
        qs = qs.filter(cpr=cpr)
    return [
        (
            linje.art,
            linje.indkomstaar,
            linje.beloeb,
            linje.tilbagefoerer_id is not None,
            linje.efterregulering,
        )
        for linje in qs
    ]


def netto(cpr: str, aar: int) -> D:
    return sum(
        (linje.beloeb for linje in EIndkomstLinje.objects.filter(cpr=cpr, indkomstaar=aar)),
        D("0.00"),
    )


def ky_fordring(borger, *, kode: str = "KTH", periode: dt.date = dt.date(2024, 1, 1), **felter):
    """A KY claim with a ydelsestype: its dækninger are income at once (never parked)."""
    return FordringFactory.create(
        konto=DebitorkontoFactory.create(borger=borger, kilde=Kilde.KY),
        ydelseskode=kode,
        ydelsestype=Ydelsestype.objects.get(koder__kode=kode),
        periode_fra=periode,
        periode_til=periode.replace(day=28),
        forfaldsdato=periode + dt.timedelta(days=60),
        renteregime=Renteregime.INGEN,
        **felter,
    )


def daek(fordring, beloeb: str, dato: dt.date, user, **felter) -> Postering:
    return postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=D(beloeb),
        valoerdato=dato,
        user=user,
        **felter,
    )


def test_release_after_the_deadline_is_an_efterregulering_and_before_it_is_not(bent, alice):
    """Two dækninger wait on an unlinked KMD Aktiv konto: 300,00 of 20-11-2025 and 120,50 of
    15-01-2026. The konto is linked on 2 February 2026: the 2025 line is written after
    31-01-2026 (efterregulering); the 2026 line is in time."""
    borger = BorgerFactory.create(cpr="0101801111")
    fordring = FordringFactory.create(konto__borger=borger, renteregime=Renteregime.INGEN)
    daek(fordring, "300.00", dt.date(2025, 11, 20), bent)
    daek(fordring, "120.50", dt.date(2026, 1, 15), bent)
    assert linjer() == []

    with time_machine.travel(dt.datetime(2026, 2, 2, 10, tzinfo=dt.UTC)):
        debitorkonto_tilknyt(
            konto=fordring.konto,
            bevilling=BevillingFactory.create(borger=borger, ydelseskode="KTH"),
            sag=None,
            user=alice,
            manual=True,
        )

    assert linjer() == [
        ("LL8O", 2025, D("300.00"), False, True),
        ("LL8O", 2026, D("120.50"), False, False),
    ]


def test_same_year_repayment_corrects_the_payout_and_a_reversal_cancels_it(bent):
    """Paid out in March 2026, 75,25 repaid on 04-05-2026: the 2026 income is corrected by
    -75,25. The dækning is then reversed: +75,25 points at the correction; net 0,00."""
    borger = BorgerFactory.create(cpr="0101802222")
    fordring = ky_fordring(borger, periode=dt.date(2026, 3, 1))
    daekning = daek(fordring, "75.25", dt.date(2026, 5, 4), bent)
    assert linjer() == [("KORREKTION", 2026, D("-75.25"), False, False)]

    postering_tilbagefoer(postering=daekning, user=bent, begrundelse="Fejlindbetaling")

    assert linjer() == [
        ("KORREKTION", 2026, D("-75.25"), False, False),
        ("KORREKTION", 2026, D("75.25"), True, False),
    ]
    korrektion, tilbage = EIndkomstLinje.objects.order_by("pk")
    assert tilbage.tilbagefoerer == korrektion and tilbage.postering == daekning
    assert netto(borger.cpr, 2026) == D("0.00")


def test_an_afskrivning_is_not_income(bent):
    fordring = ky_fordring(BorgerFactory.create())
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.AFSKRIVNING,
        beloeb=D("50.00"),
        valoerdato=dt.date(2026, 2, 1),
        user=bent,
    )
    assert linjer() == []


@pytest.fixture
def flyttet(bent):
    """Anna paid 500,00 on 30-12-2025 on her kontanthjælp claim paid out in 2024: § 8 O 2025.
    On 10-02-2026 - after the 2025 deadline - the payment is moved to Bo's uddannelseshjælp
    claim paid out in June 2025: for Bo a same-year repayment, a correction of 2025."""
    anna = BorgerFactory.create(navn="Anna", cpr="0202801234")
    bo = BorgerFactory.create(navn="Bo", cpr="0303801234")
    fa = ky_fordring(anna)
    fb = ky_fordring(bo, kode="UDH", periode=dt.date(2025, 6, 1))
    betalt = dt.date(2025, 12, 30)
    indbetaling = IndbetalingFactory.create(borger=anna, beloeb=D("500.00"), valoerdato=betalt)
    with time_machine.travel(dt.datetime(2025, 12, 30, 12, tzinfo=dt.UTC)):
        daekning = daek(fa, "500.00", betalt, bent, indbetaling=indbetaling)
    assert linjer() == [("LL8O", 2025, D("500.00"), False, False)]

    idag = dt.date(2026, 2, 10)
    with time_machine.travel(dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC)):
        ompostering = ompostering_opret(
            user=bent,
            daekning_ids=[daekning.pk],
            aarsag_id=OmposteringAarsag.objects.order_by("pk")[0].pk,
            til_borger_id=bo.pk,
            fordeling=[NyDaekning(fb.pk, D("500.00"))],
            idag=idag,
        )
    return anna, bo, ompostering


def test_ompostering_to_another_borger_across_the_year_boundary(flyttet):
    anna, bo, _ompostering = flyttet
    # Anna's deduction is reversed, Bo's 2025 income corrected; both written after the
    # 2025 deadline, so both change an årsopgørelse already made.
    assert linjer(anna.cpr) == [
        ("LL8O", 2025, D("500.00"), False, False),
        ("LL8O", 2025, D("-500.00"), True, True),
    ]
    assert linjer(bo.cpr) == [("KORREKTION", 2025, D("-500.00"), False, True)]
    assert (netto(anna.cpr, 2025), netto(bo.cpr, 2025)) == (D("0.00"), D("-500.00"))


def test_rolling_back_the_ompostering_restores_what_anna_and_bo_report(flyttet, bent):
    anna, bo, ompostering = flyttet
    with time_machine.travel(dt.datetime(2026, 2, 11, 9, tzinfo=dt.UTC)):
        ompostering_tilbagefoer(
            user=bent,
            ompostering_id=ompostering.pk,
            begrundelse="Forkert borger",
            idag=dt.date(2026, 2, 11),
        )
    assert linjer(bo.cpr) == [
        ("KORREKTION", 2025, D("-500.00"), False, True),
        ("KORREKTION", 2025, D("500.00"), True, True),
    ]
    # Anna's dækning is booked again as it was: a new § 8 O line of 500,00 for 2025.
    assert linjer(anna.cpr)[-1] == ("LL8O", 2025, D("500.00"), False, True)
    assert (netto(anna.cpr, 2025), netto(bo.cpr, 2025)) == (D("500.00"), D("0.00"))


def test_samling_moves_the_restance_but_not_the_income_and_later_payments_keep_their_type(
    alice, bent
):
    """Karl's KMD Aktiv claim FA-1 (kontanthjælp, paid out 2024, 1.000,00) got 200,00 on
    01-03-2026 (§ 8 O 2026: +200,00). Merging moves the 800,00 left to his KY konto: no line
    changes. 100,00 paid on the merged claim on 01-04-2026 is § 8 O 2026 too: +100,00."""
    d = samling_data.opret()
    daek(d.f1, "200.00", dt.date(2026, 3, 1), bent)
    assert linjer() == [("LL8O", 2026, D("200.00"), False, False)]

    beslutning = samlingsbeslutning_opret(
        user=alice,
        konto_id=d.kmd.pk,
        beslutning=SamlingBeslutningType.SAML,
        begrundelse="Samme ydelse",
        ky_konto_id=d.ky.pk,
        idag=dt.date(2026, 3, 15),
    )
    assert linjer() == [("LL8O", 2026, D("200.00"), False, False)]

    ny = SamletFordring.objects.get(beslutning=beslutning, fra_fordring=d.f1).til_fordring
    daek(ny, "100.00", dt.date(2026, 4, 1), bent)
    assert linjer() == [
        ("LL8O", 2026, D("200.00"), False, False),
        ("LL8O", 2026, D("100.00"), False, False),
    ]
    assert netto(d.borger.cpr, 2026) == D("300.00")


def test_the_2025_2026_list_change(bent):
    """Uddannelseshjælp paid out in 2024: repaid 31-12-2025 it is outside the 2025 § 8 O list
    (nothing); repaid 01-01-2026 it is inside the 2026 list (+100,00)."""
    borger = BorgerFactory.create(cpr="0404801234")
    fordring = ky_fordring(borger, kode="UDH")
    daek(fordring, "100.00", dt.date(2025, 12, 31), bent)
    assert linjer() == []
    daek(fordring, "100.00", dt.date(2026, 1, 1), bent)
    assert linjer() == [("LL8O", 2026, D("100.00"), False, False)]


def test_a_changed_ydelsestype_of_a_linked_claim_reverses_and_rewrites(bent, alice):
    """Linked as kontanthjælp, 250,00 repaid 01-05-2025 is § 8 O 2025. The caseworker relinks
    the konto to the right bevilling, uddannelseshjælp, which the 2025 list does not cover:
    the line is reversed and nothing new is written."""
    borger = BorgerFactory.create(cpr="0505801234")
    fordring = FordringFactory.create(konto__borger=borger, renteregime=Renteregime.INGEN)
    debitorkonto_tilknyt(
        konto=fordring.konto,
        bevilling=BevillingFactory.create(borger=borger, ydelseskode="KTH"),
        sag=None,
        user=alice,
        manual=True,
    )
    daek(fordring, "250.00", dt.date(2025, 5, 1), bent)
    assert linjer() == [("LL8O", 2025, D("250.00"), False, True)]

    fordring.konto.refresh_from_db()
    debitorkonto_tilknyt(
        konto=fordring.konto,
        bevilling=BevillingFactory.create(borger=borger, ydelseskode="UDH"),
        sag=None,
        user=alice,
        manual=True,
    )
    fordring.refresh_from_db()
    assert fordring.ydelsestype.kode == "UDDANNELSESHJAELP"
    assert linjer() == [
        ("LL8O", 2025, D("250.00"), False, True),
        ("LL8O", 2025, D("-250.00"), True, True),
    ]


def test_a_period_corrected_in_the_administration_moves_the_line(bent):
    """Drift corrects the claim's period from 2024 to March 2026: the 80,00 repaid on
    01-05-2026 was then a same-year repayment, not § 8 O: the deduction is reversed and the
    payout's income corrected instead."""
    borger = BorgerFactory.create(cpr="0606801234")
    fordring = ky_fordring(borger)
    daek(fordring, "80.00", dt.date(2026, 5, 1), bent)
    assert linjer() == [("LL8O", 2026, D("80.00"), False, False)]

    klient = logget_paa(_driftsbruger("dorte", 101))
    url = reverse("admin:fordringer_fordring_change", args=[fordring.pk])
    form = klient.get(url).context["adminform"].form
    data = {}
    for navn, felt in form.fields.items():
        vaerdi = form.initial.get(navn)
        if vaerdi is None:
            continue
        data[navn] = felt.widget.format_value(vaerdi)
    data["periode_fra"] = "01-03-2026"
    data["periode_til"] = "31-03-2026"
    svar = klient.post(url, {k: v for k, v in data.items() if v is not None})
    assert svar.status_code == 302, svar.context["adminform"].form.errors

    assert linjer() == [
        ("LL8O", 2026, D("80.00"), False, False),
        ("LL8O", 2026, D("-80.00"), True, False),
        ("KORREKTION", 2026, D("-80.00"), False, False),
    ]


@pytest.mark.postgres
def test_the_database_refuses_to_rewrite_a_line_or_a_by_hand_amount(bent):
    borger = BorgerFactory.create(cpr="0808801234")
    daek(ky_fordring(borger), "40.00", dt.date(2026, 2, 1), bent)
    EIndkomstManuel.objects.create(
        kommune=borger.kommune,
        cpr=borger.cpr,
        indkomstaar=2026,
        beloeb=D("5.00"),
        kilde="ADMIN",
        aktoer="test",
    )
    for tabel in ("fordringer_eindkomstlinje", "fordringer_eindkomstmanuel"):
        for sql in (f"UPDATE {tabel} SET beloeb = 1", f"DELETE FROM {tabel}"):
            with (
                pytest.raises(IntegrityError, match="kun til tilføjelse"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
    assert linjer() == [("LL8O", 2026, D("40.00"), False, False)]
