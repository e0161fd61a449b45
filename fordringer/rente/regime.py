"""The interest regime of a claim, from the regime table per ydelsestype (DESIGN §7).

``renteregime_stempl`` gives claims the regime that ``Renteregimeregel`` names for their
ydelsestype on their due date. It is called wherever a claim's ydelsestype is set: when a
konto is linked (by a run or a person, ``services.debitorkonti_tilknyt``) and when the import
creates claims that already carry one. It is one set-based statement, so a linking chunk or a
million-row import pays one query for it.

Two things are never changed: a claim whose type has no rule keeps the regime it has (a row
is needed to say otherwise), and a claim with interest on its ledger keeps its regime, so the
booked interest stays reproducible from the claim and its entries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from fordringer.choices import PosteringArt
from fordringer.models import Fordring, Postering, Renteregimeregel


def renteregime_stempl(fordringer: QuerySet[Fordring], *, idag: dt.date) -> int:
    """Stamp each claim of ``fordringer`` with its type's regime; returns how many changed."""
    if not Renteregimeregel.objects.exists():
        return 0
    regel = (
        Renteregimeregel.objects.filter(
            ydelsestype=OuterRef("ydelsestype"),
            gyldig_fra__lte=Coalesce(
                OuterRef("forfaldsdato"), OuterRef("periode_fra"), Value(idag)
            ),
        )
        .order_by("-gyldig_fra")
        .values("renteregime")[:1]
    )
    har_rente = Postering.objects.filter(fordring=OuterRef("pk"), art=PosteringArt.RENTE)
    return (
        fordringer.filter(ydelsestype__isnull=False)
        .annotate(nyt=Subquery(regel))
        .filter(~Exists(har_rente), nyt__isnull=False)
        .exclude(renteregime=F("nyt"))
        .update(renteregime=Subquery(regel))
    )
