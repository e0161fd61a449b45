"""Reads for "Vurder, saml og frigiv debitorkonto" (seed 000).

Which KY konti a KMD Aktiv konto may be merged into, what the decision in force is, and
whether the konto is a løbende forsørgelsesydelse med tilbagebetalingspligt that must be
merged every month. The service (``samling.py``) and the screen ask the same questions here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from fordringer.choices import Frigivelsestype, Kilde, SagStatus, SamlingBeslutningType
from fordringer.models import Debitorkonto, Fordring, Samlingsbeslutning, Ydelsestype
from fordringer.ydelser.selectors import ydelseskode_tabel
from ky_debitor.money import NUL

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ky_debitor.models import Bruger


def konto_ydelsestype_id(konto: Debitorkonto) -> int | None:
    """The konto's ydelsestype: its sag's, else its bevilling's code's, else the one type all
    its claims carry (None when unknown or mixed)."""
    if konto.sag_id is not None and konto.sag is not None and konto.sag.ydelsestype_id:
        return konto.sag.ydelsestype_id
    if konto.bevilling_id is not None and konto.bevilling is not None:
        fra_kode = ydelseskode_tabel().get(konto.bevilling.ydelseskode.strip().upper())
        if fra_kode is not None:
            return fra_kode
    typer = set(
        Fordring.objects.filter(konto=konto, ydelsestype__isnull=False)
        .values_list("ydelsestype_id", flat=True)
        .distinct()[:2]
    )
    return typer.pop() if len(typer) == 1 else None


def beslutninger_for_konto(konto: Debitorkonto) -> QuerySet[Samlingsbeslutning]:
    """The konto's decisions, the last made first. Decisions on a konto are made under its
    row lock, so the id order is the order they were made, whatever the clock."""
    return (
        Samlingsbeslutning.objects.filter(konto=konto)
        .select_related("ky_konto", "frigivet_konto", "bruger")
        .order_by("-id")
    )


def seneste_beslutning(konto: Debitorkonto) -> Samlingsbeslutning | None:
    """The decision in force: the last one made on the konto."""
    return beslutninger_for_konto(konto).first()


def er_loebende_med_tilbagebetalingspligt(konto: Debitorkonto) -> bool:
    """Seed 000: the konto's bevilling is a løbende forsørgelsesydelse med
    tilbagebetalingspligt (enkeltydelser and særlig støtte are no forsørgelsesydelser)."""
    bevilling = konto.bevilling
    if bevilling is None or not (bevilling.loebende and bevilling.tilbagebetalingspligt):
        return False
    ydelsestype_id = konto_ydelsestype_id(konto)
    return (
        ydelsestype_id is not None
        and Ydelsestype.objects.filter(pk=ydelsestype_id, forsoergelsesydelse=True).exists()
    )


def sag_stoppet_q(*, idag: dt.date, konto: str = "") -> Q:
    """The one definition of a stopped sag (seed 000: "indtil borgeren stopper på sin
    ydelse"), as a filter on debitorkonti: the konto's bevilling ended before ``idag`` or the
    konto's sag is closed (LUKKET). ``konto`` is the path to the konto from the rows filtered
    (``"konto__"`` for fordringer). The samling screen, the monthly samling, the worklist and
    the report "Fordringer på stoppede sager" all ask this."""
    return Q(**{f"{konto}bevilling__periode_til__lt": idag}) | Q(
        **{f"{konto}sag__status": SagStatus.LUKKET}
    )


def sag_stoppet(konto: Debitorkonto, idag: dt.date) -> bool:
    """Has the borger stopped on the konto's benefit (``sag_stoppet_q``)?"""
    return Debitorkonto.objects.filter(pk=konto.pk).filter(sag_stoppet_q(idag=idag)).exists()


def samles_maanedligt(konto: Debitorkonto, idag: dt.date) -> bool:
    """Seed 000: a merged løbende forsørgelsesydelse med tilbagebetalingspligt is merged every
    month until the borger stops on it, and may not be released meanwhile."""
    seneste = seneste_beslutning(konto)
    return (
        seneste is not None
        and seneste.beslutning == SamlingBeslutningType.SAML
        and er_loebende_med_tilbagebetalingspligt(konto)
        and not sag_stoppet(konto, idag)
    )


def ky_konti_for_samling(konto: Debitorkonto) -> list[Debitorkonto]:
    """The borger's KY konti for the same ydelsestype as ``konto`` (every KY konto of the
    borger when the ydelsestype is not known, so the screen can say why none fits)."""
    ydelsestype_id = konto_ydelsestype_id(konto)
    konti = list(
        Debitorkonto.objects.filter(
            kommune_id=konto.kommune_id, borger_id=konto.borger_id, kilde=Kilde.KY
        )
        .select_related("sag__ydelsestype", "bevilling")
        .order_by("kontonummer")
    )
    if ydelsestype_id is None:
        return konti
    return [k for k in konti if konto_ydelsestype_id(k) == ydelsestype_id]


@dataclass(frozen=True)
class KontoVisning:
    """One konto on the screen: its claims, restance and ydelsestype."""

    konto: Debitorkonto
    fordringer: list[Fordring]
    restance: Decimal
    ydelsestype: Ydelsestype | None

    @property
    def frigivet(self) -> bool:
        return self.konto.frigivelsestype == Frigivelsestype.FRIGIVET


def konto_visning(konto: Debitorkonto) -> KontoVisning:
    fordringer = list(konto.fordringer.select_related("ydelsestype").order_by("forfaldsdato", "pk"))
    ydelsestype_id = konto_ydelsestype_id(konto)
    return KontoVisning(
        konto=konto,
        fordringer=fordringer,
        restance=sum((f.restance for f in fordringer), NUL),
        ydelsestype=Ydelsestype.objects.filter(pk=ydelsestype_id).first()
        if ydelsestype_id
        else None,
    )


@dataclass(frozen=True)
class Samlingsvurdering:
    """Everything the caseworker weighs on "Vurder, saml og frigiv debitorkonto"."""

    kmd: KontoVisning
    ky: list[KontoVisning]
    loebende_med_tilbagebetalingspligt: bool
    sag_stoppet: bool
    samles_maanedligt: bool
    seneste: Samlingsbeslutning | None
    beslutninger: list[Samlingsbeslutning]
    forklaringer: list[str]


def samlingsvurdering(*, konto: Debitorkonto, idag: dt.date) -> Samlingsvurdering:
    """The screen's content, with the rules of seed 000 that apply spelled out in Danish."""
    kmd = konto_visning(konto)
    ky = [konto_visning(k) for k in ky_konti_for_samling(konto)]
    loebende = er_loebende_med_tilbagebetalingspligt(konto)
    stoppet = sag_stoppet(konto, idag)
    maanedligt = samles_maanedligt(konto, idag)
    forklaringer: list[str] = []
    if kmd.frigivet:
        forklaringer.append(
            "KMD Aktiv-debitorkontoen er frigivet og sendt til debitorsystemet, så den kan "
            "ikke samles. Fortsætter kravet i KY, skal KY-debitorkontoen frigives i stedet."
        )
    if any(v.frigivet for v in ky):
        forklaringer.append("En frigivet KY-debitorkonto kan ikke samles med.")
    if not ky:
        forklaringer.append(
            "Borgeren har ingen KY-debitorkonto for samme ydelsestype, så der kan ikke samles."
        )
    if kmd.ydelsestype is None:
        forklaringer.append(
            "KMD Aktiv-debitorkontoens ydelsestype kendes ikke; sagstilknyt kontoen og angiv "
            "ydelsestypen, før den samles."
        )
    if maanedligt:
        forklaringer.append(
            "Kontoen er en løbende forsørgelsesydelse med tilbagebetalingspligt, der samles: "
            "den skal samles hver måned, indtil borgeren stopper på ydelsen, og må ikke "
            "frigives imens."
        )
    elif loebende and not stoppet:
        forklaringer.append(
            "Kontoen er en løbende forsørgelsesydelse med tilbagebetalingspligt. Samles den, "
            "skal den samles hver måned efter udbetalingskørslen og må ikke frigives imens."
        )
    return Samlingsvurdering(
        kmd=kmd,
        ky=ky,
        loebende_med_tilbagebetalingspligt=loebende,
        sag_stoppet=stoppet,
        samles_maanedligt=maanedligt,
        seneste=seneste_beslutning(konto),
        beslutninger=list(beslutninger_for_konto(konto)),
        forklaringer=forklaringer,
    )


def konto_til_vurdering(*, user: Bruger | AnonymousUser, pk: int) -> Debitorkonto:
    """A KMD Aktiv konto of the user's kommune (``DoesNotExist`` for anything else)."""
    return (
        Debitorkonto.objects.for_user(user)
        .filter(kilde=Kilde.KMD_AKTIV)
        .select_related("borger", "bevilling", "sag__ydelsestype", "samlet_i")
        .get(pk=pk)
    )


# --- The worklist "Vurder, saml og frigiv" --------------------------------------------------

LOEBENDE, OEVRIGE, STOPPET = 0, 1, 2  # the worklist's order: running benefits first


def vurderingsliste(*, user: Bruger | AnonymousUser, idag: dt.date) -> QuerySet[Debitorkonto]:
    """The KMD Aktiv konti that wait for "Vurder, saml og frigiv" (seed 000): the borger also
    has a KY konto in the kommune, and nobody has decided on the konto yet (no decision, not
    merged, not released). Running benefits with a duty to repay that have not stopped come
    first (they must be merged every month), stopped sager last, then by kontonummer.

    Each row carries ``raekkefoelge`` (``LOEBENDE``, ``OEVRIGE`` or ``STOPPET``) and
    ``restance_i_alt``; one query for the rows whatever their number.
    """
    ky_konto = Debitorkonto.objects.filter(
        kommune_id=OuterRef("kommune_id"), borger_id=OuterRef("borger_id"), kilde=Kilde.KY
    )
    besluttet = Samlingsbeslutning.objects.filter(konto_id=OuterRef("pk"))
    restance = (
        Fordring.objects.filter(konto_id=OuterRef("pk"))
        .order_by()
        .values("konto_id")
        .annotate(s=Sum("restance"))
        .values("s")
    )
    penge = DecimalField(max_digits=14, decimal_places=2)
    return (
        Debitorkonto.objects.for_user(user)
        .filter(kilde=Kilde.KMD_AKTIV, samlet_i__isnull=True)
        .exclude(frigivelsestype=Frigivelsestype.FRIGIVET)
        .filter(Exists(ky_konto))
        .exclude(Exists(besluttet))
        .annotate(
            raekkefoelge=Case(
                When(sag_stoppet_q(idag=idag), then=Value(STOPPET)),
                When(
                    bevilling__loebende=True,
                    bevilling__tilbagebetalingspligt=True,
                    then=Value(LOEBENDE),
                ),
                default=Value(OEVRIGE),
                output_field=IntegerField(),
            ),
            restance_i_alt=Coalesce(
                Subquery(restance, output_field=penge), Value(NUL), output_field=penge
            ),
        )
        .select_related("borger", "bevilling", "sag__ydelsestype")
        .order_by("raekkefoelge", "kontonummer", "pk")
    )
