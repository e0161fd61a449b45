"""Efterreguleringer (seed 002): eIndkomst lines written after their income year's deadline,
and the parked dækninger that become such lines unless their konti are linked in time.

A line reaches the borger's årsopgørelse only when it is written by 31 January after its income
year (``beregning.frist``). A line written later changes an årsopgørelse already made: the
reporting ledger marks it ``efterregulering`` when it writes it (``services.eindkomst_afstem``)
and the kommune's list of them is read here. The usual cause is a dækning that waited parked
on an unlinked konto past the deadline, so from 1 December of the closing year until its
deadline the caseworkers are told how many konti still hold parked dækninger of that year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from fordringer.choices import PosteringArt
from fordringer.eindkomst.beregning import frist
from fordringer.eindkomst.selectors import med_indberetning
from fordringer.eindkomst.taellinger import KONTI_PARKERET_DAEKNING
from fordringer.models import EIndkomstLinje, Parkering
from ky_debitor.taellinger import taellinger

# The warning starts on this day (month, day) of the closing income year.
ADVARSEL_FRA = (12, 1)


def efterreguleringer(*, user: Any, indkomstaar: int | None = None) -> QuerySet[EIndkomstLinje]:
    """The efterregulering lines of the user's kommune (of one income year when given), the
    latest written first, with their konto, fordring and whether they are reported."""
    linjer = EIndkomstLinje.objects.for_user(user).filter(efterregulering=True)
    if indkomstaar is not None:
        linjer = linjer.filter(indkomstaar=indkomstaar)
    return med_indberetning(
        linjer.select_related("ydelsestype", "postering__fordring__konto")
    ).order_by("-oprettet", "-id")


def efterregulering_aar(*, user: Any) -> list[int]:
    """The income years the user's kommune has efterreguleringer of, the latest first."""
    return list(
        EIndkomstLinje.objects.for_user(user)
        .filter(efterregulering=True)
        .order_by("-indkomstaar")
        .values_list("indkomstaar", flat=True)
        .distinct()
    )


def lukkende_indkomstaar(idag: dt.date) -> int:
    """The income year whose deadline comes next: last year up to and including its deadline
    (31 January), this year after it."""
    forrige = idag.year - 1
    return forrige if idag <= frist(forrige) else idag.year


def konti_med_parkerede_daekninger(*, user: Any, indkomstaar: int) -> int:
    """How many konti of the user's kommune hold a dækning of ``indkomstaar`` (its valørdato)
    that is still parked (not released): the figure the writes keep
    (``fordringer.eindkomst.taellinger``). Afskrivninger are never reported, so they do not
    count."""
    return taellinger(user).get((KONTI_PARKERET_DAEKNING, indkomstaar), 0)


def konti_med_parkerede_daekninger_optalt(*, user: Any, indkomstaar: int) -> int:
    """The same counted from the tables: the reference the kept figure is held to."""
    return int(
        Parkering.objects.for_user(user)
        .filter(
            frigivet__isnull=True,
            postering__art=PosteringArt.DAEKNING,
            postering__valoerdato__gte=dt.date(indkomstaar, 1, 1),
            postering__valoerdato__lte=dt.date(indkomstaar, 12, 31),
        )
        .aggregate(n=Count("konto", distinct=True))["n"]
    )


@dataclass(frozen=True)
class Aarsafslutning:
    """The closing income year as Mine opgaver shows it."""

    indkomstaar: int
    frist: dt.date
    konti: int  # konti with parked dækninger of the income year
    advarsel: bool  # from 1 December of the income year to its deadline, with konti left


def aarsafslutning(*, user: Any, idag: dt.date) -> Aarsafslutning:
    """The closing income year on ``idag``, its deadline, how many konti still hold parked
    dækninger of it, and whether to warn (one query)."""
    aar = lukkende_indkomstaar(idag)
    konti = konti_med_parkerede_daekninger(user=user, indkomstaar=aar)
    return Aarsafslutning(
        indkomstaar=aar,
        frist=frist(aar),
        konti=konti,
        advarsel=konti > 0 and idag >= dt.date(aar, *ADVARSEL_FRA),
    )
