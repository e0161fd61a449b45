"""Row sources of the reports and reads of the export jobs.

Every row source starts from one kommune (``.for_kommune(kommune_id)``) and streams with
``iterator(chunk_size=…)``. Filters arrive already parsed by ``rapporter.forms``: a month as
the date of its first day, dates as ``datetime.date``, a status as its code.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from fordringer.choices import (
    EIndkomstArt,
    Frigivelsestype,
    Kilde,
    PosteringArt,
    Tilknytning,
)
from fordringer.eindkomst.afstemning import afstemning_indkomstaar, eindkomst_afstemninger
from fordringer.models import (
    Debitorkonto,
    EIndkomstLinje,
    EIndkomstManuel,
    Fordring,
    Postering,
)
from fordringer.samling.selectors import sag_stoppet_q
from ky_debitor.etiketter import etiket
from ky_debitor.kalender import arbejdsdage_frem, arbejdsdage_tilbage
from ky_debitor.models import Kommune
from ky_debitor.money import NUL, afrund
from ky_debitor.taellinger import kommune_taellinger
from opgavepakker.frister import fristberegning
from opgavepakker.models import Opgave, Opgavepakke, OpgaveType
from opgavepakker.selectors import PakkeTal, pakke_tal
from opgavepakker.workflow import AABNE, OpgaveStatus

from .kilde import Felt, Raekkekilde, Summer, SummerFelt
from .models import Eksport

CHUNK = 5000
TEMPO_DAGE = 10  # the forecast uses the pace of the last 10 working days (issue #7)

_PENGE = DecimalField(max_digits=14, decimal_places=2)


# --- kmd_aktiv_sagstilknytning (DESIGN §6 contract) ------------------------------------------


def _sagstilknytning_qs(kommune_id: int) -> QuerySet[Debitorkonto]:
    return Debitorkonto.objects.for_kommune(kommune_id).filter(kilde=Kilde.KMD_AKTIV)


def sagstilknytning_antal(kommune_id: int, filtre: Mapping[str, Any]) -> int:
    return _sagstilknytning_qs(kommune_id).count()


def sagstilknytning_raekker(
    kommune_id: int, filtre: Mapping[str, Any], *, chunk_size: int = CHUNK
) -> Iterator[tuple[Any, ...]]:
    """One row per KMD Aktiv debitorkonto with its linking result as it stands now."""
    aaben_opgave = Opgave.objects.filter(
        konto_id=OuterRef("pk"), type=OpgaveType.OPRET_FORDRINGSSAG, status__in=AABNE
    ).order_by("pk")
    konti = (
        _sagstilknytning_qs(kommune_id)
        .annotate(opgave_aarsag=Subquery(aaben_opgave.values("aarsag")[:1]))
        .order_by("kontonummer")
        .values_list(
            "kontonummer",
            "borger__cpr",
            "status",
            "frigivelsestype",
            "tilknytning",
            "sag__oprettet_ved_tilknytning",
            "opgave_aarsag",
            "bevilling__bevillingsnummer",
            "sag__sagsnummer",
        )
    )
    for (
        nr,
        cpr,
        status,
        frigivelse,
        tilknytning,
        oprettet,
        aarsag,
        bevilling,
        sag,
    ) in konti.iterator(chunk_size=chunk_size):
        # The result codes of DESIGN §6; their labels are the linking engine's ("Resultat").
        if tilknytning != Tilknytning.INGEN:
            resultat = "SAGSOPRETTET" if oprettet else "SAGSTILKNYTTET"
            aarsag = ""
        elif aarsag:
            resultat = "OPGAVE"
        else:
            resultat, aarsag = "IKKE_KOERT", ""
        yield (
            nr,
            cpr,
            etiket(status, "KontoStatus"),
            etiket(frigivelse, "Frigivelsestype"),
            etiket(resultat, "Resultat"),
            etiket(aarsag, "Aarsag"),
            resultat,
            aarsag,
            bevilling or "",
            sag or "",
            status,
            frigivelse,
        )


# --- detaljer_debitor -------------------------------------------------------------------------


def _detaljer_qs(kommune_id: int, filtre: Mapping[str, Any]) -> QuerySet[Fordring]:
    fordringer = Fordring.objects.for_kommune(kommune_id)
    maaned: dt.date | None = filtre.get("maaned")
    if maaned:
        # Fordring has no creation date; KMD Aktiv raises a claim for its forfaldsdato, so the
        # month of creation is read as the forfaldsdato's month.
        fordringer = fordringer.filter(
            forfaldsdato__year=maaned.year, forfaldsdato__month=maaned.month
        )
    if filtre.get("status"):
        fordringer = fordringer.filter(konto__status=filtre["status"])
    return fordringer


def detaljer_debitor_antal(kommune_id: int, filtre: Mapping[str, Any]) -> int:
    return _detaljer_qs(kommune_id, filtre).count()


# The places of a claim's sums in ``_posteringssummer``.
RENTER, GEBYRER, DAEKKET = range(3)

_FELTER_DETALJER = (
    Felt("konto__kontonummer"),
    Felt("konto__borger__cpr"),
    Felt("konto__borger__navn"),
    Felt("kilde", etiket="Kilde"),
    Felt("fordringsid"),
    Felt("ydelsestype__navn"),
    Felt("ydelseskode"),
    Felt("kmd_aktiv_reference"),
    Felt("tekst"),
    Felt("periode_fra"),
    Felt("periode_til"),
    Felt("forfaldsdato"),
    Felt("hovedstol"),
    Felt("posteringssummer", plads=RENTER),
    Felt("posteringssummer", plads=GEBYRER),
    Felt("restance"),
    # Ledger credits are negative; a report shows dækninger as a positive amount.
    Felt("posteringssummer", plads=DAEKKET, modsat=True),
    Felt("opkraevningstilstand", etiket="Opkraevningstilstand"),
    Felt("konto__status", etiket="KontoStatus"),
    Felt("konto__frigivelsestype", etiket="Frigivelsestype"),
)


_SUMMERNES_ARTER = (
    PosteringArt.RENTE,
    PosteringArt.GEBYR,
    PosteringArt.DAEKNING,
    PosteringArt.TILBAGEFOERSEL,
)


def _posteringssummer(periode: Q) -> Subquery:
    """A claim's interest, fees and dækninger, read in one pass over its entries: each is the
    net of the entries of its kind and the reversals of them (a reversal carries the opposite
    amount), 0 without any; ``periode`` narrows the dækninger by valørdato. One subquery
    rather than one per sum: each sum of its own would add a pass over the claim's entries for
    every row (docs/benchmarks.md, Detaljer_Debitor)."""

    def netto(art: PosteringArt, periode: Q) -> Coalesce:
        slags = Q(art=art) | Q(art=PosteringArt.TILBAGEFOERSEL, tilbagefoerer__art=art)
        return Coalesce(Sum("beloeb", filter=slags & periode), NUL, output_field=_PENGE)

    summer = (
        # Other kinds (the HOVEDSTOL) are left out before the join to the reversed entries.
        Postering.objects.filter(fordring_id=OuterRef("pk"), art__in=_SUMMERNES_ARTER)
        .order_by()
        .values("fordring_id")
        .annotate(
            s=Summer(  # at RENTER, GEBYRER, DAEKKET
                netto(PosteringArt.RENTE, Q()),
                netto(PosteringArt.GEBYR, Q()),
                netto(PosteringArt.DAEKNING, periode),
            )
        )
        .values("s")
    )
    return Subquery(summer, output_field=SummerFelt())


def detaljer_debitor_kilde(kommune_id: int, filtre: Mapping[str, Any]) -> Raekkekilde:
    """One row per fordring. *Renter* and *Gebyrer* are the claim's interest and fees booked
    so far, less their reversals; *Dækninger i perioden* is the net of dækninger (less their
    reversals) with valørdato in the chosen period (all dækninger without a period); the
    *Status* column is the konto's status, e.g. "Afventer frigivelse" for a KY konto to be
    released."""
    periode = Q()
    if filtre.get("daekning_fra"):
        periode &= Q(valoerdato__gte=filtre["daekning_fra"])
    if filtre.get("daekning_til"):
        periode &= Q(valoerdato__lte=filtre["daekning_til"])
    qs = (
        _detaljer_qs(kommune_id, filtre)
        .annotate(posteringssummer=_posteringssummer(periode))
        .order_by("konto__kontonummer", "fordringsid")
    )
    return Raekkekilde(qs, _FELTER_DETALJER)


def detaljer_debitor_raekker(
    kommune_id: int, filtre: Mapping[str, Any], *, chunk_size: int = CHUNK
) -> Iterator[tuple[Any, ...]]:
    return detaljer_debitor_kilde(kommune_id, filtre).raekker(chunk_size)


# --- opgavepakker_r21 -------------------------------------------------------------------------


def opgavepakker_r21_antal(kommune_id: int, filtre: Mapping[str, Any]) -> int:
    return Opgavepakke.objects.for_kommune(kommune_id).count()


def opgavepakker_r21_raekker(
    kommune_id: int,
    filtre: Mapping[str, Any],
    *,
    chunk_size: int = CHUNK,
    i_dag: dt.date | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Per opgavepakke the tasks by state, restance and parked dækninger on the konti of its
    open tasks, and the burn-down (seed 002, "KMD Aktiv fordringers opgavepakker R2.1"): the
    tasks per working day needed to finish by the deadline (end of January after the tax
    year, ``Kommune.frist_maaned_dag``; ``opgavepakker.frister``) and the forecast finish date
    at the pace of the last 10 working days (tasks closed per day, from ``Opgave.afsluttet``)."""
    i_dag = i_dag or timezone.localdate()
    kommune = Kommune.objects.get(pk=kommune_id)
    tempo_fra = arbejdsdage_tilbage(i_dag, TEMPO_DAGE)
    tempo_start = timezone.make_aware(dt.datetime.combine(tempo_fra, dt.time.min))
    # Counts, restance and parked sums per pakke are the figures the writes keep
    # (``opgavepakker.taellinger``); the pace counts the tasks closed in the last 10 days.
    tal = pakke_tal(kommune_taellinger(kommune_id))
    tempo = dict(
        Opgave.objects.for_kommune(kommune_id)
        .filter(status=OpgaveStatus.AFSLUTTET, afsluttet__gte=tempo_start)
        .values_list("pakke")
        .annotate(n=Count("pk"))
        .values_list("pakke", "n")
    )
    pakker = Opgavepakke.objects.for_kommune(kommune_id).order_by("raekkefoelge")
    for pakke in pakker.iterator(chunk_size=chunk_size):
        t = tal.get(pakke.pk, PakkeTal())
        n_tempo = tempo.get(pakke.pk, 0)
        aabne = t.aabne + t.i_gang
        frist = fristberegning(
            frist_maaned_dag=kommune.frist_maaned_dag, i_dag=i_dag, aabne_med_daekninger=aabne
        )
        prognose: dt.date | None = None
        if aabne == 0:
            prognose = i_dag
        elif n_tempo:
            dage = math.ceil(aabne / (Decimal(n_tempo) / TEMPO_DAGE))
            prognose = arbejdsdage_frem(i_dag, dage)
        yield (
            pakke.navn,
            etiket(pakke.aarsag, "Aarsag"),
            pakke.aarsag,
            "Ja" if pakke.med_daekninger else "Nej",
            t.aabne,
            t.i_gang,
            t.afsluttet,
            t.restance,
            t.parkeret,
            frist.frist,
            frist.arbejdsdage,
            frist.pr_arbejdsdag,
            n_tempo,
            prognose,
        )


