"""Step 1 of ``services.ompostering_opret``: lock and validate (seed 004 "Valideringsfejl").

``plan_laas`` checks every choice the person made, finds the dækninger and locks every konto
the ompostering will touch, in id order, so two omposteringer never deadlock. What comes out
is an ``OmposteringPlan``: what the ompostering will do, settled before anything is written.
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
from fordringer.ompostering.selectors import daekninger_valgte
from fordringer.ompostering.udbetaling import UdbetalingValg, udbetaling_valider
from ky_debitor.errors import ApplicationError, ConflictError
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
    """Check the person's choices, find the dækninger and lock every konto touched."""
    note = _valider_tekst(note)
    aarsag = _aarsag(aarsag_id)
    if udbetaling is not None:
        udbetaling_valider(user=user, udbetaling=udbetaling)
    valgt_borger = _til_borger(user=user, til_borger_id=til_borger_id)
    daekninger = _daekninger_hent(user=user, daekning_ids=daekning_ids, fra_borger_id=fra_borger_id)
    fra_borger = daekninger[0].fordring.konto.borger
    til_borger = valgt_borger or fra_borger
    konto_ids = _konti_beroert(
        user=user,
        daekninger=daekninger,
        fordeling=fordeling,
        til_borger=til_borger if automatisk else None,
    )
    _laas(konto_ids=konto_ids, daekning_ids=daekning_ids)
    return OmposteringPlan(
        daekning_ids=tuple(daekning_ids),
        daekninger=tuple(daekninger),
        aarsag=aarsag,
        note=note,
        fra_borger=fra_borger,
        til_borger=til_borger,
        fordeling=tuple(fordeling),
        fordringer=_valider_fordeling(user=user, fordeling=fordeling, til_borger=til_borger),
        udbetaling=udbetaling,
        automatisk=automatisk,
        idag=idag,
    )


def _valider_tekst(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAKS:
        raise ApplicationError(f"Noten må højst være {NOTE_MAKS} tegn.", felt="note")
    return note


def _aarsag(aarsag_id: int | None) -> OmposteringAarsag:
    aarsag = (
        OmposteringAarsag.objects.filter(pk=aarsag_id, aktiv=True).first()
        if aarsag_id is not None
        else None
    )
    if aarsag is None:
        raise ApplicationError("Vælg en årsag til omposteringen.", felt="aarsag")
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


def _laas(*, konto_ids: set[int], daekning_ids: Sequence[int]) -> None:
    """Lock every konto touched, in id order (so two omposteringer never deadlock), then
    check that every dækning still stands: the loser of a race gets a clear message."""
    list(Debitorkonto.objects.select_for_update().filter(pk__in=konto_ids).order_by("pk"))
    if Postering.objects.filter(tilbagefoerer_id__in=daekning_ids).exists():
        raise ConflictError(
            "Dækningen er allerede tilbageført eller omposteret, måske af en anden i samme "
            "øjeblik. Søg igen og vælg på ny."
        )


def _valider_fordeling(
    *,
    user: Bruger,
    fordeling: Sequence[NyDaekning],
    til_borger: Borger,
) -> dict[int, Fordring]:
    ids = [v.fordring_id for v in fordeling]
    if len(set(ids)) != len(ids):
        raise ApplicationError("Samme fordring er valgt flere gange.")
    for v in fordeling:
        if v.beloeb <= 0:
            raise ApplicationError(
                "Beløbet til dækning skal være større end 0,00 kr.",
                felt=f"fordring_{v.fordring_id}",
            )
    fordringer = {
        f.pk: f
        for f in Fordring.objects.for_user(user)
        .filter(pk__in=ids)
        .select_related("konto")
        .order_by("pk")
    }
    for v in fordeling:
        fordring = fordringer.get(v.fordring_id)
        if fordring is None or fordring.konto.borger_id != til_borger.pk:
            raise ApplicationError("En valgt fordring tilhører ikke den valgte borger.")
    return fordringer
