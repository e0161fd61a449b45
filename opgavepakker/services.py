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
    konto_ids = [o.konto_id for o in oensker]
    aabne: dict[int, list[Opgave]] = {}
    for opgave in Opgave.objects.filter(blandt("konto_id", konto_ids), status__in=AABNE).order_by(
        "pk"
    ):
        aabne.setdefault(opgave.konto_id, []).append(opgave)

    nu = timezone.now()
    aendringer = Aendringer()
    nye: list[Opgave] = []
    luk: list[Opgave] = []
    flyt: list[Opgave] = []
    for oensket in oensker:
        eksisterende = aabne.get(oensket.konto_id, [])
        opret = [o for o in eksisterende if o.type == OpgaveType.OPRET_FORDRINGSSAG]
        vent = [o for o in eksisterende if o.type == OpgaveType.DAEKNINGER]
        tilknyttet = oensket.aarsag is None

        beholdt = False
        for opgave in opret:
            taget = opgave.status == OpgaveStatus.I_GANG and not tilknyttet
            if opgave.aarsag == oensket.aarsag or taget:
                beholdt = True
                maal = pakker.get(pakke_kode(opgave.aarsag, oensket.har_parkeret))
                if maal is not None and opgave.pakke_id != maal.pk:
                    opgave.pakke = maal
                    flyt.append(opgave)
                continue
            opgave.status, opgave.afsluttet = OpgaveStatus.AFSLUTTET, nu
            opgave.afslutning = _lukkenote(oensket.aarsag, koersel_id)
            luk.append(opgave)
            aendringer.lukket.append((opgave.konto_id, opgave.aarsag))
        if oensket.aarsag is not None and not beholdt:
            aendringer.aabnet.append((oensket.konto_id, oensket.aarsag))
            if not proeve:
                nye.append(
                    Opgave(
                        kommune_id=kommune_id,
                        konto_id=oensket.konto_id,
                        pakke=pakker[pakke_kode(oensket.aarsag, oensket.har_parkeret)],
                        type=OpgaveType.OPRET_FORDRINGSSAG,
                        aarsag=oensket.aarsag,
                        evidens=dict(oensket.evidens),
                        koersel_id=koersel_id,
                    )
                )

        # The waiting step: one open task while the konto has parked dækninger/afskrivninger.
        if oensket.har_parkeret and not vent:
            aendringer.aabnet.append((oensket.konto_id, ""))
            if not proeve:
                nye.append(
                    Opgave(
                        kommune_id=kommune_id,
                        konto_id=oensket.konto_id,
                        pakke=pakker[VENTESKRIDT_KODE],
                        type=OpgaveType.DAEKNINGER,
                        koersel_id=koersel_id,
                    )
                )
        elif not oensket.har_parkeret:
            for opgave in vent:
                opgave.status, opgave.afsluttet = OpgaveStatus.AFSLUTTET, nu
                opgave.afslutning = "Lukket: de parkerede dækninger og afskrivninger er frigivet."
                luk.append(opgave)
                aendringer.lukket.append((opgave.konto_id, ""))

    aendringer.flyttet = len(flyt)
    if proeve:
        return aendringer
    rows_update(
        Opgave,
        columns=["status", "afsluttet", "afslutning"],
        rows=[(o.pk, o.status, o.afsluttet, o.afslutning) for o in luk],
    )
    rows_update(Opgave, columns=["pakke"], rows=[(o.pk, o.pakke_id) for o in flyt])
    rows_insert(nye)
    audit_rows_create(
        [
            dict(
                user=None,
                kommune_id=kommune_id,
                handling="opgave.luk",
                objekt_type="opgavepakker.opgave",
                objekt_id=str(o.pk),
                beskrivelse=o.afslutning,
                system="sagstilknytning",
            )
            for o in luk
        ]
    )
    return aendringer
