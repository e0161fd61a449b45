"""Writes on tasks: the packages of a kommune, and keeping tasks in step with the konti.

``opgaver_synkroniser`` is what a linking run calls for a chunk of konti: it opens the task a
konto needs, keeps an identical open task as it is (so a second run opens nothing), moves a task
to the right package when parked dækninger come or go, and closes tasks that no longer apply
with a note of why. Tasks a person has taken (I_GANG) keep their reason until the konto is
linked; automation never takes work out of a person's hands (DESIGN §4.5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ky_debitor.audit import audit_rows_create
from ky_debitor.bulk import blandt, rows_insert, rows_update

from .models import Opgave, Opgavepakke, OpgaveType
from .pakker import VENTESKRIDT_KODE, definitioner, pakke_kode
from .workflow import AABNE, OpgaveStatus


def pakker_sikr(kommune_id: int) -> dict[str, Opgavepakke]:
    """The kommune's 15 packages by code, created the first time they are needed."""
    eksisterende = {p.kode: p for p in Opgavepakke.objects.filter(kommune_id=kommune_id)}
    mangler = [d for d in definitioner() if d.kode not in eksisterende]
    if mangler:
        Opgavepakke.objects.bulk_create(
            [
                Opgavepakke(
                    kommune_id=kommune_id,
                    kode=d.kode,
                    navn=d.navn,
                    aarsag=d.aarsag,
                    med_daekninger=d.med_daekninger,
                    venteskridt=d.venteskridt,
                    raekkefoelge=d.raekkefoelge,
                )
                for d in mangler
            ],
            ignore_conflicts=True,
        )
        eksisterende = {p.kode: p for p in Opgavepakke.objects.filter(kommune_id=kommune_id)}
    return eksisterende


@dataclass(frozen=True)
class OensketOpgave:
    """What a konto needs after a run: ``aarsag`` None means no "Opret fordringssag" task."""

    konto_id: int
    aarsag: str | None
    har_parkeret: bool
    evidens: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Aendringer:
    aabnet: list[tuple[int, str]] = field(default_factory=list)  # (konto, aarsag)
    lukket: list[tuple[int, str]] = field(default_factory=list)
    flyttet: int = 0


_VENTESKRIDT_LUKKET = "Lukket: de parkerede dækninger og afskrivninger er frigivet."


def _lukkenote(ny: str | None, koersel_id: int | None) -> str:
    hvem = f"sagstilknytningskørsel {koersel_id}" if koersel_id else "systemet"
    if ny is None:
        return f"Lukket af {hvem}: debitorkontoen er tilknyttet."
    return f"Lukket af {hvem}: årsagen er nu {ny}."


@transaction.atomic
def opgaver_synkroniser(
    *,
    kommune_id: int,
    oensker: Sequence[OensketOpgave],
    koersel_id: int | None,
    proeve: bool = False,
) -> Aendringer:
    """Bring the tasks of these konti in line with ``oensker`` (see module docstring).

    With ``proeve=True`` nothing is written; the returned ``Aendringer`` says what would change.
    Callers hold the konto locks.
    """
    pakker = (
        pakker_sikr(kommune_id)
        if not proeve
        else {p.kode: p for p in Opgavepakke.objects.filter(kommune_id=kommune_id)}
    )
    aabne = _aabne_opgaver([o.konto_id for o in oensker])
    plan = _synkronisering_planlaeg(oensker, aabne, pakker=pakker, koersel_id=koersel_id)
    if not proeve:
        _synkronisering_skriv(plan, kommune_id=kommune_id, pakker=pakker, koersel_id=koersel_id)
        _lukninger_audit(plan.lukkes, kommune_id=kommune_id)
    return Aendringer(
        aabnet=[(n.konto_id, n.aarsag) for n in plan.nye],
        lukket=[(luk.konto_id, luk.aarsag) for luk in plan.lukkes],
        flyttet=len(plan.flyttes),
    )


@dataclass(frozen=True)
class _NyOpgave:
    konto_id: int
    type: OpgaveType
    pakke_kode: str
    aarsag: str = ""  # empty for the waiting step
    evidens: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Lukning:
    opgave_id: int
    konto_id: int
    aarsag: str  # empty for the waiting step
    note: str


@dataclass(frozen=True)
class _Synkronisering:
    """The plan, decided in memory before anything is written."""

    nye: tuple[_NyOpgave, ...]
    lukkes: tuple[_Lukning, ...]
    flyttes: tuple[tuple[int, int], ...]  # (opgave, new package)


