"""Reads of eIndkomst: the ledger facts the rule needs, the reporting ledger's current state,
and the lines a screen or report shows. Tenancy: the screens pass a queryset already scoped by
``for_user``; the services pass ids they hold locks on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import Any

from django.db.models import CharField, Exists, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Substr

from fordringer.choices import BeskedStatus, PosteringArt
from fordringer.eindkomst.beregning import Daekning, Linje
from fordringer.models import (
    Borger,
    EIndkomstForsendelseLinje,
    EIndkomstLinje,
    EIndkomstManuel,
    Fordring,
    Parkering,
    Postering,
    Ydelsestype,
)
from fordringer.ydelser.selectors import LL8OTabel
from ky_debitor.bulk import blandt
from ky_debitor.money import NUL


@dataclass(frozen=True)
class Regler:
    """The national tables the rule reads, loaded once for a batch of work."""

    ll8o: LL8OTabel
    forsoergelse: frozenset[int]

    @classmethod
    def hent(cls) -> Regler:
        return cls(
            LL8OTabel(),
            frozenset(
                Ydelsestype.objects.filter(forsoergelsesydelse=True).values_list("pk", flat=True)
            ),
        )


def _omfang(*, fordring_ids: Iterable[int] | None, konto_ids: Iterable[int] | None) -> Q:
    if fordring_ids is not None:
        return Q(blandt("fordring_id", fordring_ids))
    assert konto_ids is not None
    return Q(blandt("fordring__konto_id", konto_ids))


def _daekning_raekker(qs: QuerySet[Postering]) -> QuerySet[Postering, tuple[Any, ...]]:
    """The dækninger of ``qs`` with what the rule reads of each, as value tuples."""
    return (
        qs.filter(art=PosteringArt.DAEKNING)
        .annotate(
            tilbagefoert=Exists(Postering.objects.filter(tilbagefoerer=OuterRef("pk"))),
            parkeret=Exists(
                Parkering.objects.filter(postering=OuterRef("pk"), frigivet__isnull=True)
            ),
        )
        .values_list(
            "pk",
            "kommune_id",
            "art",
            "beloeb",
            "valoerdato",
            "tilbagefoert",
            "parkeret",
            "fordring__ydelsestype_id",
            "fordring__periode_fra",
            "fordring__forfaldsdato",
            "fordring__konto__borger__cpr",
        )
        .order_by()
    )


def _daekning(row: tuple[Any, ...]) -> Daekning:
    pk, _kommune_id, art, beloeb, valoer, tilbage, parkeret, yt, fra, forfald, cpr = row
    return Daekning(pk, art, beloeb, valoer, tilbage, parkeret, yt, fra or forfald, cpr)


def daekninger(
    *, fordring_ids: Iterable[int] | None = None, konto_ids: Iterable[int] | None = None
) -> tuple[list[Daekning], dict[int, int]]:
    """The dækninger of these claims (or of the claims of these konti) as the rule sees them,
    and each entry's kommune."""
    rows = _daekning_raekker(
        Postering.objects.filter(_omfang(fordring_ids=fordring_ids, konto_ids=konto_ids))
    )
    resultat, kommuner = [], {}
    for row in rows:
        kommuner[row[0]] = row[1]
        resultat.append(_daekning(row))
    return resultat, kommuner


def daekninger_i_aar(
    *, kommune_id: int, indkomstaar: Collection[int], chunk_size: int = 5000
) -> Iterator[Daekning]:
    """The kommune's dækninger whose valørdato falls in one of these years, as the rule sees
    them, streamed (one query, read ``chunk_size`` rows at a time). The rule dates a line in
    its dækning's valør year (``beregning.linje_for``), so these are all the rule needs to say
    which lines the years call for."""
    if not indkomstaar:
        return
    rows = _daekning_raekker(
        Postering.objects.for_kommune(kommune_id).filter(
            valoerdato__gte=dt.date(min(indkomstaar), 1, 1),
            valoerdato__lte=dt.date(max(indkomstaar), 12, 31),
        )
    )
    for row in rows.iterator(chunk_size=chunk_size):
        if row[4].year in indkomstaar:
            yield _daekning(row)


@dataclass(frozen=True)
class AktivLinje:
    pk: int
    linje: Linje
    kommune_id: int