# --- manglende_ydelsestype --------------------------------------------------------------------


def _manglende_qs(kommune_id: int) -> QuerySet[Debitorkonto]:
    return (
        Debitorkonto.objects.for_kommune(kommune_id)
        .filter(kilde=Kilde.KMD_AKTIV, fordringer__ydelsestype__isnull=True)
        .exclude(tilknytning=Tilknytning.INGEN)
    )


def manglende_ydelsestype_antal(kommune_id: int, filtre: Mapping[str, Any]) -> int:
    return _manglende_qs(kommune_id).values("pk").distinct().count()


def manglende_ydelsestype_raekker(
    kommune_id: int, filtre: Mapping[str, Any], *, chunk_size: int = CHUNK
) -> Iterator[tuple[Any, ...]]:
    """Linked KMD Aktiv konti with claims whose ydelsestype must be added by hand (seed 000:
    without it KY cannot tell whether a dækning is to be reported to eIndkomst, LL § 8 O)."""
    rows = (
        _manglende_qs(kommune_id)
        .values(
            "kontonummer",
            "borger__cpr",
            "borger__navn",
            "sag__sagsnummer",
            "bevilling__bevillingsnummer",
        )
        .annotate(antal=Count("fordringer"), s=Sum("fordringer__restance"))
        .order_by("kontonummer")
        .values_list(
            "kontonummer",
            "borger__cpr",
            "borger__navn",
            "sag__sagsnummer",
            "bevilling__bevillingsnummer",
            "antal",
            "s",
        )
    )
    for nr, cpr, navn, sag, bevilling, antal, s in rows.iterator(chunk_size=chunk_size):
        yield (nr, cpr, navn, sag or "", bevilling or "", antal, s if s is not None else NUL)


