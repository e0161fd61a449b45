"""Step 1 of ``services.debitorkonti_tilknyt``: lock and validate.

``plan_laas`` locks the konti and the bevillinger of a linking (id order, like every other
service), checks every choice against them and settles what each konto gets: a
``TilknytningPlan``, before anything is written. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from fordringer.choices import Tilknytning
from fordringer.models import Bevilling, Debitorkonto, Fordring, Sag
from fordringer.ydelser.selectors import ydelseskode_tabel
from ky_debitor.bulk import blandt
from ky_debitor.errors import ApplicationError, ConflictError


@dataclass(frozen=True)
class FordringValg:
    """A person's choice for one claim on the task screen (seed 002: angiv reference, skift
    ydelsestype in one go)."""

    kmd_aktiv_reference: str
    ydelsestype_id: int | None


@dataclass(frozen=True)
class KontoValg:
    """Link ``konto_id`` to ``bevilling_id`` (may be None: særlig støtte, manual claims) and
    ``sag_id`` (None: *sagsoprettelse*). ``ydelsestype_id`` stamps the claims; None derives it
    from the bevilling's ydelseskode."""

    konto_id: int
    bevilling_id: int | None
    sag_id: int | None
    ydelsestype_id: int | None = None
    begrundelse: str = ""


class _KontoRaekke(Protocol):
    """A konto as a plain row: a linking chunk reads a few thousand of them."""

    @property
    def pk(self) -> int: ...
    @property
    def kontonummer(self) -> str: ...
    @property
    def borger_id(self) -> int: ...
    @property
    def tilknytning(self) -> str: ...


class _BevillingRaekke(Protocol):
    @property
    def pk(self) -> int: ...
    @property
    def kommune_id(self) -> int: ...
    @property
    def borger_id(self) -> int: ...
    @property
    def bevillingsnummer(self) -> str: ...
    @property
    def ydelseskode(self) -> str: ...
    @property
    def sag_id(self) -> int | None: ...


class _SagRaekke(Protocol):
    @property
    def kommune_id(self) -> int: ...
    @property
    def borger_id(self) -> int: ...
    @property
    def sagsnummer(self) -> str: ...


@dataclass(frozen=True)
class TilknytningPlan:
    """The locked konti and bevillinger of a linking, checked, with what each konto gets."""

    kommune_id: int
    valg: tuple[KontoValg, ...]
    konti: Mapping[int, _KontoRaekke]
    bevillinger: Mapping[int, _BevillingRaekke]
    ydelsestyper: Mapping[int, int | None]  # per konto id: the ydelsestype its claims get
    fordring_valg: Mapping[int, FordringValg]
    maade: Tilknytning

    @property
    def konto_ids(self) -> list[int]:
        return [v.konto_id for v in self.valg]

    def bevilling(self, v: KontoValg) -> _BevillingRaekke | None:
        return self.bevillinger.get(v.bevilling_id) if v.bevilling_id else None


