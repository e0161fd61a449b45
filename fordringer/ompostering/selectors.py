"""Reads for the ompostering screens. Every read starts from ``.for_user(user)``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fordringer.choices import PosteringArt, UdbetalingStatus
from fordringer.models import (
    Borger,
    Fordring,
    Indbetaling,
    Kundekredit,
    Ompostering,
    Postering,
    Sagsbehandlerfordeling,
    Udbetaling,
)
from fordringer.rente.services import aktive_posteringer, rente_aendring
from ky_debitor.enheder import til_personen_q
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent
from ky_debitor.money import NUL, format_beloeb

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ky_debitor.models import Bruger


class SoegeType:
    """Seed 004 trin 1: Alle fordringer, Fordringstyper, Indbetaling."""

    ALLE = "ALLE"
    FORDRINGSTYPE = "FORDRINGSTYPE"
    INDBETALING = "INDBETALING"
    VALG = [
        ("", "Vælg type"),
        (ALLE, "Alle fordringer"),
        (FORDRINGSTYPE, "Fordringstype"),
        (INDBETALING, "Indbetaling"),
    ]


@dataclass(frozen=True)
class Soegekriterier:
    """Seed 004 trin 1: Periode, Beløb (searched as positive numbers) and Type; the fields of
    ``SoegeForm``."""

    periode_fra: dt.date | None = None
    periode_til: dt.date | None = None
    beloeb_fra: Decimal | None = None
    beloeb_til: Decimal | None = None
    type: str = ""
    ydelseskode: str = ""

    def q(self, *, beloeb: str, negativt: bool = False) -> Q:
        """The criteria every kind of money shares: the period on the value date, the amount
        on the field ``beloeb`` (stored ``negativt`` for dækninger) and, with Indbetaling, only
        money from a payment."""
        q = Q()
        if self.periode_fra:
            q &= Q(valoerdato__gte=self.periode_fra)
        if self.periode_til:
            q &= Q(valoerdato__lte=self.periode_til)
        # A dækning of 500,00 is stored as -500,00: "at least 400" is then "at most -400".
        fortegn, mindst, hoejst = (-1, "lte", "gte") if negativt else (1, "gte", "lte")
        if self.beloeb_fra is not None:
            q &= Q(**{f"{beloeb}__{mindst}": fortegn * self.beloeb_fra})
        if self.beloeb_til is not None:
            q &= Q(**{f"{beloeb}__{hoejst}": fortegn * self.beloeb_til})
        if self.type == SoegeType.INDBETALING:
            q &= Q(indbetaling__isnull=False)
        return q


def daekninger_soeg(
    *, user: Bruger | AnonymousUser, borger: Borger, kriterier: Soegekriterier
) -> QuerySet[Postering]:
    """The borger's standing dækninger ("negative fordringer/indbetalinger", seed 004 trin 2)
    by value date, amount and type. Amounts are searched as positive numbers."""
    qs = (
        Postering.objects.for_user(user)
        .filter(
            fordring__konto__borger=borger,
            art=PosteringArt.DAEKNING,
            tilbagefoert_af__isnull=True,
        )
        .select_related("fordring__konto", "indbetaling")
        .order_by("-valoerdato", "-id")
    )
    qs = qs.filter(kriterier.q(beloeb="beloeb", negativt=True))
    if kriterier.type == SoegeType.FORDRINGSTYPE and kriterier.ydelseskode:
        qs = qs.filter(fordring__ydelseskode__iexact=kriterier.ydelseskode.strip())
    return qs


@dataclass(frozen=True)
class Kreditpost:
    """Money of the borger's that stands on no claim (seed 004: "negative fordringer og
    indbetalinger"): an item waiting on the sagsbehandlerfordeling, or a credit placed on the
    customer with something left. Shown as a negative amount, as the seed's search lists it."""

    art: str
    valoerdato: dt.date
    beloeb: Decimal
    indbetaling: Indbetaling | None
    tekst: str
    sagsbehandlerfordeling_id: int | None


