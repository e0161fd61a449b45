"""Property: random sequences of payments, omposteringer (chosen or "Lad system ompostere",
to the same or the other borger, with payouts), reversals, the ways an amount leaves the
sagsbehandlerfordeling list (paid out, paid back to its payer, placed on the customer) and a
Bogholder's approval or rejection of a payout keep the ledger's invariants and never lose or
create money; rolling an ompostering back restores the exact earlier state. Each sequence ends
by taking every waiting amount off the list the new ways, after which the list is empty and
the money still adds up.

After every operation - accepted or refused - each claim's restance is ``>= 0`` and equals its
ledger; each payment covers at most its amount, exactly what its lines say; every ompostering
adds up (``beloeb = fordelt + udbetalt + venter``); every amount rolled back by an ompostering
is again covering claims, paid out (or awaiting approval) or waiting on the
sagsbehandlerfordeling list; and no money disappears: what was paid in is on claims, on the
list (an overpayment placed on the customer included), on a credit on the customer, paid out,
or was given back to its payment by a plain reversal. A refused operation changes nothing.

A payment pays what the screen shows that day (the restance, interest booked to today); its
value date may lie back, so the recomputed interest can leave the claim overpaid - that must
never block the ledger (``rentebogfoering.overbetaling_flyt``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q, Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from fordringer.choices import PosteringArt, Renteregime, Udbetalingskanal
from fordringer.ledger.services import postering_bogfoer, postering_tilbagefoer
from fordringer.models import (
    Indbetaling,
    Kundekredit,
    OmposteringAarsag,
    Postering,
    Sagsbehandlerfordeling,
    Udbetaling,
)
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.kredit import sagsbehandlerfordeling_til_kunden
from fordringer.ompostering.listeudbetaling import (
    sagsbehandlerfordeling_tilbagebetal,
    sagsbehandlerfordeling_udbetal,
)
from fordringer.ompostering.services import ompostering_automatisk, ompostering_opret
from fordringer.ompostering.tilbagefoersel import ompostering_tilbagefoer
from fordringer.ompostering.udbetaling import (
    UdbetalingValg,
    udbetaling_afvis,
    udbetaling_godkend,
)
from fordringer.rente.services import renter_afstem
from ky_debitor.errors import ApplicationError
from ky_debitor.money import NUL, afrund
from ky_debitor.roles import Rolle
from tests.factories import (
    BorgerFactory,
    BrugerFactory,
    DebitorkontoFactory,
    FordringFactory,
    IndbetalingFactory,
)
from tests.fordringer.ompostering.ompostering_data import invarianter, tilstand

pytestmark = pytest.mark.slow

IDAG = dt.date(2025, 6, 30)
beloeb = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("900.00"), places=2)
lille = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("150.00"), places=2)
dato = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2025, 6, 30))
operation = st.one_of(
    st.tuples(st.just("betal"), st.integers(0, 3), beloeb, dato),
    st.tuples(
        st.just("omposter"), st.integers(0, 30), st.integers(0, 3), lille, lille, st.booleans()
    ),
    st.tuples(st.just("automatisk"), st.integers(0, 30), st.integers(0, 1)),
    st.tuples(st.just("tilbagefoer"), st.integers(0, 30)),
    st.tuples(st.just("liste"), st.integers(0, 30), st.sampled_from(["ud", "retur", "kunde"])),
    st.tuples(st.just("afgoer"), st.integers(0, 30), st.booleans()),
)
VEJE = ["ud", "retur", "kunde"]


def summer(qs) -> Decimal:
    return afrund(qs.aggregate(s=Sum("beloeb"))["s"] or NUL)


def penge_flyttet() -> tuple[Decimal, Decimal]:
    """(amount rolled back by omposteringer, amount they placed): placed is what covers claims
    again + payouts not rejected (the ompostering's own and those of its waiting amounts) +
    what waits on the sagsbehandlerfordeling list or as a credit on the customer."""
    flyttet = summer(Postering.objects.filter(ompostering_link__rolle="TILBAGEFOERSEL"))
    daekket_igen = -summer(Postering.objects.filter(ompostering_link__rolle="DAEKNING"))
    udbetalt = summer(
        Udbetaling.objects.exclude(status="AFVIST").filter(
            Q(ompostering__isnull=False) | Q(sagsbehandlerfordeling__ompostering__isnull=False)
        )
    )
    venter = summer(
        Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True, ompostering__isnull=False)
    )
    kredit = rester(Kundekredit.objects.filter(ompostering__isnull=False))
    return flyttet, daekket_igen + udbetalt + venter + kredit


def rester(qs) -> Decimal:
    return afrund(qs.aggregate(s=Sum("rest"))["s"] or NUL)


def post_behandl(*, user, vej: str, post_id: int) -> None:
    """One of the new ways off the sagsbehandlerfordeling list."""
    if vej == "ud":
        sagsbehandlerfordeling_udbetal(
            user=user,
            post_id=post_id,
            udbetaling=UdbetalingValg(
                beloeb=Sagsbehandlerfordeling.objects.get(pk=post_id).beloeb,
                kanal=Udbetalingskanal.NEMKONTO,
            ),
            behandling="test",
        )
    elif vej == "retur":
        sagsbehandlerfordeling_tilbagebetal(user=user, post_id=post_id, begrundelse="test")
    else:
        sagsbehandlerfordeling_til_kunden(user=user, post_id=post_id, behandling="test")


def penge_placeret() -> Decimal:
    """Where the money paid in is now: covering claims (what the payments cover), waiting on
    the sagsbehandlerfordeling list (from omposteringer and overpayments alike) and paid out
    (or awaiting approval)."""
    daekket = afrund(Indbetaling.objects.aggregate(s=Sum("daekket"))["s"] or NUL)
    venter = summer(Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True))
    udbetalt = summer(Udbetaling.objects.exclude(status="AFVIST"))
    return daekket + venter + udbetalt + rester(Kundekredit.objects.all())


# Found by the property (CI, --hypothesis-seed=3 and 4): two payments dated 01-01-2025 on the
# 1.000,00 gebyrloven claim due 31-12-2024, the second paying 655,35 of the 694,64 the screen
# showed; from the payment date only 655,34 was owed, so the claim is overpaid by 0,01.
OVERBETALT = [
    ("betal", 0, Decimal("354.66"), dt.date(2025, 1, 1)),
    ("betal", 0, Decimal("655.35"), dt.date(2025, 1, 1)),
]


class OmposteringInvarianter(TestCase):
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(operation, min_size=1, max_size=12))
    @example(OVERBETALT)
    # The ways off the list: a payout and its rejection back to the list, a return to the
    # payer approved, a credit on the customer.
    @example(
        [
            ("betal", 0, Decimal("500.00"), dt.date(2025, 2, 1)),
            ("omposter", 0, 2, Decimal("100.00"), Decimal("50.00"), False),
            ("liste", 0, "ud"),
            ("afgoer", 0, False),
            ("liste", 0, "retur"),
            ("afgoer", 1, True),
            ("liste", 0, "kunde"),
        ]
    )
    # The overpaid claim then pays again (nothing left to pay: no 0,00 dækning), gets its
    # dækning moved to another borger and the move rolled back.
    @example(
        [
            *OVERBETALT,
            ("betal", 0, Decimal("5.00"), dt.date(2025, 2, 1)),
            ("omposter", 1, 2, Decimal("0.01"), Decimal("0.01"), True),
        ]
    )
    # Seed 4: a reversed payment on the opkrævningslov claim, then another dækning there moved
    # and the move rolled back - the rollback restores the reconciled state, so every
    # operation must leave the interest reconciled (the reversal too).
    @example(
        [
            ("betal", 1, Decimal("100.00"), dt.date(2025, 2, 1)),
            ("betal", 1, Decimal("50.00"), dt.date(2025, 3, 1)),
            ("tilbagefoer", 0),
            ("omposter", 0, 2, Decimal("0.01"), Decimal("0.01"), True),
        ]
    )
    def test_random_sequences_keep_the_invariants_and_the_money(self, operationer):
        user = BrugerFactory.create(roller=[Rolle.BOGHOLDER])
        # The second pair of eyes on a payout.
        bogholder = BrugerFactory.create(roller=[Rolle.BOGHOLDER])
        borgere = [BorgerFactory.create(), BorgerFactory.create()]
        fordringer = []
        for borger in borgere:
            konto = DebitorkontoFactory.create(borger=borger)
            for regime, forfald in (
                (Renteregime.GEBYRLOVEN_3, dt.date(2024, 12, 31)),
                (Renteregime.OPKRAEVNINGSLOVEN_7, dt.date(2025, 1, 15)),
            ):
                fordringer.append(
                    FordringFactory.create(
                        konto=konto,
                        hovedstol=Decimal("1000.00"),
                        forfaldsdato=forfald,
                        renteregime=regime,
                    )
                )
        for fordring in fordringer:
            renter_afstem(fordring=fordring, til_dato=IDAG, user=user, begrundelse="test")
        aarsag = OmposteringAarsag.objects.order_by("pk")[0]
        # Paid in, and given back to its payment by a plain reversal (no longer placed).
        indbetalt = tilbagegivet = NUL

        for op in operationer:
            foer = tilstand()
            try:
                if op[0] == "liste":
                    aabne = list(
                        Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True).order_by("pk")
                    )
                    if aabne:
                        post_behandl(user=user, vej=op[2], post_id=aabne[op[1] % len(aabne)].pk)
                elif op[0] == "afgoer":
                    ventende = list(Udbetaling.objects.filter(status="AFVENTER").order_by("pk"))
                    if ventende:
                        valgt_ud = ventende[op[1] % len(ventende)]
                        if op[2]:
                            udbetaling_godkend(user=bogholder, udbetaling_id=valgt_ud.pk)
                        else:
                            udbetaling_afvis(
                                user=bogholder, udbetaling_id=valgt_ud.pk, begrundelse="test"
                            )
                elif op[0] == "betal":
                    _n, i, beloeb_, dato_ = op
                    fordring = fordringer[i]
                    fordring.refresh_from_db()
                    # What the screen shows today; nothing to pay is no payment.
                    betalt = min(beloeb_, fordring.restance)
                    if betalt <= 0:
                        continue
                    indbetaling = IndbetalingFactory.create(
                        borger=fordring.konto.borger, beloeb=betalt, valoerdato=dato_
                    )
                    postering_bogfoer(
                        fordring=fordring,
                        art=PosteringArt.DAEKNING,
                        beloeb=betalt,
                        valoerdato=dato_,
                        user=user,
                        indbetaling=indbetaling,
                    )
                    indbetalt += betalt
                    renter_afstem(fordring=fordring, til_dato=IDAG, user=user, begrundelse="test")
                else:
                    staaende = list(
                        Postering.objects.filter(
                            art=PosteringArt.DAEKNING, tilbagefoert_af__isnull=True
                        ).order_by("pk")
                    )
                    if not staaende:
                        continue
                    valgt = staaende[op[1] % len(staaende)]
                    if op[0] == "tilbagefoer":
                        postering_tilbagefoer(postering=valgt, user=user, begrundelse="test")
                        tilbagegivet -= valgt.beloeb
                        # The interest follows every booking, as after a payment: a later
                        # rollback can only restore a state whose interest was reconciled.
                        renter_afstem(
                            fordring=valgt.fordring, til_dato=IDAG, user=user, begrundelse="test"
                        )
                    elif op[0] == "automatisk":
                        ompostering_automatisk(
                            user=user,
                            daekning_ids=[valgt.pk],
                            aarsag_id=aarsag.pk,
                            til_borger_id=borgere[op[2]].pk,
                            idag=IDAG,
                        )
                    else:
                        _n, _i, j, daek, ud, fortryd = op
                        maal = fordringer[j]
                        ompostering = ompostering_opret(
                            user=user,
                            daekning_ids=[valgt.pk],
                            aarsag_id=aarsag.pk,
                            til_borger_id=maal.konto.borger_id,
                            fordeling=[NyDaekning(maal.pk, daek)],
                            udbetaling=UdbetalingValg(
                                beloeb=ud,
                                kanal=Udbetalingskanal.NEMKONTO,
                            ),
                            idag=IDAG,
                        )
                        if fortryd:
                            # Rolling it back restores every restance and payment exactly.
                            ompostering_tilbagefoer(
                                user=user,
                                ompostering_id=ompostering.pk,
                                begrundelse="fortrudt",
                                idag=IDAG,
                            )
                            assert tilstand()[:2] == foer[:2]
            except ApplicationError:
                assert tilstand() == foer
            invarianter()
            flyttet, placeret = penge_flyttet()
            assert flyttet == placeret
            assert penge_placeret() + tilbagegivet == indbetalt

        # Every waiting amount leaves the list, the new ways in turn.
        for nummer, post in enumerate(
            Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True).order_by("pk")
        ):
            post_behandl(user=user, vej=VEJE[nummer % len(VEJE)], post_id=post.pk)
        assert not Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True).exists()
        invarianter()
        flyttet, placeret = penge_flyttet()
        assert flyttet == placeret
        assert penge_placeret() + tilbagegivet == indbetalt
