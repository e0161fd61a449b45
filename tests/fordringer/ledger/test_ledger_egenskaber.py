"""Property: any sequence of dækninger, afskrivninger and reversals keeps the ledger invariants.

After every operation — accepted or refused — each claim's restance is ``>= 0`` and equals the
sum of its ledger lines, and each payment covers at most its amount, exactly what its lines say.
A refused operation changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from fordringer.choices import PosteringArt
from fordringer.konto.selectors import restance_fra_ledger
from fordringer.ledger.services import postering_bogfoer, postering_tilbagefoer
from fordringer.models import Fordring, Indbetaling, Postering
from ky_debitor.errors import ApplicationError
from ky_debitor.money import NUL, afrund
from tests.factories import BrugerFactory, FordringFactory, IndbetalingFactory

pytestmark = pytest.mark.slow

beloeb = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1500.00"), places=2)
operation = st.one_of(
    st.tuples(st.just("daek"), st.integers(0, 2), st.integers(0, 1), beloeb),
    st.tuples(st.just("afskriv"), st.integers(0, 2), st.none(), beloeb),
    st.tuples(st.just("nedreguler"), st.integers(0, 2), st.none(), beloeb),
    st.tuples(st.just("tilbagefoer"), st.integers(0, 50), st.none(), st.none()),
)


class LedgerInvariants(TestCase):
    def _snapshot(self, fordringer, indbetalinger):
        return (
            [Fordring.objects.get(pk=f.pk).restance for f in fordringer],
            [Indbetaling.objects.get(pk=i.pk).daekket for i in indbetalinger],
            Postering.objects.count(),
        )

    def _assert_invariants(self, fordringer, indbetalinger):
        for f in fordringer:
            f.refresh_from_db()
            assert f.restance >= NUL
            assert f.restance == restance_fra_ledger(f)
        for i in indbetalinger:
            i.refresh_from_db()
            # SQLite sums decimals as floats; the ledger's figure is whole øre.
            brugt = -afrund(i.posteringer.aggregate(s=Sum("beloeb"))["s"] or NUL)
            assert NUL <= i.daekket <= i.beloeb
            assert i.daekket == brugt

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(operation, min_size=1, max_size=25))
    def test_random_sequences_keep_the_ledger_invariants(self, operationer):
        user = BrugerFactory.create()
        fordringer = [
            FordringFactory.create(hovedstol=Decimal(h)) for h in ("1000.00", "250.50", "0.01")
        ]
        indbetalinger = [
            IndbetalingFactory.create(beloeb=Decimal("800.00")),
            IndbetalingFactory.create(beloeb=Decimal("120.00")),
        ]
        arter = {
            "daek": PosteringArt.DAEKNING,
            "afskriv": PosteringArt.AFSKRIVNING,
            "nedreguler": PosteringArt.NEDREGULERING,
        }
        for navn, a, b, amount in operationer:
            before = self._snapshot(fordringer, indbetalinger)
            try:
                if navn == "tilbagefoer":
                    posteringer = list(Postering.objects.filter(fordring__in=fordringer))
                    postering_tilbagefoer(
                        postering=posteringer[a % len(posteringer)], user=user, begrundelse="test"
                    )
                else:
                    postering_bogfoer(
                        fordring=fordringer[a],
                        art=arter[navn],
                        beloeb=amount,
                        valoerdato=dt.date(2025, 1, 1),
                        user=user,
                        indbetaling=indbetalinger[b] if b is not None else None,
                    )
            except ApplicationError:
                assert self._snapshot(fordringer, indbetalinger) == before
            self._assert_invariants(fordringer, indbetalinger)
