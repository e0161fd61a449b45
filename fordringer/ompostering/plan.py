"""Step 1 of ``services.ompostering_opret``: lock and validate (seed 004 "Valideringsfejl").

``plan_laas`` checks every choice the person made, finds the dækninger and locks every konto
the ompostering will touch, in id order, so two omposteringer never deadlock, then checks the
allocation against the restance as it stands under the lock (``kontrol``). What comes out is
an ``OmposteringPlan``: what the ompostering will do, settled before anything is written.
Every error is raised at once, each with its field (``kontrol.Valideringsfejl``).

``plan_kontroller`` is the same without the lock: the wizard runs it at the step where the
amounts are chosen, so the screen, the API and the booking check with one piece of code.
Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from fordringer.models import Borger, Debitorkonto, Fordring, OmposteringAarsag, Postering
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.kontrol import Fejl, fejl_rejs, fordeling_kontroller
from fordringer.ompostering.selectors import daekninger_staar_tjek, daekninger_valgte
from fordringer.ompostering.udbetaling import UdbetalingValg, udbetaling_fejl
from ky_debitor.errors import ApplicationError
from ky_debitor.money import NUL

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

NOTE_MAKS = 255


@dataclass(frozen=True)
class OmposteringPlan:
    """What an ompostering will do, settled (and its konti locked) before anything is written.

    ``fordeling`` and ``fordringer`` are the person's allocation and its claims; with
    ``automatisk`` the allocation is made after the rollback instead, in the legal order
    (``fordeling.fordeling_lovens_orden``).
    """

    daekning_ids: tuple[int, ...]
    daekninger: tuple[Postering, ...]
    aarsag: OmposteringAarsag
    note: str
    fra_borger: Borger
    til_borger: Borger
    fordeling: tuple[NyDaekning, ...]
    fordringer: Mapping[int, Fordring]
    udbetaling: UdbetalingValg | None
    automatisk: bool
    idag: dt.date

    @property
    def total(self) -> Decimal:
        return sum((d.beloeb for d in self.daekninger), NUL) * -1

    @property
    def udbetalt(self) -> Decimal:
        return self.udbetaling.beloeb if self.udbetaling is not None else NUL

    @property
    def anden(self) -> bool:
        """Moved to another borger than the one it was taken from."""
        return self.til_borger.pk != self.fra_borger.pk

    @property
    def begrundelse(self) -> str:
        return f"{self.aarsag.tekst}. {self.note}".strip() if self.note else self.aarsag.tekst


def plan_laas(
    *,
    user: Bruger,
    daekning_ids: Sequence[int],
    aarsag_id: int | None,
    til_borger_id: int | None,
    fra_borger_id: int | None,
    fordeling: Sequence[NyDaekning],
    udbetaling: UdbetalingValg | None,
    note: str,
    automatisk: bool,
    idag: dt.date,
) -> OmposteringPlan:
    """Check the person's choices, find the dækninger and lock every konto touched; then
    check the allocation against the restance as it stands under the lock. Every error at
    once (``kontrol.Valideringsfejl``)."""
    return _plan(
        user=user,
        daekning_ids=daekning_ids,
        aarsag_id=aarsag_id,
        til_borger_id=til_borger_id,
        fra_borger_id=fra_borger_id,
        fordeling=fordeling,
        udbetaling=udbetaling,
        note=note,
        automatisk=automatisk,
        idag=idag,
        laas=True,
    )


def plan_kontroller(
    *,
    user: Bruger,
    daekning_ids: Sequence[int],
    aarsag_id: int | None,
    til_borger_id: int | None,
    fra_borger_id: int | None,
    fordeling: Sequence[NyDaekning],
    udbetaling: UdbetalingValg | None,
    note: str = "",
    idag: dt.date,
) -> OmposteringPlan:
    """The same checks as ``plan_laas`` without locking or writing anything: what a step of
    the wizard runs before it lets the person on, against the restance read now."""
    return _plan(
        user=user,
        daekning_ids=daekning_ids,
        aarsag_id=aarsag_id,
        til_borger_id=til_borger_id,
        fra_borger_id=fra_borger_id,
        fordeling=fordeling,
        udbetaling=udbetaling,
        note=note,
        automatisk=False,
        idag=idag,
        laas=False,
    )


def _plan(
    *,
    user: Bruger,
    daekning_ids: Sequence[int],
    aarsag_id: int | None,
    til_borger_id: int | None,
    fra_borger_id: int | None,
    fordeling: Sequence[NyDaekning],
    udbetaling: UdbetalingValg | None,
    note: str,
    automatisk: bool,
    idag: dt.date,
    laas: bool,
) -> OmposteringPlan:
    fejl: list[Fejl] = []
    note = _valider_tekst(note, fejl)
    aarsag = _aarsag(aarsag_id, fejl)
    if udbetaling is not None:
        fejl += udbetaling_fejl(user=user, udbetaling=udbetaling)
    try:
        valgt_borger = _til_borger(user=user, til_borger_id=til_borger_id)
        daekninger = _daekninger_hent(
            user=user, daekning_ids=daekning_ids, fra_borger_id=fra_borger_id
        )
    except ApplicationError as fatal:
        # Without the dækninger nothing else can be checked; what was found so far is shown too.
        fejl_rejs([*fejl, Fejl(fatal.felt, fatal.message)])
        raise
    fra_borger = daekninger[0].fordring.konto.borger
    til_borger = valgt_borger or fra_borger
    if laas:
        _laas(
            konto_ids=_konti_beroert(
                user=user,
                daekninger=daekninger,
                fordeling=fordeling,
                til_borger=til_borger if automatisk else None,
            )
        )
    daekninger_staar_tjek(daekning_ids)
    fordelingsfejl, restancer = fordeling_kontroller(
        user=user,
        daekninger=daekninger,
        til_borger=til_borger,
        fordeling=fordeling,
        udbetalt=udbetaling.beloeb if udbetaling is not None else None,
        idag=idag,
    )
    fejl_rejs(fejl + fordelingsfejl)
    assert aarsag is not None  # an unknown reason is one of the errors raised above
    return OmposteringPlan(
        daekning_ids=tuple(daekning_ids),
        daekninger=tuple(daekninger),
        aarsag=aarsag,
        note=note,
        fra_borger=fra_borger,
        til_borger=til_borger,
        fordeling=tuple(fordeling),
        fordringer={pk: r.fordring for pk, r in restancer.items()},
        udbetaling=udbetaling,
        automatisk=automatisk,
        idag=idag,
    )


def _valider_tekst(note: str, fejl: list[Fejl]) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAKS:
        fejl.append(Fejl("note", f"Noten må højst være {NOTE_MAKS} tegn."))
    return note


def _aarsag(aarsag_id: int | None, fejl: list[Fejl]) -> OmposteringAarsag | None:
    aarsag = (
        OmposteringAarsag.objects.filter(pk=aarsag_id, aktiv=True).first()
        if aarsag_id is not None
        else None
    )
    if aarsag is None:
        fejl.append(Fejl("aarsag", "Vælg en årsag til omposteringen."))
    return aarsag


def _til_borger(*, user: Bruger, til_borger_id: int | None) -> Borger | None:
    """The other borger the money goes to, when one is chosen."""
    if til_borger_id is None:
        return None
    til_borger = Borger.objects.for_user(user).filter(pk=til_borger_id).first()
    if til_borger is None:
        raise ApplicationError("Den valgte borger findes ikke.", felt="til_borger")
    return til_borger


def _daekninger_hent(
    *, user: Bruger, daekning_ids: Sequence[int], fra_borger_id: int | None
) -> list[Postering]:
    fra_borger = None
    if fra_borger_id is not None:
        fra_borger = Borger.objects.for_user(user).filter(pk=fra_borger_id).first()
        if fra_borger is None:
            raise ApplicationError("Borgeren findes ikke.", felt="borger")
    daekninger = daekninger_valgte(user=user, ids=daekning_ids, borger=fra_borger)
    if len({d.fordring.konto.borger_id for d in daekninger}) != 1:
        raise ApplicationError("De valgte dækninger skal tilhøre samme borger.")
    return daekninger


def _konti_beroert(
    *,
    user: Bruger,
    daekninger: Sequence[Postering],
    fordeling: Sequence[NyDaekning],
    til_borger: Borger | None,
) -> set[int]:
    """The konti of the dækninger and of the chosen claims; with "Lad system ompostere" every
    konto of the borger receiving (``til_borger``), since the legal order may reach any."""
    konto_ids = {d.fordring.konto_id for d in daekninger} | set(
        Fordring.objects.for_user(user)
        .filter(pk__in=[v.fordring_id for v in fordeling])
        .values_list("konto_id", flat=True)
    )
    if til_borger is not None:
        konto_ids |= set(
            Debitorkonto.objects.for_user(user)
            .filter(borger=til_borger)
            .values_list("pk", flat=True)
        )
    return konto_ids


def _laas(*, konto_ids: set[int]) -> None:
    """Lock every konto touched, in id order, so two omposteringer never deadlock."""
    list(Debitorkonto.objects.select_for_update().filter(pk__in=konto_ids).order_by("pk"))