def kreditter_soeg(
    *, user: Bruger | AnonymousUser, borger: Borger, kriterier: Soegekriterier
) -> list[Kreditpost]:
    """The borger's open credits by the same criteria as ``daekninger_soeg``: the value date
    is the original payment date, the amount what is still open. A credit is no claim type,
    so a search on Fordringstype finds none; a search on Indbetaling only those from a
    payment. Oldest first, as the list is worked."""
    if kriterier.type == SoegeType.FORDRINGSTYPE:
        return []

    poster = [
        Kreditpost(
            art="Til fordeling",
            valoerdato=p.valoerdato,
            beloeb=-p.beloeb,
            indbetaling=p.indbetaling,
            tekst=p.tekst,
            sagsbehandlerfordeling_id=p.pk,
        )
        for p in Sagsbehandlerfordeling.objects.for_user(user)
        .filter(kriterier.q(beloeb="beloeb"), borger=borger, behandlet__isnull=True)
        .select_related("indbetaling")
    ]
    poster += [
        Kreditpost(
            art="Kredit på kunden",
            valoerdato=k.valoerdato,
            beloeb=-k.rest,
            indbetaling=k.indbetaling,
            tekst=f"Udlignes ved næste kørsel (af {format_beloeb(k.beloeb)} kr.)",
            sagsbehandlerfordeling_id=None,
        )
        for k in Kundekredit.objects.for_user(user)
        .filter(kriterier.q(beloeb="rest"), borger=borger, rest__gt=0)
        .select_related("indbetaling")
    ]
    return sorted(poster, key=lambda p: p.valoerdato)


def daekninger_valgte(
    *, user: Bruger | AnonymousUser, ids: Sequence[int], borger: Borger | None = None
) -> list[Postering]:
    """The chosen dækninger, oldest first; ``ApplicationError`` with a Danish message when
    one is missing, chosen twice or (with ``borger``) not one of that borger's.

    ``borger`` is the borger whose page the choice was made on: the search step offers only
    his dækninger, so an id of another borger's dækning (even in the same kommune) is refused
    rather than moved without the step where that borger is chosen (DESIGN §8). The screens
    and the API reach this through ``ompostering.ompostering_opret(fra_borger_id=...)``.
    """
    if not ids:
        raise ApplicationError("Vælg mindst én dækning at ompostere.", felt="daekninger")
    if len(set(ids)) != len(ids):
        raise ApplicationError("Samme dækning er valgt flere gange.", felt="daekninger")
    daekninger = list(
        Postering.objects.for_user(user)
        .filter(pk__in=ids, art=PosteringArt.DAEKNING)
        .select_related("fordring__konto__borger", "indbetaling")
        .order_by("valoerdato", "id")
    )
    if len(daekninger) != len(ids):
        raise ApplicationError("En eller flere af de valgte dækninger findes ikke.")
    if borger is not None and any(d.fordring.konto.borger_id != borger.pk for d in daekninger):
        raise ApplicationError(
            f"En valgt dækning tilhører ikke {borger.navn}. Vælg blandt de dækninger, der er "
            "vist for borgeren; en anden borgers dækning omposteres fra den borgers side.",
            felt="daekninger",
        )
    return daekninger


def daekninger_staar_tjek(daekning_ids: Sequence[int]) -> None:
    """Every chosen dækning still stands: checked at each step of the wizard and under the lock
    when booking, so the loser of a race, or a person whose choice someone else moved
    meanwhile, gets a clear message."""
    if Postering.objects.filter(tilbagefoerer_id__in=daekning_ids).exists():
        raise ConflictError(
            "Dækningen er allerede tilbageført eller omposteret, måske af en anden i samme "
            "øjeblik. Søg igen og vælg på ny."
        )


@dataclass(frozen=True)
class TilbagerulningLinje:
    """Seed 004 trin 4: what rolling back does to one claim, shown before anything is booked."""

    fordring: Fordring
    daekket: Decimal
    rente_foer: Decimal
    rente_efter: Decimal
    restance_foer: Decimal
    restance_efter: Decimal


def tilbagerulning_vis(
    *, daekninger: Sequence[Postering], idag: dt.date
) -> list[TilbagerulningLinje]:
    """Each claim the chosen dækninger covered, with its interest recomputed as if they had
    never been there (the same computation the booking uses)."""
    ids = {d.pk for d in daekninger}
    linjer = []
    for fordring in {d.fordring_id: d.fordring for d in daekninger}.values():
        posteringer = list(fordring.posteringer.all())
        rente_foer = sum(
            (p.beloeb for p in aktive_posteringer(posteringer) if p.art == PosteringArt.RENTE),
            NUL,
        )
        aendring = rente_aendring(
            fordring=fordring, til_dato=idag, undtag=ids, posteringer=posteringer
        )
        linjer.append(
            TilbagerulningLinje(
                fordring=fordring,
                daekket=-sum((d.beloeb for d in daekninger if d.fordring_id == fordring.pk), NUL),
                rente_foer=rente_foer,
                rente_efter=rente_foer + aendring.netto,
                restance_foer=fordring.restance,
                restance_efter=aendring.restance_efter,
            )
        )
    return linjer