# --- fordringer_stoppede_sager ----------------------------------------------------------------


def _stoppede_qs(kommune_id: int) -> QuerySet[Fordring]:
    """Claims on a stopped sag by the samling screen's own definition (``sag_stoppet_q``)."""
    return (
        Fordring.objects.for_kommune(kommune_id)
        .filter(sag_stoppet_q(idag=timezone.localdate(), konto="konto__"))
        .exclude(konto__frigivelsestype=Frigivelsestype.FRIGIVET)
    )


def stoppede_sager_antal(kommune_id: int, filtre: Mapping[str, Any]) -> int:
    return _stoppede_qs(kommune_id).count()


_FELTER_STOPPEDE = (
    Felt("konto__kontonummer"),
    Felt("konto__borger__cpr"),
    Felt("konto__borger__navn"),
    Felt("konto__sag__sagsnummer"),
    Felt("fordringsid"),
    Felt("ydelsestype__navn"),
    Felt("forfaldsdato"),
    Felt("restance"),
    Felt("konto__status", etiket="KontoStatus"),
    Felt("konto__frigivelsestype", etiket="Frigivelsestype"),
)


def stoppede_sager_kilde(kommune_id: int, filtre: Mapping[str, Any]) -> Raekkekilde:
    """Claims whose sag has stopped (closed, or the bevilling ended) while their konto is
    not released. Described, so the preview reads its first rows with a LIMIT: half of a
    kommune's claims may be on a stopped sag, and a cursor sorted them all before the first
    row (2 s at 1.1 M claims)."""
    return Raekkekilde(
        _stoppede_qs(kommune_id).order_by("konto__kontonummer", "fordringsid"), _FELTER_STOPPEDE
    )


