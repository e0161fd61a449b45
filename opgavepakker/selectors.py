"""Reads for the caseworker's workspace. Every read starts from ``.for_user(user)``.

Each screen's reads are a fixed number of queries whatever the number of tasks: counts are
aggregated in the database, per-row sums are subqueries, and lists are paginated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from fordringer.choices import Kilde, Tilknytning
from fordringer.eindkomst.efterregulering import Aarsafslutning, aarsafslutning
from fordringer.models import (
    Debitorkonto,
    Fordring,
    MaanedligSamling,
    Parkering,
)
from ky_debitor.money import NUL, MoneyField, afrund, fra_oere
from ky_debitor.taellinger import taellinger

from . import taellinger as taelling
from .frister import Fristberegning, fristberegning
from .models import Opgave, Opgavepakke, OpgaveType
from .workflow import AABNE, OpgaveStatus

# --- Start page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PakkeLinje:
    pakke: Opgavepakke
    aabne: int
    i_gang: int
    afsluttet: int
    parkeret: Decimal

    @property
    def ikke_afsluttet(self) -> int:
        return self.aabne + self.i_gang


@dataclass(frozen=True)
class Oversigt:
    pakker: list[PakkeLinje]
    frist: Fristberegning
    aabne_i_alt: int
    parkeret_i_alt: Decimal
    mine: list[Opgave]
    aarsafslutning: Aarsafslutning

    @property
    def mi_kan_afsluttes(self) -> bool:
        return self.aabne_i_alt == 0

    @property
    def mest_presserende(self) -> PakkeLinje | None:
        """The first package in order (med dækninger first) with open, untaken tasks."""
        return next((p for p in self.pakker if not p.pakke.venteskridt and p.aabne), None)


def _parkeret_pr_konto() -> Subquery:
    return Subquery(
        Parkering.objects.filter(konto=OuterRef("konto"), frigivet__isnull=True)
        .values("konto")
        .annotate(s=Sum("beloeb"))
        .values("s"),
        output_field=MoneyField(),
    )


@dataclass(frozen=True)
class PakkeTal:
    aabne: int = 0
    i_gang: int = 0
    afsluttet: int = 0
    parkeret: Decimal = NUL
    restance: Decimal = NUL

    def linje(self, pakke: Opgavepakke) -> PakkeLinje:
        return PakkeLinje(pakke, self.aabne, self.i_gang, self.afsluttet, self.parkeret)


def pakke_taellinger(*, user: Any) -> dict[int, PakkeTal]:
    """Tasks per status, parked sum and restance per opgavepakke of the user's kommune: the
    figures the writes keep (``opgavepakker.taellinger``), one small query whatever the
    kommune's size."""
    return pakke_tal(taellinger(user))


def pakke_tal(tal: Mapping[tuple[str, int], int]) -> dict[int, PakkeTal]:
    """The opgavepakker's figures among a kommune's kept figures."""
    pakker = {d for _, d in tal}

    def vaerdi(noegle: str, pakke: int) -> int:
        return tal.get((noegle, pakke), 0)

    return {
        pakke: PakkeTal(
            aabne=vaerdi(taelling.OPGAVER + OpgaveStatus.AABEN, pakke),
            i_gang=vaerdi(taelling.OPGAVER + OpgaveStatus.I_GANG, pakke),
            afsluttet=vaerdi(taelling.OPGAVER + OpgaveStatus.AFSLUTTET, pakke),
            parkeret=fra_oere(vaerdi(taelling.PARKERET_PAKKE_OERE, pakke)),
            restance=fra_oere(vaerdi(taelling.RESTANCE_PAKKE_OERE, pakke)),
        )
        for pakke in pakker
        if pakke
    }


def pakke_taellinger_optalt(*, user: Any) -> dict[int, PakkeTal]:
    """The same figures counted from the tables (a scan of every task and parkering): the
    reference ``manage.py taellinger --kontroller`` and the tests hold the kept ones to."""
    pakker = Opgavepakke.objects.for_user(user).annotate(
        aabne=Count("opgaver", filter=Q(opgaver__status=OpgaveStatus.AABEN)),
        i_gang=Count("opgaver", filter=Q(opgaver__status=OpgaveStatus.I_GANG)),
        afsluttet=Count("opgaver", filter=Q(opgaver__status=OpgaveStatus.AFSLUTTET)),
    )
    # Sums per package over the konti of its open tasks.
    parkeret = dict(
        Parkering.objects.for_user(user)
        .filter(frigivet__isnull=True, konto__opgaver__status__in=AABNE)
        .values_list("konto__opgaver__pakke")
        .annotate(s=Sum("beloeb"))
        .values_list("konto__opgaver__pakke", "s")
    )
    restance = dict(
        Fordring.objects.for_user(user)
        .filter(konto__opgaver__status__in=AABNE)
        .values_list("konto__opgaver__pakke")
        .annotate(s=Sum("restance"))
        .values_list("konto__opgaver__pakke", "s")
    )
    return {
        p.pk: PakkeTal(
            p.aabne,
            p.i_gang,
            p.afsluttet,
            afrund(parkeret.get(p.pk) or NUL),
            afrund(restance.get(p.pk) or NUL),
        )
        for p in pakker
    }