def udaekkede_fordringer(
    *,
    user: Bruger | AnonymousUser,
    borger: Borger,
    restance_efter: dict[int, Decimal] | None = None,
) -> list[tuple[Fordring, Decimal]]:
    """The borger's claims with something owing (seed 004 trin 4), oldest due date first,
    each with its restance once the rollback is done (``restance_efter``)."""
    restance_efter = restance_efter or {}
    fordringer = (
        Fordring.objects.for_user(user)
        .filter(konto__borger=borger)
        .filter(Q(restance__gt=0) | Q(pk__in=list(restance_efter)))
        .select_related("konto")
        .order_by("forfaldsdato", "fordringsid")
    )
    return [(f, restance_efter.get(f.pk, f.restance)) for f in fordringer]


def udbetalinger_til_godkendelse(*, user: Bruger | AnonymousUser) -> QuerySet[Udbetaling]:
    return (
        Udbetaling.objects.for_user(user)
        .filter(status=UdbetalingStatus.AFVENTER)
        .select_related(
            "borger",
            "modtager_borger",
            "modtager_alternativ",
            "oprettet_af",
            "ompostering",
            "sagsbehandlerfordeling",
        )
        .order_by("oprettet", "id")
    )


def sagsbehandlerfordeling_liste(
    *, user: Bruger | AnonymousUser, behandlede: bool = False, q: str = "", til_mig: bool = False
) -> QuerySet[Sagsbehandlerfordeling]:
    """Open items (seed 004: worked daily); with ``behandlede`` the handled ones, searchable
    by name, text or what was done, with who handled them and when. ``til_mig``: only those
    addressed to the person or to a unit of theirs (seed 004: "en liste som sagsbehandleren
    eller den organisatoriske enhed har adgang til")."""
    qs = Sagsbehandlerfordeling.objects.for_user(user).select_related(
        "borger",
        "behandlet_af",
        "ompostering__oprettet_af",
        "adresseret_bruger",
        "adresseret_enhed",
    )
    qs = qs.filter(behandlet__isnull=not behandlede)
    if til_mig and user.pk is not None:
        qs = qs.filter(
            pk__in=Sagsbehandlerfordeling.objects.filter(til_personen_q(user.pk)).values("pk")
        )
    if q.strip():
        qs = qs.filter(
            Q(borger__navn__icontains=q.strip())
            | Q(tekst__icontains=q.strip())
            | Q(behandling__icontains=q.strip())
        )
    return qs.order_by("-behandlet" if behandlede else "oprettet", "id")


@dataclass(frozen=True)
class Dagsliste:
    """Seed 004: "listerne behandles dagligt". What waits for the person (and their units)
    and for the whole kommune, and how much of it was there before today."""

    til_mig: int
    til_mig_fra_foer: int
    i_alt: int
    i_alt_fra_foer: int


def sagsbehandlerfordeling_dagsliste(*, user: Bruger | AnonymousUser) -> Dagsliste:
    aabne = Sagsbehandlerfordeling.objects.for_user(user).filter(behandlet__isnull=True)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    mine = Q(
        pk__in=Sagsbehandlerfordeling.objects.filter(til_personen_q(user.pk or 0)).values("pk")
    )
    foer = Q(oprettet__lt=start)
    tal = aabne.aggregate(
        til_mig=Count("pk", filter=mine),
        til_mig_fra_foer=Count("pk", filter=mine & foer),
        i_alt=Count("pk"),
        i_alt_fra_foer=Count("pk", filter=foer),
    )
    return Dagsliste(**tal)


def tilbagefoersel_begrundelse(ompostering: Ompostering) -> str:
    """The reason given when the ompostering was undone (kept in the audit trail)."""
    haendelse = (
        AuditEvent.objects.filter(
            kommune_id=ompostering.kommune_id,
            handling="ompostering.tilbagefoer",
            data__ompostering_id=ompostering.pk,
        )
        .order_by("pk")
        .first()
    )
    return haendelse.begrundelse if haendelse else ""
