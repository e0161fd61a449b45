"""Property: after any sequence of payments, reversals, omposteringer (to the same or the other
borger, across income years and the 2025/2026 § 8 O list change) and rollbacks, the reporting
ledger equals the pure recomputation from the ledger (``beregning.forventede_linjer``): per
ledger entry, the lines written net to exactly the line the rule calls for, and every line
that stands is the rule's line. No line is ever changed: corrections are new lines.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from fordringer.choices import Kilde, PosteringArt, Renteregime
from fordringer.eindkomst.beregning import forventede_linjer
from fordringer.eindkomst.selectors import Regler, daekninger
from fordringer.ledger.services import postering_bogfoer, postering_tilbagefoer
from fordringer.models import EIndkomstLinje, OmposteringAarsag, Postering, Ydelsestype
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.tilbagefoersel import ompostering_tilbagefoer
from ky_debitor.errors import ApplicationError
from ky_debitor.roles import Rolle
from tests.factories import (
    BorgerFactory,
    BrugerFactory,
    DebitorkontoFactory,
    FordringFactory,
    IndbetalingFactory,
)

pytestmark = pytest.mark.slow

IDAG = dt.date(2026, 6, 30)
beloeb = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400.00"), places=2)
dato = st.dates(min_value=dt.date(2024, 6, 1), max_value=dt.date(2026, 6, 30))
operation = st.one_of(
    st.tuples(st.just("betal"), st.integers(0, 5), beloeb, dato),
    st.tuples(st.just("tilbagefoer"), st.integers(0, 30)),
    st.tuples(st.just("omposter"), st.integers(0, 30), st.integers(0, 5), st.booleans()),
)

# (borger, ydelseskode, payout): kontanthjælp (§ 8 O always) and uddannelseshjælp (from 2026),
# paid out in 2024 and 2025, so repayments fall in and after their payout year.
FORDRINGER = [
    (0, "KTH", dt.date(2024, 3, 1)),
    (0, "UDH", dt.date(2025, 2, 1)),
    (0, "KTH", dt.date(2025, 9, 1)),
    (1, "UDH", dt.date(2024, 5, 1)),
    (1, "KTH", dt.date(2026, 1, 1)),
    (1, "UDH", dt.date(2025, 11, 1)),
]


def rapporteret() -> dict[int, tuple[str, str, int, Decimal, int]]:
    """Per ledger entry, the net of its lines by (art, cpr, year, ydelsestype); non-zero only."""
    netto: dict[tuple[int, str, str, int, int], Decimal] = defaultdict(Decimal)
    for linje in EIndkomstLinje.objects.all():
        netto[
            (linje.postering_id, linje.art, linje.cpr, linje.indkomstaar, linje.ydelsestype_id)
        ] += linje.beloeb
    resultat = {}
    for (pid, art, cpr, aar, yt), sum_ in netto.items():
        if sum_:
            assert pid not in resultat, "two standing effects for one entry"
            resultat[pid] = (art, cpr, aar, sum_, yt)
    return resultat


def forventet() -> dict[int, tuple[str, str, int, Decimal, int]]:
    regler = Regler.hent()
    konti = list(Postering.objects.values_list("fordring__konto_id", flat=True).distinct())
    fakta, _ = daekninger(konto_ids=konti)
    return {
        pid: (lin.art, lin.cpr, lin.indkomstaar, lin.beloeb, lin.ydelsestype_id)
        for pid, lin in forventede_linjer(
            fakta, ll8o=regler.ll8o.omfatter, forsoergelse=regler.forsoergelse
        ).items()
    }


def staaende_er_reglens() -> None:
    """Every line that stands (neither reversal nor reversed) is the rule's line."""
    rigtige = forventet()
    for linje in EIndkomstLinje.objects.filter(
        tilbagefoerer__isnull=True, tilbagefoert_af__isnull=True
    ):
        assert rigtige.get(linje.postering_id) == (
            linje.art,
            linje.cpr,
            linje.indkomstaar,
            linje.beloeb,
            linje.ydelsestype_id,
        )


class ReportingLedgerEqualsRecomputation(TestCase):
    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(operation, min_size=1, max_size=10))
    def test_any_sequence(self, operationer):
        user = BrugerFactory.create(roller=[Rolle.BOGHOLDER])
        borgere = [BorgerFactory.create(), BorgerFactory.create()]
        konti = [DebitorkontoFactory.create(borger=b, kilde=Kilde.KY) for b in borgere]
        fordringer = [
            FordringFactory.create(
                konto=konti[b],
                ydelseskode=kode,
                ydelsestype=Ydelsestype.objects.get(koder__kode=kode),
                periode_fra=udbetalt,
                periode_til=udbetalt,
                forfaldsdato=udbetalt,
                hovedstol=Decimal("1000.00"),
                renteregime=Renteregime.INGEN,
            )
            for b, kode, udbetalt in FORDRINGER
        ]
        aarsag = OmposteringAarsag.objects.order_by("pk")[0]
        for op in operationer:
            try:
                if op[0] == "betal":
                    _n, i, beloeb_, dato_ = op
                    fordring = fordringer[i]
                    fordring.refresh_from_db()
                    betalt = min(beloeb_, fordring.restance)
                    if betalt <= 0:
                        continue
                    postering_bogfoer(
                        fordring=fordring,
                        art=PosteringArt.DAEKNING,
                        beloeb=betalt,
                        valoerdato=dato_,
                        user=user,
                        indbetaling=IndbetalingFactory.create(
                            borger=fordring.konto.borger, beloeb=betalt, valoerdato=dato_
                        ),
                    )
                    continue
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
                    continue
                _n, _k, j, fortryd = op
                maal = fordringer[j]
                maal.refresh_from_db()
                flyt = min(-valgt.beloeb, maal.restance)
                if flyt <= 0 or maal.pk == valgt.fordring_id:
                    continue
                ompostering = ompostering_opret(
                    user=user,
                    daekning_ids=[valgt.pk],
                    aarsag_id=aarsag.pk,
                    til_borger_id=maal.konto.borger_id,
                    fordeling=[NyDaekning(maal.pk, flyt)],
                    idag=IDAG,
                )
                if fortryd:
                    ompostering_tilbagefoer(
                        user=user,
                        ompostering_id=ompostering.pk,
                        begrundelse="fortrudt",
                        idag=IDAG,
                    )
            except ApplicationError:
                pass
            assert rapporteret() == forventet()
            staaende_er_reglens()