def opgave_oversigt(*, user: Any, i_dag: dt.date | None = None) -> Oversigt:
    """The 15 packages of the user's kommune with counts, parked sums, the deadline, the
    user's own tasks in progress, and the konti whose parked dækninger of the closing income
    year must be linked before its eIndkomst deadline. Packages *med dækninger* come first
    (their ``raekkefoelge``).
    """
    i_dag = i_dag or timezone.localdate()
    pakker = Opgavepakke.objects.for_user(user).order_by(
        "-med_daekninger", "venteskridt", "raekkefoelge"
    )
    tal = pakke_taellinger(user=user)
    linjer = [tal.get(p.pk, PakkeTal()).linje(p) for p in pakker]
    arbejdende = [linje for linje in linjer if not linje.pakke.venteskridt]
    med = sum(linje.ikke_afsluttet for linje in arbejdende if linje.pakke.med_daekninger)
    kommune = getattr(user, "kommune", None)
    frist = fristberegning(
        frist_maaned_dag=kommune.frist_maaned_dag if kommune else "31-01",
        i_dag=i_dag,
        aabne_med_daekninger=med,
    )
    mine = list(
        Opgave.objects.for_user(user)
        .filter(status=OpgaveStatus.I_GANG, tildelt=user)
        .select_related("konto__borger", "pakke")
        .order_by("oprettet", "pk")[:20]
    )
    venteskridt_parkeret = sum((linje.parkeret for linje in linjer if linje.pakke.venteskridt), NUL)
    return Oversigt(
        pakker=linjer,
        frist=frist,
        aabne_i_alt=sum(linje.ikke_afsluttet for linje in linjer),
        parkeret_i_alt=venteskridt_parkeret,
        mine=mine,
        aarsafslutning=aarsafslutning(user=user, idag=i_dag),
    )


# --- Task list -------------------------------------------------------------------------------


def opgaver_for_liste(*, user: Any) -> QuerySet[Opgave]:
    """All tasks of the user's kommune with what the list shows and filters on: the konto's
    restance and unreleased parked amount (subqueries, so one query per page)."""
    restance = (
        Fordring.objects.filter(konto=OuterRef("konto"))
        .values("konto")
        .annotate(s=Sum("restance"))
        .values("s")
    )
    return (
        Opgave.objects.for_user(user)
        .select_related("konto__borger", "tildelt", "pakke")
        .annotate(
            restance_i_alt=Coalesce(Subquery(restance), NUL, output_field=MoneyField()),
            parkeret_i_alt=Coalesce(_parkeret_pr_konto(), NUL, output_field=MoneyField()),
        )
    )


def pakke_for_user(*, user: Any, pk: int) -> Opgavepakke:
    return Opgavepakke.objects.for_user(user).get(pk=pk)


def pakker_for_user(*, user: Any) -> QuerySet[Opgavepakke]:
    return Opgavepakke.objects.for_user(user).order_by("-med_daekninger", "raekkefoelge")


# --- Task screen (its reads are in ``opgaveskaerm``) ---------------------------------------


def opgave_for_user(*, user: Any, pk: int) -> Opgave:
    return (
        Opgave.objects.for_user(user)
        .select_related("pakke", "tildelt", "afsluttet_af", "konto__borger")
        .get(pk=pk)
    )


def aaben_opret_opgave(*, user: Any, konto_id: int) -> Opgave | None:
    return (
        Opgave.objects.for_user(user)
        .filter(konto_id=konto_id, status__in=AABNE, type=OpgaveType.OPRET_FORDRINGSSAG)
        .first()
    )


def naeste_opgave(*, user: Any, pakke_id: int) -> Opgave | None:
    """The next open, untaken task of the package (what "Næste opgave" takes)."""
    return (
        Opgave.objects.for_user(user)
        .filter(pakke_id=pakke_id, status=OpgaveStatus.AABEN, type=OpgaveType.OPRET_FORDRINGSSAG)
        .order_by("oprettet", "pk")
        .first()
    )


