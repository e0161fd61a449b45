"""Writes on the money side: linking konti, creating sager, releasing parked dækninger.

Booking on the ledger lives in ``ledger.py``. Each service runs in one transaction, locks what
it changes and audits it; an ``ApplicationError`` leaves everything as it was.

Linking is set-based (``debitorkonti_tilknyt``) so a linking run can link a thousand konti in a
handful of statements; the caseworker's single link (``debitorkonto_tilknyt``) is the same code
with one konto. It reads as its steps: lock and validate (``plan.plan_laas``), create the
missing sager, link the konti, stamp their claims, release what was parked, derive the konti's
status, audit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from fordringer.choices import SagStatus
from fordringer.eindkomst.services import eindkomst_afstem
from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.ledger.services import postering_bogfoer, postering_tilbagefoer
from fordringer.models import (
    Bevilling,
    Debitorkonto,
    Fordring,
    Parkering,
    Sag,
    Ydelsestype,
)
from fordringer.rente.services import renteregime_stempl
from fordringer.tilknytning.plan import FordringValg, KontoValg, TilknytningPlan, plan_laas
from ky_debitor.audit import audit_rows_create
from ky_debitor.bulk import blandt, rows_update

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

__all__ = [
    "FordringValg",
    "KontoValg",
    "Tilknyttet",
    "debitorkonti_tilknyt",
    "debitorkonto_tilknyt",
    "parkeringer_frigiv",
    "postering_bogfoer",
    "postering_tilbagefoer",
]


@dataclass(frozen=True)
class Tilknyttet:
    konto_id: int
    sag_id: int
    sagsoprettet: bool
    frigivet: int


def parkeringer_frigiv(
    *, konto_ids: Sequence[int], kommune_id: int, user: Bruger | None, system: str = "system"
) -> dict[int, int]:
    """Release parked dækninger and afskrivninger of these konti whose claim has a ydelsestype:
    a dækning is then income (*indtægtsføring*). Its eIndkomst line follows from the ledger
    (``eindkomst_afstem``, called by the caller for the konti it linked). Returns released
    count per konto. Callers hold the konto locks.
    """
    nu = timezone.now()
    parkeret = Parkering.objects.filter(
        blandt("konto_id", konto_ids),
        frigivet__isnull=True,
        postering__fordring__ydelsestype__isnull=False,
    )
    rows = list(parkeret.values_list("pk", "konto_id"))
    if not rows:
        return {}
    frigivet: dict[int, int] = defaultdict(int)
    for _pk, konto_id in rows:
        frigivet[konto_id] += 1
    rows_update(Parkering, columns=["frigivet"], rows=[(pk, nu) for pk, _konto in rows])
    audit_rows_create(
        [
            dict(
                user=user,
                kommune_id=kommune_id,
                handling="parkering.frigiv",
                objekt_type="fordringer.debitorkonto",
                objekt_id=str(konto_id),
                beskrivelse=f"{antal} parkerede dækninger/afskrivninger frigivet til "
                "indtægtsføring.",
                system=system,
            )
            for konto_id, antal in frigivet.items()
        ]
    )
    return dict(frigivet)


def _nye_sagsnumre(kommune_id: int, kontonumre: Mapping[int, str]) -> dict[int, str]:
    """Per konto id: ``KY-<kontonummer>``, with ``-2``, ``-3`` … where that number is taken."""
    oenskede = {pk: f"KY-{nummer}" for pk, nummer in kontonumre.items()}
    optaget = set(
        Sag.objects.filter(
            blandt("sagsnummer", oenskede.values()), kommune_id=kommune_id
        ).values_list("sagsnummer", flat=True)
    )
    resultat = {}
    for konto_id, base in oenskede.items():
        nummer, n = base, 1
        while nummer in optaget:
            n += 1
            nummer = f"{base}-{n}"
            if Sag.objects.filter(kommune_id=kommune_id, sagsnummer=nummer).exists():
                optaget.add(nummer)
        optaget.add(nummer)
        resultat[konto_id] = nummer
    return resultat


@transaction.atomic
def debitorkonti_tilknyt(
    *,
    kommune_id: int,
    valg: Sequence[KontoValg],
    user: Bruger | None,
    manual: bool,
    fordring_valg: Mapping[int, FordringValg] | None = None,
    system: str = "sagstilknytning",
) -> list[Tilknyttet]:
    """Link debitorkonti to bevillinger and sager and stamp their claims (DESIGN §3, §5).

    For each konto: ``sag_id`` given → *sagstilknytning*; None → *sagsoprettelse* (one new sag
    per bevilling, which then becomes the bevilling's sag). Every claim gets the bevilling's
    number as KMD Aktiv reference and the ydelsestype of the bevilling's ydelseskode (or the
    one chosen), unless ``fordring_valg`` says otherwise for that claim. Parked dækninger and
    afskrivninger are released in the same transaction, and every konto is audited.

    Automation never overrides a person (DESIGN §4.5): with ``manual=False`` a konto or claim
    linked or referenced by hand raises ``ConflictError`` and nothing changes. ``user`` None is
    a linking run (``system``).
    """
    if not valg:
        return []
    plan = plan_laas(
        kommune_id=kommune_id, valg=valg, manual=manual, fordring_valg=fordring_valg or {}
    )
    sag_for, oprettede = _sager_opret(plan)
    _konti_tilknyt(plan, sag_for=sag_for, tilknyttet_af=user.pk if manual and user else None)
    _fordringer_stempl(plan)
    frigivet = parkeringer_frigiv(
        konto_ids=plan.konto_ids, kommune_id=kommune_id, user=user, system=system
    )
    # Released dækninger become income, and a claim whose ydelsestype changed reports anew.
    eindkomst_afstem(konto_ids=plan.konto_ids)
    # A linked konto's claims have a sag: it now waits for release unless it is released.
    kontostatus_opdater(kommune_id=kommune_id, konto_ids=plan.konto_ids)
    _audit(plan, sag_for=sag_for, oprettede=oprettede, frigivet=frigivet, user=user, system=system)
    return [
        Tilknyttet(
            v.konto_id,
            sag_for[v.konto_id],
            sag_for[v.konto_id] in oprettede,
            frigivet.get(v.konto_id, 0),
        )
        for v in valg
    ]


def _sager_opret(plan: TilknytningPlan) -> tuple[dict[int, int], set[int]]:
    """Sagsoprettelse: one new sag per bevilling (or per konto without a bevilling), which
    becomes the bevilling's sag. A bevilling that got a sag meanwhile (another chunk, another
    person) is linked to that sag instead. Returns the sag of every konto and the new ones."""
    sag_for: dict[int, int] = {}
    opret: dict[tuple[str, int], Sag] = {}
    uden_sag = [v for v in plan.valg if v.sag_id is None]
    numre = _nye_sagsnumre(
        plan.kommune_id, {v.konto_id: plan.konti[v.konto_id].kontonummer for v in uden_sag}
    )
    for v in uden_sag:
        bevilling = plan.bevilling(v)
        if bevilling is not None and bevilling.sag_id is not None:
            sag_for[v.konto_id] = bevilling.sag_id
            continue
        noegle = ("bevilling", bevilling.pk) if bevilling else ("konto", v.konto_id)
        if noegle not in opret:
            opret[noegle] = Sag(
                kommune_id=plan.kommune_id,
                sagsnummer=numre[v.konto_id],
                borger_id=plan.konti[v.konto_id].borger_id,
                ydelseskode=bevilling.ydelseskode if bevilling else "",
                ydelsestype_id=plan.ydelsestyper[v.konto_id],
                status=SagStatus.AABEN,
                oprettet_ved_tilknytning=True,
            )
    nye = Sag.objects.bulk_create(list(opret.values()), batch_size=1000)
    rows_update(
        Bevilling,
        columns=["sag"],
        rows=[(noegle[1], sag.pk) for noegle, sag in opret.items() if noegle[0] == "bevilling"],
    )
    for v in uden_sag:
        if v.konto_id not in sag_for:
            noegle = ("bevilling", v.bevilling_id) if v.bevilling_id else ("konto", v.konto_id)
            sag_for[v.konto_id] = opret[noegle].pk
    for v in plan.valg:
        if v.sag_id is not None:
            sag_for[v.konto_id] = v.sag_id
    return sag_for, {sag.pk for sag in nye}


def _konti_tilknyt(
    plan: TilknytningPlan, *, sag_for: Mapping[int, int], tilknyttet_af: int | None
) -> None:
    nu = timezone.now()
    rows_update(
        Debitorkonto,
        columns=["bevilling", "sag", "tilknytning", "tilknyttet_af", "tilknyttet_tid"],
        rows=[
            (v.konto_id, v.bevilling_id, sag_for[v.konto_id], plan.maade.value, tilknyttet_af, nu)
            for v in plan.valg
        ],
    )


def _fordringer_stempl(plan: TilknytningPlan) -> None:
    """The claims: the bevilling's number as reference and the ydelsestype, unless the person
    chose otherwise for a claim; then their interest regime follows (DESIGN §7)."""
    # Set-based, one statement per combination of what is known: a reference only where the
    # konto has a bevilling, a ydelsestype only where one is derived or chosen.
    stempler: dict[tuple[bool, bool], list[tuple[Any, ...]]] = defaultdict(list)
    for v in plan.valg:
        ref = plan.bevillinger[v.bevilling_id].bevillingsnummer if v.bevilling_id else None
        yt = plan.ydelsestyper[v.konto_id]
        row = (v.konto_id, *(x for x in (ref, yt) if x is not None), plan.maade.value)
        stempler[ref is not None, yt is not None].append(row)
    for (med_ref, med_yt), raekker in stempler.items():
        rows_update(
            Fordring,
            key="konto",
            columns=[
                *(["kmd_aktiv_reference"] if med_ref else []),
                *(["ydelsestype"] if med_yt else []),
                "reference_kilde",
            ],
            rows=raekker,
        )
    rows_update(
        Fordring,
        columns=["kmd_aktiv_reference", "ydelsestype"],
        rows=[
            (pk, fv.kmd_aktiv_reference.strip(), fv.ydelsestype_id)
            for pk, fv in plan.fordring_valg.items()
        ],
    )
    renteregime_stempl(
        Fordring.objects.filter(blandt("konto_id", plan.konto_ids)), idag=timezone.localdate()
    )


def _audit(
    plan: TilknytningPlan,
    *,
    sag_for: Mapping[int, int],
    oprettede: set[int],
    frigivet: Mapping[int, int],
    user: Bruger | None,
    system: str,
) -> None:
    """Every new sag and every konto linked, in one set-based write."""
    navne = dict(
        Sag.objects.filter(blandt("pk", set(sag_for.values()))).values_list("pk", "sagsnummer")
    )
    typer = dict(Ydelsestype.objects.values_list("pk", "navn"))
    rows: list[dict[str, Any]] = []
    for v in plan.valg:
        konto = plan.konti[v.konto_id]
        sag_id = sag_for[v.konto_id]
        oprettet = sag_id in oprettede
        bevilling = plan.bevilling(v)
        yt = plan.ydelsestyper[v.konto_id]
        if oprettet:
            rows.append(
                dict(
                    user=user,
                    kommune_id=plan.kommune_id,
                    handling="sag.opret",
                    objekt_type="fordringer.sag",
                    objekt_id=str(sag_id),
                    beskrivelse=f"Sag {navne[sag_id]} oprettet ved sagsoprettelse for "
                    f"debitorkonto {konto.kontonummer}.",
                    system=system,
                )
            )
        rows.append(
            dict(
                user=user,
                kommune_id=plan.kommune_id,
                handling="debitorkonto.tilknyt",
                objekt_type="fordringer.debitorkonto",
                objekt_id=str(konto.pk),
                beskrivelse=(
                    f"Debitorkonto {konto.kontonummer} "
                    f"{'sagsoprettet' if oprettet else 'sagstilknyttet'} "
                    f"({plan.maade.label.lower()}): bevilling "
                    f"{bevilling.bevillingsnummer if bevilling else 'ingen'}, sag {navne[sag_id]}, "
                    f"ydelsestype {typer.get(yt, 'ukendt') if yt else 'ukendt'}; "
                    f"{frigivet.get(v.konto_id, 0)} parkerede frigivet."
                ),
                begrundelse=v.begrundelse,
                data={"bevilling_id": v.bevilling_id, "sag_id": sag_id, "sagsoprettelse": oprettet},
                system=system,
            )
        )
    audit_rows_create(rows)


def debitorkonto_tilknyt(
    *,
    konto: Debitorkonto,
    bevilling: Bevilling | None,
    sag: Sag | None,
    user: Bruger | None,
    manual: bool,
    ydelsestype: Ydelsestype | None = None,
    fordring_valg: Mapping[int, FordringValg] | None = None,
    begrundelse: str = "",
    system: str = "sagstilknytning",
) -> Debitorkonto:
    """Link one konto: the caseworker's "Opret fordringssag" and the tests use this form."""
    debitorkonti_tilknyt(
        kommune_id=konto.kommune_id,
        valg=[
            KontoValg(
                konto_id=konto.pk,
                bevilling_id=bevilling.pk if bevilling else None,
                sag_id=sag.pk if sag else None,
                ydelsestype_id=ydelsestype.pk if ydelsestype else None,
                begrundelse=begrundelse,
            )
        ],
        user=user,
        manual=manual,
        fordring_valg=fordring_valg,
        system=system,
    )
    return Debitorkonto.objects.select_related("sag", "bevilling").get(pk=konto.pk)
