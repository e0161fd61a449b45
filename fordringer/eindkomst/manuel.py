"""Writes of what a kommune reported to eIndkomst by hand (seed 000's workaround).

While a claim waited for its sagstilknytning, a kommune could report a borger's § 8 O amount
for an income year by hand. What it reported is recorded here, per borger and income year,
so the batches net it out (``netto.modregn``) and the borger is not given the deduction twice;
the reconciliation (``afstemning``) shows what is left. A row is never changed: a wrong one is
cancelled by a row of the opposite amount that points at it (``eindkomst_manuel_annuller``).

One rule set for every way in — the screen, the API, the administration and a CSV file
(``importer.manuel``, through ``manuel_raekke`` and ``eindkomst_manuelle_opret``): the CPR
number is a borger of the person's kommune, the income year lies within the kommune's data,
the amount is positive with at most two decimals. Bad input raises ``ApplicationError`` with a
Danish message and stores nothing; every row is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from fordringer.choices import ManuelKilde
from fordringer.cpr import cpr_formater, cpr_maskeret, cpr_normaliser
from fordringer.eindkomst.selectors import indkomstaar_interval
from fordringer.models import Borger, EIndkomstManuel
from ky_debitor.audit import audit_log, audit_rows_create
from ky_debitor.bulk import blandt
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.money import MAX_DIGITS, OERE, format_beloeb, parse_beloeb

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

SYSTEM = "eindkomst_manuel"
TEKST_MAKS = 255  # the text and the reason for a cancellation (stored as its text)
CHUNK = 2000

HANDLING_OPRET = "eindkomst.manuel.opret"
HANDLING_ANNULLER = "eindkomst.manuel.annuller"


# --- The checks every way in shares ---------------------------------------------------------


def _kommune_id(user: Bruger) -> int:
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is None:
        raise ApplicationError("Du er ikke tilknyttet en kommune.")
    return int(kommune_id)


def _cpr(tekst: str) -> str:
    """Ten digits (with or without the dash), the first six a date."""
    try:
        return cpr_normaliser(str(tekst or ""))
    except ApplicationError as fejl:
        raise ApplicationError(fejl.message, felt="cpr") from None


def ingen_borger(cpr: str) -> str:
    return f"Ingen borger med CPR-nummer {cpr_formater(cpr)} i kommunen."


def _aar(indkomstaar: object, interval: tuple[int, int]) -> int:
    fra, til = interval
    if isinstance(indkomstaar, bool) or not isinstance(indkomstaar, int):
        tekst = str(indkomstaar or "").strip()
        if not (tekst.isdigit() and tekst.isascii() and len(tekst) == 4):
            raise ApplicationError(
                f"Skriv indkomståret som et årstal med fire cifre, fx {til}.", felt="indkomstaar"
            )
        indkomstaar = int(tekst)
    if not fra <= indkomstaar <= til:
        raise ApplicationError(
            f"Indkomståret {indkomstaar} ligger uden for kommunens data: vælg et år fra {fra} "
            f"til {til}.",
            felt="indkomstaar",
        )
    return indkomstaar


def _beloeb(beloeb: object) -> Decimal:
    """A positive amount in kroner and øre: a ``Decimal``, or a Danish text (``1.234,56``)."""
    if isinstance(beloeb, str):
        try:
            beloeb = parse_beloeb(beloeb)
        except ApplicationError as fejl:
            raise ApplicationError(fejl.message, felt="beloeb") from None
    if not isinstance(beloeb, Decimal) or not beloeb.is_finite():
        raise ApplicationError(
            "Beløbet skal være et beløb i kroner og øre, fx 1.234,56.", felt="beloeb"
        )
    if beloeb != beloeb.quantize(OERE):
        raise ApplicationError("Beløbet må højst have to decimaler.", felt="beloeb")
    if beloeb <= 0:
        raise ApplicationError(
            f"Beløbet skal være større end 0,00 kr. (angivet: {format_beloeb(beloeb)} kr.). "
            "Er et beløb indberettet forkert, så annullér det i stedet.",
            felt="beloeb",
        )
    if beloeb.adjusted() >= MAX_DIGITS - 2:
        raise ApplicationError("Beløbet er for stort.", felt="beloeb")
    return beloeb.quantize(OERE)


def _tekst(tekst: str | None, felt: str = "tekst", navn: str = "Teksten") -> str:
    tekst = (tekst or "").strip()
    if len(tekst) > TEKST_MAKS:
        raise ApplicationError(f"{navn} må højst være {TEKST_MAKS} tegn.", felt=felt)
    return tekst


def _kilde(kilde: ManuelKilde | str) -> ManuelKilde:
    try:
        return ManuelKilde(kilde)
    except ValueError:
        raise ApplicationError("Ukendt kilde til det manuelt indberettede beløb.") from None


def _beskrivelse(row: EIndkomstManuel) -> str:
    return (
        f"Manuelt indberettet § 8 O-beløb {format_beloeb(row.beloeb)} kr. for "
        f"{cpr_maskeret(row.cpr)} i indkomståret {row.indkomstaar} registreret "
        f"({ManuelKilde(row.kilde).label.lower()})."
    )


def _data(row: EIndkomstManuel) -> dict[str, object]:
    return {
        "indkomstaar": row.indkomstaar,
        "beloeb": str(row.beloeb),
        "kilde": row.kilde,
        "tilbagefoerer": row.tilbagefoerer_id,
    }


@dataclass(frozen=True)
class ManuelRaekke:
    """One by-hand amount, its fields checked (the borger's existence apart)."""

    cpr: str
    indkomstaar: int
    beloeb: Decimal
    tekst: str


def manuel_raekke(
    *, cpr: str, indkomstaar: object, beloeb: object, tekst: str | None, interval: tuple[int, int]
) -> ManuelRaekke:
    """Check one amount's fields; ``interval`` is ``selectors.indkomstaar_interval``'s.
    Raises ``ApplicationError`` naming the field."""
    return ManuelRaekke(_cpr(cpr), _aar(indkomstaar, interval), _beloeb(beloeb), _tekst(tekst))


def ukendte_cpr(*, kommune_id: int, cpr: Iterable[str]) -> set[str]:
    """The CPR numbers among ``cpr`` that are no borger of the kommune."""
    alle = sorted(set(cpr))
    kendte: set[str] = set()
    for i in range(0, len(alle), CHUNK):
        kendte.update(
            Borger.objects.for_kommune(kommune_id)
            .filter(blandt("cpr", alle[i : i + CHUNK]))
            .values_list("cpr", flat=True)
        )
    return set(alle) - kendte


# --- One amount -------------------------------------------------------------------------------


@transaction.atomic
def eindkomst_manuel_opret(
    *,
    user: Bruger,
    cpr: str,
    indkomstaar: int | str,
    beloeb: Decimal | str,
    tekst: str = "",
    kilde: ManuelKilde | str,
    idag: dt.date | None = None,
) -> EIndkomstManuel:
    """Record that the kommune reported ``beloeb`` (§ 8 O) for the borger with ``cpr`` in
    ``indkomstaar`` by hand. Every field's error is a Danish ``ApplicationError`` naming the
    field (``felt``); nothing is stored then."""
    kommune_id = _kommune_id(user)
    kilde = _kilde(kilde)
    interval = indkomstaar_interval(kommune_id=kommune_id, idag=idag or timezone.localdate())
    r = manuel_raekke(
        cpr=cpr, indkomstaar=indkomstaar, beloeb=beloeb, tekst=tekst, interval=interval
    )
    if not Borger.objects.for_kommune(kommune_id).filter(cpr=r.cpr).exists():
        raise ApplicationError(ingen_borger(r.cpr), felt="cpr")
    row = EIndkomstManuel.objects.create(
        kommune_id=kommune_id,
        cpr=r.cpr,
        indkomstaar=r.indkomstaar,
        beloeb=r.beloeb,
        tekst=r.tekst,
        kilde=kilde,
        aktoer=user.get_username(),
    )
    audit_log(
        user=user,
        kommune_id=kommune_id,
        handling=HANDLING_OPRET,
        objekt=row,
        beskrivelse=_beskrivelse(row),
        begrundelse=tekst,
        data=_data(row),
        system=SYSTEM,
    )
    return row


@transaction.atomic
def eindkomst_manuel_annuller(
    *, user: Bruger, manuel_id: int, begrundelse: str, kilde: ManuelKilde | str | None = None
) -> EIndkomstManuel:
    """Cancel a by-hand amount: a new row of the opposite amount that points at it. A row is
    cancelled once; a cancellation is not cancelled (record the amount again instead)."""
    kommune_id = _kommune_id(user)
    begrundelse = _tekst(begrundelse, felt="begrundelse", navn="Begrundelsen")
    if not begrundelse:
        raise ApplicationError("Skriv en begrundelse for annulleringen.", felt="begrundelse")
    # Locked, so two people cancelling the same amount at once queue up.
    original = (
        EIndkomstManuel.objects.for_kommune(kommune_id)
        .select_for_update()
        .filter(pk=manuel_id)
        .first()
    )
    if original is None:
        raise ApplicationError("Det manuelt indberettede beløb findes ikke i kommunen.")
    if original.tilbagefoerer_id is not None:
        raise ApplicationError(
            "Rækken er selv en annullering og kan ikke annulleres. Registrér beløbet igen, "
            "hvis det alligevel er indberettet."
        )
    if EIndkomstManuel.objects.filter(tilbagefoerer=original).exists():
        raise ConflictError("Beløbet er allerede annulleret.")
    try:
        with transaction.atomic():
            row = EIndkomstManuel.objects.create(
                kommune_id=kommune_id,
                cpr=original.cpr,
                indkomstaar=original.indkomstaar,
                beloeb=-original.beloeb,
                tekst=begrundelse,
                kilde=_kilde(kilde or original.kilde),
                tilbagefoerer=original,
                aktoer=user.get_username(),
            )
    except IntegrityError:  # the other one won the race on the one-to-one key
        raise ConflictError("Beløbet er allerede annulleret.") from None
    audit_log(
        user=user,
        kommune_id=kommune_id,
        handling=HANDLING_ANNULLER,
        objekt=original,
        beskrivelse=(
            f"Manuelt indberettet § 8 O-beløb {format_beloeb(original.beloeb)} kr. for "
            f"{cpr_maskeret(original.cpr)} i indkomståret {original.indkomstaar} annulleret."
        ),
        begrundelse=begrundelse,
        data={**_data(row), "annullering": row.pk},
        system=SYSTEM,
    )
    return row


# --- Many amounts (a file) --------------------------------------------------------------------


@transaction.atomic
def eindkomst_manuelle_opret(
    *,
    user: Bruger,
    raekker: Sequence[ManuelRaekke],
    kilde: ManuelKilde | str,
    data: Sequence[dict[str, object]] | None = None,
) -> list[EIndkomstManuel]:
    """Record many checked amounts at once (``manuel_raekke``), each audited; ``data`` adds to
    each row's audit data (where it came from, e.g. the file's row). Refuses them all if one
    CPR number is no borger of the kommune (``ingen_borger``)."""
    kommune_id = _kommune_id(user)
    kilde = _kilde(kilde)
    if ukendte := ukendte_cpr(kommune_id=kommune_id, cpr=(r.cpr for r in raekker)):
        raise ApplicationError(ingen_borger(min(ukendte)), felt="cpr")
    rows = EIndkomstManuel.objects.bulk_create(
        [
            EIndkomstManuel(
                kommune_id=kommune_id,
                cpr=r.cpr,
                indkomstaar=r.indkomstaar,
                beloeb=r.beloeb,
                tekst=r.tekst,
                kilde=kilde,
                aktoer=user.get_username(),
            )
            for r in raekker
        ],
        batch_size=CHUNK,
    )
    ekstra = list(data) if data is not None else [{} for _ in rows]
    audit_rows_create(
        [
            {
                "user": user,
                "kommune_id": kommune_id,
                "handling": HANDLING_OPRET,
                "objekt_type": EIndkomstManuel._meta.label_lower,
                "objekt_id": str(row.pk),
                "beskrivelse": _beskrivelse(row),
                "begrundelse": row.tekst,
                "data": {**_data(row), **mere},
                "system": SYSTEM,
            }
            for row, mere in zip(rows, ekstra, strict=True)
        ]
    )
    return rows