# --- Manglende ydelsestype -------------------------------------------------------------------


def konti_uden_ydelsestype(*, user: Any) -> QuerySet[Debitorkonto]:
    """Linked KMD Aktiv konti with a claim that has no ydelsestype, with their open task."""
    opgave = Opgave.objects.filter(
        konto=OuterRef("pk"), status__in=AABNE, type=OpgaveType.OPRET_FORDRINGSSAG
    ).order_by("pk")
    return (
        Debitorkonto.objects.for_user(user)
        .filter(kilde=Kilde.KMD_AKTIV)
        .exclude(tilknytning=Tilknytning.INGEN)
        .filter(Exists(Fordring.objects.filter(konto=OuterRef("pk"), ydelsestype__isnull=True)))
        .select_related("borger", "bevilling", "sag")
        .annotate(
            uden_ydelsestype=Count("fordringer", filter=Q(fordringer__ydelsestype__isnull=True)),
            opgave_id=Subquery(opgave.values("pk")[:1]),
        )
        .order_by("kontonummer")
    )


# --- Receipt ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KvitteringVisning:
    konto: Debitorkonto
    fordringer: list[Fordring]
    frigivet: int
    parkeret_tilbage: int
    lukkede: list[Opgave]


def kvittering(*, opgave: Opgave) -> KvitteringVisning:
    """What a completed task did to its konto: link, stamped claims, released entries."""
    konto = Debitorkonto.objects.select_related("sag", "bevilling", "borger", "tilknyttet_af").get(
        pk=opgave.konto_id
    )
    parkering = Parkering.objects.filter(konto_id=konto.pk).aggregate(
        antal_frigivet=Count("pk", filter=Q(frigivet__isnull=False)),
        antal_tilbage=Count("pk", filter=Q(frigivet__isnull=True)),
    )
    return KvitteringVisning(
        konto=konto,
        fordringer=list(
            konto.fordringer.select_related("ydelsestype").order_by("forfaldsdato", "fordringsid")
        ),
        frigivet=parkering["antal_frigivet"],
        parkeret_tilbage=parkering["antal_tilbage"],
        lukkede=list(
            Opgave.objects.filter(konto_id=konto.pk, afsluttet=opgave.afsluttet)
            .select_related("pakke")
            .order_by("pk")
        ),
    )


def evidens_fordringer(evidens: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The per-fordring evidence of a linking run's decision (DESIGN §4.7), in claim order.

    Tasks store one entry per fordring under ``fordringer``; decisions store the compact form,
    ``grupper``, where the claims decided alike (same rule, bevilling, candidates and reasons)
    share one entry listing ``[fordring_id, fordringsid]`` pairs. Both read the same here.
    """
    if "grupper" not in evidens:
        return list(evidens.get("fordringer", []))
    raekker = [
        {
            "fordring_id": fordring_id,
            "fordringsid": fordringsid,
            "regel": gruppe["regel"],
            "bevilling_id": gruppe["bevilling_id"],
            "kandidater": [
                {"bevillingsnummer": nummer, "afvist": afvist}
                for nummer, afvist in gruppe["kandidater"]
            ],
        }
        for gruppe in evidens["grupper"]
        for fordring_id, fordringsid in gruppe["fordringer"]
    ]
    return sorted(raekker, key=lambda r: r["fordring_id"])


@dataclass(frozen=True)
class MaanedligeSamlinger:
    """The "Månedlig samling" list: open tasks due today, overdue ones, and the latest done."""

    i_dag: list[MaanedligSamling]
    overskredne: list[MaanedligSamling]
    kommende: list[MaanedligSamling]
    udfoerte: list[MaanedligSamling]


def maanedlige_samlinger(*, user: Any, idag: dt.date, udfoerte: int = 20) -> MaanedligeSamlinger:
    alle = MaanedligSamling.objects.for_user(user).select_related(
        "konto__borger", "konto__samlet_i", "afsluttet_af"
    )
    aabne = list(alle.filter(afsluttet__isnull=True).order_by("forfald", "pk"))
    return MaanedligeSamlinger(
        i_dag=[s for s in aabne if s.forfald == idag],
        overskredne=[s for s in aabne if s.forfald < idag],
        kommende=[s for s in aabne if s.forfald > idag],
        udfoerte=list(
            alle.filter(afsluttet__isnull=False).order_by("-afsluttet", "-pk")[:udfoerte]
        ),
    )
