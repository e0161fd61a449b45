"""Checking a new allocation against the live restance (seed 004 "Valideringsfejl").

"Indtastet beløb til dækning må ikke være større end OpkrævningFordringBeløb på den enkelte
fordring" and "Det samlede dækningsbeløb må ikke være større end det valgte summerede
omposteringsbeløb": checked at every step that decides an amount (the screen's allocation
step, and again when the ompostering is booked, ``plan.plan_laas``), always from the claims
as they stand now, never from a figure carried in a form. Every error is collected, so a person
sees them all at once, each with its field. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from fordringer.choices import PosteringArt
from fordringer.models import Borger, Fordring, Postering
from fordringer.ompostering.fordeling import Kilde, NyDaekning, Pulje, for_stort_med_renter
from fordringer.rente.beregning import Bevaegelse
from fordringer.rente.services import rente_aendring
from ky_debitor.errors import ApplicationError
from ky_debitor.money import NUL, format_beloeb

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ky_debitor.models import Bruger

TOTAL = "total"


@dataclass(frozen=True)
class Fejl:
    """One error for a person: the field it belongs to (``None`` for the whole step)."""

    felt: str | None
    besked: str


class Valideringsfejl(ApplicationError):
    """All of a step's errors at once. ``message`` joins them; ``fejl`` keeps each with its
    field, so a screen shows each next to its field and the API lists them per field. They are
    also ``ApplicationError.felter`` (the shape every service's field errors take)."""

    def __init__(self, fejl: Sequence[Fejl]) -> None:
        felter: dict[str, list[str]] = {}
        for f in fejl:
            felter.setdefault(f.felt or TOTAL, []).append(f.besked)
        super().__init__(" ".join(f.besked for f in fejl), felt=fejl[0].felt, felter=felter)
        self.fejl = tuple(fejl)


def fejl_rejs(fejl: Sequence[Fejl]) -> None:
    if fejl:
        raise Valideringsfejl(fejl)


@dataclass(frozen=True)
class Opgoerelse:
    """The running total of seed 004 trin 3 and 5: what is chosen and what is left."""

    total: Decimal
    fordelt: Decimal
    udbetalt: Decimal

    @property
    def valgt(self) -> Decimal:
        return self.fordelt + self.udbetalt

    @property
    def rest(self) -> Decimal:
        """What is left for sagsbehandlerfordeling; negative when too much is chosen."""
        return self.total - self.valgt

    @property
    def for_meget(self) -> Decimal:
        """How much more is chosen than is being moved (0 when it fits)."""
        return max(self.valgt - self.total, NUL)


def opgoerelse(
    *, total: Decimal, fordeling: Sequence[NyDaekning], udbetalt: Decimal | None
) -> Opgoerelse:
    return Opgoerelse(
        total=total,
        fordelt=sum((v.beloeb for v in fordeling), NUL),
        udbetalt=udbetalt or NUL,
    )


@dataclass(frozen=True)
class Restance:
    """A claim as it will stand once the chosen dækninger are rolled back."""

    fordring: Fordring
    beloeb: Decimal
    undtag: frozenset[int]


def restancer_efter_tilbagerulning(
    *,
    user: Bruger | AnonymousUser,
    daekninger: Sequence[Postering],
    fordring_ids: Collection[int],
    idag: dt.date,
) -> dict[int, Restance]:
    """The live restance of each claim, read now: a claim a chosen dækning is taken from as if
    that dækning had never been there (interest recomputed, the same computation the booking
    uses); any other claim as it stands."""
    restancer = {}
    for fordring in (
        Fordring.objects.for_user(user).filter(pk__in=fordring_ids).select_related("konto")
    ):
        undtag = frozenset(d.pk for d in daekninger if d.fordring_id == fordring.pk)
        beloeb = fordring.restance
        if undtag:
            beloeb = rente_aendring(fordring=fordring, til_dato=idag, undtag=undtag).restance_efter
        restancer[fordring.pk] = Restance(fordring, beloeb, undtag)
    return restancer


def fordeling_fejl(
    *,
    fordeling: Sequence[NyDaekning],
    restancer: Mapping[int, Restance],
    til_borger_id: int | None,
    udbetalt: Decimal | None,
    total: Decimal,
) -> list[Fejl]:
    """The amounts against the restancer and the total: each amount above 0 and at most its
    claim's restance, and all of it with the payout at most the amount being moved (the
    payout's own checks are ``udbetaling.udbetaling_fejl``)."""
    fejl = []
    set_ids: set[int] = set()
    for v in fordeling:
        felt = f"fordring_{v.fordring_id}"
        restance = restancer.get(v.fordring_id)
        if v.fordring_id in set_ids:
            fejl.append(Fejl(felt, "Samme fordring er valgt flere gange."))
        elif restance is None or (
            til_borger_id is not None and restance.fordring.konto.borger_id != til_borger_id
        ):
            fejl.append(Fejl(felt, "En valgt fordring tilhører ikke den valgte borger."))
        elif v.beloeb <= 0:
            fejl.append(
                Fejl(
                    felt,
                    f"Beløbet til dækning af fordring {restance.fordring.fordringsid} skal være "
                    "større end 0,00 kr.",
                )
            )
        elif v.beloeb > restance.beloeb:
            fejl.append(
                Fejl(
                    felt,
                    f"Indtastet beløb til dækning ({format_beloeb(v.beloeb)} kr.) må ikke være "
                    f"større end restancen på fordring {restance.fordring.fordringsid} "
                    f"({format_beloeb(restance.beloeb)} kr.).",
                )
            )
        set_ids.add(v.fordring_id)
    valgt = sum((v.beloeb for v in fordeling if v.beloeb > 0), NUL) + max(udbetalt or NUL, NUL)
    if valgt > total:
        fejl.append(
            Fejl(
                TOTAL,
                f"Det samlede beløb til dækning og udbetaling ({format_beloeb(valgt)} kr.) må "
                f"ikke være større end det samlede omposteringsbeløb ({format_beloeb(total)} kr.).",
            )
        )
    return fejl


def rente_fejl(
    *,
    fordeling: Sequence[NyDaekning],
    restancer: Mapping[int, Restance],
    daekninger: Sequence[Postering],
    idag: dt.date,
) -> list[Fejl]:
    """An amount within the restance may still be too large once the claim's interest is
    recomputed from the original payment date (seed 004: the new dækning keeps that date):
    the money is taken from the payments in the order the booking takes it (``Pulje``)."""
    pulje = Pulje([Kilde(None, d.valoerdato, -d.beloeb) for d in daekninger])
    fejl = []
    for v in fordeling:
        dele = pulje.tag(v.beloeb)
        restance = restancer[v.fordring_id]
        aendring = rente_aendring(
            fordring=restance.fordring,
            til_dato=idag,
            undtag=restance.undtag,
            ekstra=[Bevaegelse(dato, -beloeb, PosteringArt.DAEKNING) for _i, dato, beloeb in dele],
        )
        if dele and aendring.restance_efter < 0:
            besked = for_stort_med_renter(
                fordring=restance.fordring,
                beloeb=v.beloeb,
                dato=dele[0][1],
                idag=idag,
                undtag=restance.undtag,
                restance=restance.beloeb,
            )
            fejl.append(Fejl(f"fordring_{v.fordring_id}", besked))
    return fejl


def fordeling_valider(
    *,
    fordeling: Sequence[NyDaekning],
    fordringer: Mapping[int, Fordring],
    udbetalt: Decimal | None,
    total: Decimal,
) -> None:
    """The same check on claims as they stand in this transaction (after a rollback has been
    booked, or for an amount waiting on the sagsbehandlerfordeling list)."""
    restancer = {}
    for pk, fordring in fordringer.items():
        fordring.refresh_from_db()
        restancer[pk] = Restance(fordring, fordring.restance, frozenset())
    fejl_rejs(
        fordeling_fejl(
            fordeling=fordeling,
            restancer=restancer,
            til_borger_id=None,
            udbetalt=udbetalt,
            total=total,
        )
    )


def fordeling_kontroller(
    *,
    user: Bruger | AnonymousUser,
    daekninger: Sequence[Postering],
    til_borger: Borger,
    fordeling: Sequence[NyDaekning],
    udbetalt: Decimal | None,
    idag: dt.date,
) -> tuple[list[Fejl], dict[int, Restance]]:
    """Every error of an allocation against the live restance, and the restancer read."""
    restancer = restancer_efter_tilbagerulning(
        user=user,
        daekninger=daekninger,
        fordring_ids={v.fordring_id for v in fordeling},
        idag=idag,
    )
    total = -sum((d.beloeb for d in daekninger), NUL)
    fejl = fordeling_fejl(
        fordeling=fordeling,
        restancer=restancer,
        til_borger_id=til_borger.pk,
        udbetalt=udbetalt,
        total=total,
    )
    if not fejl:
        fejl = rente_fejl(
            fordeling=fordeling, restancer=restancer, daekninger=daekninger, idag=idag
        )
    return fejl, restancer