def _aabne_opgaver(konto_ids: Sequence[int]) -> dict[int, list[Opgave]]:
    """The konti's open tasks by konto, oldest first."""
    aabne: dict[int, list[Opgave]] = {}
    for opgave in Opgave.objects.filter(blandt("konto_id", konto_ids), status__in=AABNE).order_by(
        "pk"
    ):
        aabne.setdefault(opgave.konto_id, []).append(opgave)
    return aabne


def _synkronisering_planlaeg(
    oensker: Sequence[OensketOpgave],
    aabne: Mapping[int, list[Opgave]],
    *,
    pakker: Mapping[str, Opgavepakke],
    koersel_id: int | None,
) -> _Synkronisering:
    """Konto by konto: which open tasks stay (perhaps in another package), which close, and
    which tasks the konto lacks."""
    nye: list[_NyOpgave] = []
    lukkes: list[_Lukning] = []
    flyttes: list[tuple[int, int]] = []
    for oensket in oensker:
        eksisterende = aabne.get(oensket.konto_id, [])
        opret = [o for o in eksisterende if o.type == OpgaveType.OPRET_FORDRINGSSAG]
        vent = [o for o in eksisterende if o.type == OpgaveType.DAEKNINGER]

        beholdes = [o for o in opret if _beholdes(o, oensket)]
        for opgave in beholdes:
            maal = pakker.get(pakke_kode(opgave.aarsag, oensket.har_parkeret))
            if maal is not None and opgave.pakke_id != maal.pk:
                flyttes.append((opgave.pk, maal.pk))
        lukkes += [
            _Lukning(o.pk, o.konto_id, o.aarsag, _lukkenote(oensket.aarsag, koersel_id))
            for o in opret
            if not _beholdes(o, oensket)
        ]
        if oensket.aarsag is not None and not beholdes:
            nye.append(
                _NyOpgave(
                    konto_id=oensket.konto_id,
                    type=OpgaveType.OPRET_FORDRINGSSAG,
                    pakke_kode=pakke_kode(oensket.aarsag, oensket.har_parkeret),
                    aarsag=oensket.aarsag,
                    evidens=oensket.evidens,
                )
            )

        # The waiting step: one open task while the konto has parked dækninger/afskrivninger.
        if oensket.har_parkeret and not vent:
            nye.append(_NyOpgave(oensket.konto_id, OpgaveType.DAEKNINGER, VENTESKRIDT_KODE))
        elif not oensket.har_parkeret:
            lukkes += [_Lukning(o.pk, o.konto_id, "", _VENTESKRIDT_LUKKET) for o in vent]
    return _Synkronisering(nye=tuple(nye), lukkes=tuple(lukkes), flyttes=tuple(flyttes))


def _beholdes(opgave: Opgave, oensket: OensketOpgave) -> bool:
    """An open task stays while its reason holds; a task a person has taken stays until the
    konto is linked (automation never takes work out of a person's hands)."""
    taget = opgave.status == OpgaveStatus.I_GANG and oensket.aarsag is not None
    return opgave.aarsag == oensket.aarsag or taget


def _synkronisering_skriv(
    plan: _Synkronisering,
    *,
    kommune_id: int,
    pakker: Mapping[str, Opgavepakke],
    koersel_id: int | None,
) -> None:
    nu = timezone.now()
    rows_update(
        Opgave,
        columns=["status", "afsluttet", "afslutning"],
        rows=[(luk.opgave_id, OpgaveStatus.AFSLUTTET, nu, luk.note) for luk in plan.lukkes],
    )
    rows_update(Opgave, columns=["pakke"], rows=plan.flyttes)
    rows_insert(
        [
            Opgave(
                kommune_id=kommune_id,
                konto_id=ny.konto_id,
                pakke=pakker[ny.pakke_kode],
                type=ny.type,
                aarsag=ny.aarsag,
                evidens=dict(ny.evidens),
                koersel_id=koersel_id,
            )
            for ny in plan.nye
        ]
    )


def _lukninger_audit(lukkes: Sequence[_Lukning], *, kommune_id: int) -> None:
    audit_rows_create(
        [
            dict(
                user=None,
                kommune_id=kommune_id,
                handling="opgave.luk",
                objekt_type="opgavepakker.opgave",
                objekt_id=str(luk.opgave_id),
                beskrivelse=luk.note,
                system="sagstilknytning",
            )
            for luk in lukkes
        ]
    )