def stoppede_sager_raekker(
    kommune_id: int, filtre: Mapping[str, Any], *, chunk_size: int = CHUNK
) -> Iterator[tuple[Any, ...]]:
    return stoppede_sager_kilde(kommune_id, filtre).raekker(chunk_size)


# --- eindkomst (DESIGN §6 contract) -----------------------------------------------------------


def eindkomst_raekker(
    kommune_id: int, filtre: Mapping[str, Any], *, chunk_size: int = CHUNK
) -> Iterator[tuple[Any, ...]]:
    """The reporting ledger's net per borger, income year, art and ydelsestype (its code):
    the sum of the lines, reversals included; a net of nought is left out. Of one income year
    when ``filtre["indkomstaar"]`` is given. Sorted by CPR, year, art and ydelsestype."""
    linjer = EIndkomstLinje.objects.for_kommune(kommune_id)
    if filtre.get("indkomstaar"):
        linjer = linjer.filter(indkomstaar=filtre["indkomstaar"])
    rows = (
        linjer.values("cpr", "indkomstaar", "art", "ydelsestype__kode")
        .annotate(netto=Sum("beloeb"))
        .order_by("cpr", "indkomstaar", "art", "ydelsestype__kode")
        .values_list("cpr", "indkomstaar", "art", "netto", "ydelsestype__kode")
    )
    for cpr, aar, art, netto, ydelsestype in rows.iterator(chunk_size=chunk_size):
        # SQLite sums decimals as floats; every line is whole øre, so the net is too.
        netto = afrund(netto)
        if netto:
            yield (cpr, aar, art, netto, ydelsestype)


