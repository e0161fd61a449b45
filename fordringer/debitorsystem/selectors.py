"""Reads for Drift's view of the debitorsystem integration: the outbox messages that need a
look, and whether each kommune's debitorsystem is ready (seed 003, SA 05).

Every read starts from ``.for_user(user)``: Drift sees its own kommune, a platform operator
all of them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from fordringer.choices import BeskedStatus, BeskedType
from fordringer.models import DebitorsystemOpsaetning, IndgaaendeBesked, UdgaaendeBesked
from ky_debitor.models import Kommune
from ky_debitor.visning import antal, tidspunkt

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ky_debitor.models import Bruger

SF1590_TYPER = (
    BeskedType.SF1590_B_01,
    BeskedType.SF1590_B_02,
    BeskedType.SF1590_B_03,
    BeskedType.SF1590_B_04,
)


def udgaaende_til_opfoelgning(
    *, user: Bruger | AnonymousUser, nu: dt.datetime | None = None
) -> QuerySet[Any]:
    """Failed messages, and waiting ones that are stuck: older than
    ``KY_UDGAAENDE_FAST_MINUTTER`` or tried ``KY_UDGAAENDE_FAST_FORSOEG`` times or more.
    Failed first, then oldest first."""
    nu = nu or timezone.now()
    graense = nu - dt.timedelta(minutes=settings.KY_UDGAAENDE_FAST_MINUTTER)
    afventer = Q(status=BeskedStatus.AFVENTER) & (
        Q(oprettet__lt=graense) | Q(forsoeg__gte=settings.KY_UDGAAENDE_FAST_FORSOEG)
    )
    return (
        UdgaaendeBesked.objects.for_user(user)
        .filter(Q(status=BeskedStatus.FEJLET) | afventer)
        .select_related("kommune")
        .order_by("-status", "oprettet", "id")
    )


@dataclass(frozen=True)
class Integration:
    """One of the debitorsystem's integrations in a kommune, as seed 003 lists them."""

    kode: str
    navn: str
    konfigureret: bool
    sidst_ok: dt.datetime | None
    fejlede: int
    udgaaende: bool = True  # KY sends (a message delivered); else KY receives

    @property
    def opsat_tekst(self) -> str:
        """Whether Drift has marked it set up, and the contradiction when messages work
        although it is not marked (the loopback transport of a test system delivers them)."""
        if self.konfigureret:
            return "Ja"
        return "Nej, men der er udvekslet beskeder" if self.sidst_ok else "Nej"

    @property
    def sidst_ok_overskrift(self) -> str:
        return "leveret" if self.udgaaende else "modtaget"


@dataclass
class Parathed:
    kommune: Kommune
    opsaetning: DebitorsystemOpsaetning | None
    integrationer: list[Integration] = field(default_factory=list)
    mangler: list[str] = field(default_factory=list)

    @property
    def klar(self) -> bool:
        return not self.mangler


# (code, name, the opsætning's field, the outbox type whose last SENT shows it works, what is
# missing when it is not configured). The Beskedfordeler works when a message came in.
INTEGRATIONER: tuple[tuple[str, str, str, str | None, str], ...] = (
    (
        "SF1590_B_01",
        "DebitorRegistrering",
        "b01_registrering",
        BeskedType.SF1590_B_01,
        "Debitorsystemet kan ikke modtage debitorregistreringer fra KY (SF1590_B_01).",
    ),
    (
        "SF1590_B_02",
        "DebitorForespørgsel",
        "b02_forespoergsel",
        BeskedType.SF1590_B_02,
        "Debitorsystemet kan ikke modtage forespørgsler fra KY (SF1590_B_02).",
    ),
    (
        "SF1590_B_03",
        "DebitorIndbetaling",
        "b03_indbetaling",
        BeskedType.SF1590_B_03,
        "Debitorsystemet kan ikke modtage indbetalinger fra KY (SF1590_B_03).",
    ),
    (
        "BESKEDFORDELER",
        "Dækninger, afskrivninger og statusskift via Beskedfordeleren",
        "beskedfordeler",
        None,
        "Debitorsystemet sender ikke dækninger, afskrivninger og statusskift til KY "
        "(Beskedfordeler-abonnement og serviceaftale).",
    ),
)


def debitorsystem_parathed(*, user: Bruger | AnonymousUser) -> list[Parathed]:
    """Per kommune the user may see: which integrations are configured, when each last
    worked, how many messages failed, and a Danish list of what is missing (seed 003)."""
    opsaetninger = {o.kommune_id: o for o in DebitorsystemOpsaetning.objects.for_user(user)}
    kommune_ids = set(opsaetninger)
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is not None:
        kommune_ids.add(kommune_id)
    kommuner = Kommune.objects.filter(pk__in=kommune_ids).order_by("kode")

    sendt: dict[tuple[int, str], dt.datetime] = {}
    fejlede: dict[tuple[int, str], int] = defaultdict(int)
    for row in (
        UdgaaendeBesked.objects.for_user(user)
        .filter(kommune_id__in=kommune_ids, type__in=SF1590_TYPER)
        .values("kommune_id", "type")
        .annotate(
            sidst=Max("sendt", filter=Q(status=BeskedStatus.SENDT)),
            fejl=Count("id", filter=Q(status=BeskedStatus.FEJLET)),
        )
    ):
        if row["sidst"] is not None:
            sendt[row["kommune_id"], row["type"]] = row["sidst"]
        fejlede[row["kommune_id"], row["type"]] = row["fejl"]
    modtaget = dict(
        IndgaaendeBesked.objects.for_user(user)
        .filter(kommune_id__in=kommune_ids)
        .values("kommune_id")
        .annotate(sidst=Max("modtaget"))
        .values_list("kommune_id", "sidst")
    )

    resultat = []
    for kommune in kommuner:
        opsaetning = opsaetninger.get(kommune.pk)
        parathed = Parathed(kommune=kommune, opsaetning=opsaetning)
        if opsaetning is None:
            parathed.mangler.append(
                "Debitorsystemets opsætning er ikke registreret for kommunen (Administration → "
                "Debitorsystem-opsætninger)."
            )
        for kode, navn, felt, besked_type, mangler in INTEGRATIONER:
            konfigureret = bool(opsaetning and getattr(opsaetning, felt))
            if besked_type is None:
                sidst_ok, fejl = modtaget.get(kommune.pk), 0
            else:
                sidst_ok = sendt.get((kommune.pk, besked_type))
                fejl = fejlede[kommune.pk, besked_type]
            integration = Integration(
                kode, navn, konfigureret, sidst_ok, fejl, udgaaende=besked_type is not None
            )
            parathed.integrationer.append(integration)
            if not konfigureret and sidst_ok:
                parathed.mangler.append(
                    f"{kode} {navn} er ikke markeret som sat op, men der er senest "
                    f"{integration.sidst_ok_overskrift} en besked {tidspunkt(sidst_ok)}. Markér "
                    "den under Debitorsystem-opsætninger, når leverandøren har bekræftet den."
                )
            elif not konfigureret:
                parathed.mangler.append(mangler)
            elif fejl:
                parathed.mangler.append(
                    f"{antal(fejl, 'besked', 'beskeder')} til {kode} {navn} er fejlet og "
                    "venter på at blive sendt igen."
                )
        resultat.append(parathed)
    return resultat