def plan_laas(
    *,
    kommune_id: int,
    valg: Sequence[KontoValg],
    manual: bool,
    fordring_valg: Mapping[int, FordringValg],
) -> TilknytningPlan:
    """Lock the konti and their bevillinger (id order) and check every choice: the konto is
    the kommune's, the bevilling and sag the konto's borger's, and automation touches nothing
    a person linked or referenced by hand."""
    ids = [v.konto_id for v in valg]
    if len(set(ids)) != len(ids):
        raise ApplicationError("Samme debitorkonto er valgt flere gange.")
    # Plain rows, not model instances: a linking chunk reads a few thousand of each.
    konti: dict[int, _KontoRaekke] = {
        k.pk: k
        for k in Debitorkonto.objects.select_for_update()
        .filter(blandt("pk", ids), kommune_id=kommune_id)
        .order_by("pk")
        .values_list("pk", "kontonummer", "borger_id", "tilknytning", named=True)
    }
    if len(konti) != len(ids):
        raise ApplicationError("En eller flere debitorkonti findes ikke i kommunen.")
    if not manual:
        _ikke_manuelle(konti)
    bevillinger: dict[int, _BevillingRaekke] = {
        b.pk: b
        for b in Bevilling.objects.select_for_update()
        .filter(blandt("pk", {v.bevilling_id for v in valg if v.bevilling_id}))
        .order_by("pk")
        .values_list(
            "pk", "kommune_id", "borger_id", "bevillingsnummer", "ydelseskode", "sag_id", named=True
        )
    }
    sager = {
        s.pk: s
        for s in Sag.objects.filter(blandt("pk", {v.sag_id for v in valg if v.sag_id})).values_list(
            "pk", "kommune_id", "borger_id", "sagsnummer", named=True
        )
    }
    koder = ydelseskode_tabel()
    for v in valg:
        _valg_kontroller(
            v,
            kommune_id=kommune_id,
            konto=konti[v.konto_id],
            bevilling=bevillinger.get(v.bevilling_id) if v.bevilling_id else None,
            sag=sager.get(v.sag_id) if v.sag_id else None,
            med_fordring_valg=bool(fordring_valg),
        )
    if fordring_valg and Fordring.objects.filter(
        pk__in=fordring_valg, konto_id__in=ids
    ).count() != len(fordring_valg):
        raise ApplicationError("Der er valgt fordringer, som ikke står på debitorkontoen.")
    return TilknytningPlan(
        kommune_id=kommune_id,
        valg=tuple(valg),
        konti=konti,
        bevillinger=bevillinger,
        ydelsestyper={v.konto_id: _ydelsestype(v, bevillinger, koder) for v in valg},
        fordring_valg=fordring_valg,
        maade=Tilknytning.MANUEL if manual else Tilknytning.AUTOMATISK,
    )


def _valg_kontroller(
    v: KontoValg,
    *,
    kommune_id: int,
    konto: _KontoRaekke,
    bevilling: _BevillingRaekke | None,
    sag: _SagRaekke | None,
    med_fordring_valg: bool,
) -> None:
    """The bevilling and the sag chosen are the konto's borger's, in the kommune; without a
    bevilling the person names the ydelsestype (for the konto, or per claim)."""
    if v.bevilling_id and (
        bevilling is None
        or bevilling.kommune_id != kommune_id
        or bevilling.borger_id != konto.borger_id
    ):
        nummer = bevilling.bevillingsnummer if bevilling else ""
        raise ApplicationError(
            f"Bevilling {nummer} tilhører ikke debitorkontoens borger "
            f"(debitorkonto {konto.kontonummer})."
        )
    if v.sag_id and (
        sag is None or sag.kommune_id != kommune_id or sag.borger_id != konto.borger_id
    ):
        raise ApplicationError(
            f"Sag {sag.sagsnummer if sag else ''} tilhører ikke debitorkontoens borger "
            f"(debitorkonto {konto.kontonummer})."
        )
    if bevilling is None and v.ydelsestype_id is None and not med_fordring_valg:
        raise ApplicationError(
            f"Vælg en bevilling eller en ydelsestype for debitorkonto {konto.kontonummer}."
        )


def _ydelsestype(
    v: KontoValg, bevillinger: Mapping[int, _BevillingRaekke], koder: Mapping[str, int]
) -> int | None:
    """The ydelsestype the konto's claims get: the one chosen, else the bevilling's
    ydelseskode's (None when the code is unknown or there is no bevilling)."""
    if v.ydelsestype_id is not None:
        return v.ydelsestype_id
    bevilling = bevillinger.get(v.bevilling_id) if v.bevilling_id else None
    return koder.get(bevilling.ydelseskode.strip().upper()) if bevilling else None


def _ikke_manuelle(konti: Mapping[int, _KontoRaekke]) -> None:
    """Automation never overrides a person (DESIGN §4.5): no konto linked, and no claim
    referenced, by hand."""
    manuelle = {k.kontonummer for k in konti.values() if k.tilknytning == Tilknytning.MANUEL}
    manuelle |= {
        konti[konto_id].kontonummer
        for konto_id in Fordring.objects.filter(
            blandt("konto_id", list(konti)), reference_kilde=Tilknytning.MANUEL
        ).values_list("konto_id", flat=True)
    }
    if manuelle:
        raise ConflictError(
            f"Debitorkonto {', '.join(sorted(manuelle))} er tilknyttet eller refereret "
            "manuelt og ændres ikke af automatikken."
        )