def aktive_linjer(
    *, fordring_ids: Iterable[int] | None = None, konto_ids: Iterable[int] | None = None
) -> dict[int, AktivLinje]:
    """Per ledger entry, its line that stands now (neither a reversal nor reversed)."""
    omfang = _omfang(fordring_ids=fordring_ids, konto_ids=konto_ids)
    # The lines hang on the entry; the scope is the entry's claim.
    omfang = Q(
        postering__in=Postering.objects.filter(omfang, art=PosteringArt.DAEKNING).values("pk")
    )
    rows = (
        EIndkomstLinje.objects.filter(
            omfang, tilbagefoerer__isnull=True, tilbagefoert_af__isnull=True
        )
        .values_list(
            "pk",
            "kommune_id",
            "postering_id",
            "art",
            "cpr",
            "indkomstaar",
            "beloeb",
            "ydelsestype_id",
        )
        .order_by()
    )
    return {
        pid: AktivLinje(pk, Linje(pid, art, cpr, aar, beloeb, yt), kommune_id)
        for pk, kommune_id, pid, art, cpr, aar, beloeb, yt in rows
    }


def linjer_for_borger(qs: QuerySet[EIndkomstLinje], *, cpr: str) -> QuerySet[EIndkomstLinje]:
    """A borger's lines, newest income year first, with what a screen shows (whether each is
    reported: ``med_indberetning``)."""
    return med_indberetning(
        qs.filter(cpr=cpr).select_related("ydelsestype", "postering__fordring")
    ).order_by("-indkomstaar", "oprettet", "id")


def med_indberetning(qs: QuerySet[EIndkomstLinje]) -> QuerySet[EIndkomstLinje]:
    """The lines annotated ``indberettet``: the line travelled in a batch whose message the
    transport acknowledged (``besked.status`` SENDT). A batch still waiting or given up on
    has not reported it."""
    return qs.annotate(
        indberettet=Exists(
            EIndkomstForsendelseLinje.objects.filter(
                linje=OuterRef("pk"), forsendelse__besked__status=BeskedStatus.SENDT
            )
        )
    )


@dataclass(frozen=True)
class BorgerAar:
    """One income year of a borger's lines, as the konto and borger pages show it."""

    indkomstaar: int
    linjer: list[EIndkomstLinje]
    i_alt: Decimal  # the net of the year's lines, reversals included


def borgerens_aar(qs: QuerySet[EIndkomstLinje], *, cpr: str) -> list[BorgerAar]:
    """A borger's lines grouped by income year, newest year first, each with its net sum and
    each line with ``indberettet`` (one query)."""
    aarene = []
    linjer = linjer_for_borger(qs, cpr=cpr)
    for aar, gruppe in groupby(linjer, key=attrgetter("indkomstaar")):
        aarets = list(gruppe)
        aarene.append(BorgerAar(aar, aarets, sum((linje.beloeb for linje in aarets), NUL)))
    return aarene


# --- By-hand reported amounts (seed 000's workaround) -------------------------------------------

# The first income year a by-hand amount may be for when the kommune has no data yet.
FOERSTE_INDKOMSTAAR = 2015


def indkomstaar_interval(*, kommune_id: int, idag: dt.date) -> tuple[int, int]:
    """The income years a by-hand amount may be for: from the year of the kommune's earliest
    claim period or ledger entry (2015 when it has neither) to the current year."""
    fordringer = Fordring.objects.for_kommune(kommune_id).aggregate(
        fra=Min("periode_fra"), forfald=Min("forfaldsdato")
    )
    # The ledger's entries are reached through their claims (no index of their own by kommune).
    posteringer = Postering.objects.filter(fordring__kommune_id=kommune_id).aggregate(
        valoer=Min("valoerdato")
    )
    datoer = [d for d in (*fordringer.values(), posteringer["valoer"]) if d is not None]
    foerste = min(d.year for d in datoer) if datoer else FOERSTE_INDKOMSTAAR
    return min(foerste, idag.year), idag.year


def manuelle(qs: QuerySet[EIndkomstManuel]) -> QuerySet[EIndkomstManuel]:
    """By-hand amounts newest first, each with the borger's name (``navn``), the masked CPR
    number (``cpr_maskeret``) and whether it is cancelled (and by which row)."""
    navn = Borger.objects.filter(kommune_id=OuterRef("kommune_id"), cpr=OuterRef("cpr"))
    return (
        qs.select_related("tilbagefoerer", "tilbagefoert_af")
        .annotate(
            navn=Subquery(navn.values("navn")[:1]),
            cpr_maskeret=Concat(Substr("cpr", 1, 6), Value("-****"), output_field=CharField()),
        )
        .order_by("-oprettet", "-id")
    )