def eindkomst_antal(kommune_id: int, filtre: Mapping[str, Any]) -> int:
    return sum(1 for _ in eindkomst_raekker(kommune_id, filtre))


# --- eindkomst_afstemning ---------------------------------------------------------------------


def _afstemning_aar(kommune_id: int, filtre: Mapping[str, Any]) -> list[int]:
    aar = filtre.get("indkomstaar")
    return [int(aar)] if aar else afstemning_indkomstaar(kommune_id=kommune_id)


def eindkomst_afstemning_antal(kommune_id: int, filtre: Mapping[str, Any]) -> int:
    """About the number of rows, without recomputing the ledger: each borger, year and art
    with a reporting line or a by-hand amount (it sizes the download only)."""
    aar = _afstemning_aar(kommune_id, filtre)
    linjer = (
        EIndkomstLinje.objects.for_kommune(kommune_id)
        .filter(indkomstaar__in=aar)
        .order_by()
        .values_list("indkomstaar", "cpr", "art")
    )
    manuelle = (
        EIndkomstManuel.objects.for_kommune(kommune_id)
        .filter(indkomstaar__in=aar)
        .annotate(ll8o=Value(EIndkomstArt.LL8O.value, output_field=CharField()))
        .order_by()
        .values_list("indkomstaar", "cpr", "ll8o")
    )
    return linjer.union(manuelle).count()


def eindkomst_afstemning_raekker(
    kommune_id: int, filtre: Mapping[str, Any], *, chunk_size: int = CHUNK
) -> Iterator[tuple[Any, ...]]:
    """The reconciliation (``fordringer.eindkomst.afstemning``) one income year at a time,
    oldest first; in each year the borgere with a difference first."""
    afstemninger = eindkomst_afstemninger(
        kommune_id=kommune_id, indkomstaar=_afstemning_aar(kommune_id, filtre)
    )
    for aar in sorted(afstemninger):
        for r in afstemninger[aar].raekker:
            yield (
                r.cpr,
                aar,
                etiket(r.art, "EIndkomstArt"),
                r.art,
                r.forventet,
                r.linjer,
                r.indberettet,
                r.manuelt,
                r.modregnet,
                r.afventer,
                r.forskel,
                r.manuelt_ikke_modregnet,
                "Ja" if r.afviger else "Nej",
            )


# --- Export jobs ------------------------------------------------------------------------------


def eksporter_for_user(*, user: Any) -> QuerySet[Eksport]:
    """The user's own stored exports, in their kommune, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Eksport.objects.none()
    return Eksport.objects.for_user(user).filter(bruger=user).order_by("-oprettet", "-pk")
