"""Property: the status rule and its SQL form agree on every konto.

``kontostatus`` (the rule read branch by branch) and ``kontostatus_udtryk`` (the same rule as one
SQL expression, used to recompute many konti at once) must never drift apart. Hypothesis builds
many konti with every combination of the facts the rule reads, stores them, lets
``kontostatus_opdater`` write their status and compares each with the rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from fordringer.choices import (
    Frigivelsestype,
    Kilde,
    KontoStatus,
    Opkraevningstilstand,
    PosteringArt,
    Tilknytning,
)
from fordringer.kontostatus.regel import FordringFakta, KontoFakta, kontostatus
from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.models import Debitorkonto, Fordring, Parkering, Postering
from tests.factories import BorgerFactory, SagFactory

pytestmark = pytest.mark.slow

# A claim: its restance, its opkrævningstilstand, and its credits: for each, whether it is a
# dækning (else an afskrivning), whether it has been reversed, and whether it was parked
# (None: never; False: still waiting; True: released by a link).
fordring = st.tuples(
    st.sampled_from([Decimal("0.00"), Decimal("0.01"), Decimal("750.00")]),
    # 'Opkræv' is the state the rule asks about; it is drawn more often than the others.
    st.sampled_from([Opkraevningstilstand.OPKRAEV.value, *Opkraevningstilstand.values]),
    st.lists(
        st.tuples(st.booleans(), st.booleans(), st.sampled_from([None, False, True])), max_size=2
    ),
)
konto = st.tuples(
    st.sampled_from(Kilde.values),
    st.sampled_from(KontoStatus.values),
    st.sampled_from(Frigivelsestype.values),
    st.sampled_from([Tilknytning.INGEN, Tilknytning.AUTOMATISK, Tilknytning.MANUEL]),
    st.lists(fordring, max_size=3),
)


def _fakta(spec: tuple) -> KontoFakta:
    kilde, status, frigivelsestype, tilknytning, fordringer = spec
    return KontoFakta(
        kilde=kilde,
        status=status,
        frigivelsestype=frigivelsestype,
        tilknytning=tilknytning,
        fordringer=tuple(
            FordringFakta(
                restance=restance,
                opkraevningstilstand=tilstand,
                ky_daekning=any(
                    daekning and not tilbagefoert and parkeret is not False
                    for daekning, tilbagefoert, parkeret in kredit
                ),
            )
            for restance, tilstand, kredit in fordringer
        ),
    )


class RegelOgSqlStemmerOverens(TestCase):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(konto, min_size=1, max_size=40))
    # A konto whose only dækninger are reversed or parked still waits for one; an afskrivning
    # is no payment.
    @example(
        [
            (
                Kilde.KMD_AKTIV,
                KontoStatus.AKTIV,
                Frigivelsestype.FRIGIVET,
                Tilknytning.INGEN,
                [
                    (
                        Decimal("750.00"),
                        Opkraevningstilstand.OPKRAEV,
                        [(True, True, None), (True, False, False), (False, False, None)],
                    )
                ],
            ),
            (
                Kilde.KMD_AKTIV,
                KontoStatus.VENTER_PAA_DAEKNING,
                Frigivelsestype.IKKE_FRIGIVET,
                Tilknytning.AUTOMATISK,
                [
                    (Decimal("750.00"), Opkraevningstilstand.OPKRAEV, [(True, False, True)]),
                    (Decimal("0.00"), Opkraevningstilstand.OPKRAEV, []),
                ],
            ),
        ]
    )
    def test_the_sql_form_gives_every_konto_the_rules_status(self, specs):
        borger = BorgerFactory.create()
        sag = SagFactory.create(borger=borger)
        konti = Debitorkonto.objects.bulk_create(
            Debitorkonto(
                kommune_id=borger.kommune_id,
                kontonummer=f"K{n:05d}",
                borger=borger,
                kilde=kilde,
                status=status,
                frigivelsestype=frigivelsestype,
                tilknytning=tilknytning,
                sag=None if tilknytning == Tilknytning.INGEN else sag,
            )
            for n, (kilde, status, frigivelsestype, tilknytning, _) in enumerate(specs)
        )
        kredit: list[tuple[Fordring, bool, bool, bool | None]] = []
        for konto_, spec in zip(konti, specs, strict=True):
            for n, (restance, tilstand, posteringer) in enumerate(spec[4]):
                f = Fordring.objects.create(
                    kommune_id=borger.kommune_id,
                    fordringsid=f"{konto_.kontonummer}-{n}",
                    konto=konto_,
                    kilde=konto_.kilde,
                    hovedstol=Decimal("1000.00"),
                    restance=restance,
                    opkraevningstilstand=tilstand,
                )
                kredit += [(f, *postering) for postering in posteringer]
        for f, daekning, tilbagefoert, parkeret in kredit:
            p = Postering.objects.create(
                kommune_id=f.kommune_id,
                fordring=f,
                art=PosteringArt.DAEKNING if daekning else PosteringArt.AFSKRIVNING,
                beloeb=Decimal("-10.00"),
                valoerdato=dt.date(2025, 1, 1),
            )
            if parkeret is not None:
                Parkering.objects.create(
                    kommune_id=f.kommune_id,
                    postering=p,
                    konto_id=f.konto_id,
                    beloeb=Decimal("10.00"),
                    frigivet=timezone.now() if parkeret else None,
                )
            if tilbagefoert:
                Postering.objects.create(
                    kommune_id=f.kommune_id,
                    fordring=f,
                    art=PosteringArt.TILBAGEFOERSEL,
                    beloeb=Decimal("10.00"),
                    valoerdato=dt.date(2025, 1, 2),
                    tilbagefoerer=p,
                )

        kontostatus_opdater(kommune_id=borger.kommune_id, konto_ids=[k.pk for k in konti])

        skrevet = dict(Debitorkonto.objects.filter(borger=borger).values_list("pk", "status"))
        forventet = {
            k.pk: kontostatus(_fakta(spec)).value for k, spec in zip(konti, specs, strict=True)
        }
        assert skrevet == forventet
