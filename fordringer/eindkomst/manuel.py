"""Writes of what a kommune reported to eIndkomst by hand (seed 000's workaround).

While a claim waited for its sagstilknytning, a kommune could report a borger's § 8 O amount
for an income year by hand. What it reported is recorded here, per borger and income year,
so the batches net it out (``netto.modregn``) and the borger is not given the deduction twice;
the reconciliation (``afstemning``) shows what is left. A row is never changed: a wrong one is
cancelled by a row of the opposite amount that points at it (``eindkomst_manuel_annuller``).

One rule set for every way in — the screen, the API, the administration and a CSV file
(``eindkomst_manuel_importer``): the CPR number is a borger of the person's kommune, the
income year lies within the kommune's data, the amount is positive with at most two decimals.
Bad input raises ``ApplicationError`` with a Danish message and stores nothing; every row is
audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from fordringer.choices import ManuelKilde
from fordringer.cpr import cpr_formater, cpr_maskeret, cpr_normaliser
from fordringer.eindkomst.selectors import indkomstaar_interval
from fordringer.importer.parsing import laes_csv
from fordringer.models import Borger, EIndkomstManuel
from ky_debitor.audit import audit_log, audit_rows_create
from ky_debitor.bulk import blandt
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent, Kommune
from ky_debitor.money import MAX_DIGITS, NUL, OERE, format_beloeb, parse_beloeb

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

SYSTEM = "eindkomst_manuel"
TEKST_MAKS = 255  # the text and the reason for a cancellation (stored as its text)
# A file of by-hand amounts is a list a bookkeeper keeps, not an extract: a few thousand rows.
FIL_MAKS_BYTES = 5 * 1024 * 1024
FIL_MAKS_RAEKKER = 50_000
KOLONNER = ("cpr", "indkomstaar", "beloeb")
VALGFRI = ("tekst",)
CHUNK = 2000

HANDLING_OPRET = "eindkomst.manuel.opret"
HANDLING_ANNULLER = "eindkomst.manuel.annuller"
HANDLING_IMPORT = "eindkomst.manuel.importer"


class ManuelImportFejl(ApplicationError):
    """The file was rejected as a whole; ``fejl`` lists every bad row as ``Række N: årsag``."""

    def __init__(self, fejl: Sequence[str]) -> None:
        self.fejl = list(fejl)
        antal = len(self.fejl)
        super().__init__(
            f"Filen er afvist: {antal} fejl. Intet er gemt. {' '.join(self.fejl[:3])}"
            f"{' …' if antal > 3 else ''}",
            felt="fil",
        )


@dataclass(frozen=True)
class ManuelImport:
    """What a file added: rows, their total and the income years they were for."""

    antal: int
    total: Decimal
    aar: tuple[int, ...]


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


def _ingen_borger(cpr: str) -> str:
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
    cpr = _cpr(cpr)
    interval = indkomstaar_interval(kommune_id=kommune_id, idag=idag or timezone.localdate())
    aar = _aar(indkomstaar, interval)
    beloeb = _beloeb(beloeb)
    tekst = _tekst(tekst)
    if not Borger.objects.for_kommune(kommune_id).filter(cpr=cpr).exists():
        raise ApplicationError(_ingen_borger(cpr), felt="cpr")
    row = EIndkomstManuel.objects.create(
        kommune_id=kommune_id,
        cpr=cpr,
        indkomstaar=aar,
        beloeb=beloeb,
        tekst=tekst,
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


# --- A file of amounts ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Raekke:
    linje: int
    cpr: str
    aar: int
    beloeb: Decimal
    tekst: str


def _laes(sti: Path, interval: tuple[int, int]) -> tuple[list[_Raekke], list[tuple[int, str]]]:
    """Every row of the file checked on its own; the bad ones as (row number, reason)."""
    fejl: list[tuple[int, str]] = []
    raekker: list[_Raekke] = []

    def daarlig(linje: int, aarsag: str, felter: Sequence[str]) -> None:
        fejl.append((linje, aarsag[:1].upper() + aarsag[1:]))

    for linje, (cpr, aar, beloeb, tekst) in laes_csv(sti, KOLONNER, VALGFRI, daarlig):
        if len(raekker) + len(fejl) >= FIL_MAKS_RAEKKER:
            fejl.append((linje, f"Filen har mere end {FIL_MAKS_RAEKKER} rækker; del den op."))
            break
        try:
            raekker.append(
                _Raekke(linje, _cpr(cpr), _aar(aar, interval), _beloeb(beloeb), _tekst(tekst))
            )
        except ApplicationError as exc:
            fejl.append((linje, exc.message))
    return raekker, fejl


def _ukendte_cpr(kommune_id: int, raekker: Sequence[_Raekke]) -> set[str]:
    alle = sorted({r.cpr for r in raekker})
    kendte: set[str] = set()
    for i in range(0, len(alle), CHUNK):
        kendte.update(
            Borger.objects.for_kommune(kommune_id)
            .filter(blandt("cpr", alle[i : i + CHUNK]))
            .values_list("cpr", flat=True)
        )
    return set(alle) - kendte


def _tidligere_import(kommune_id: int, sha256: str) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(
            kommune_id=kommune_id, handling=HANDLING_IMPORT, data__sha256=sha256
        )
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def eindkomst_manuel_importer(
    *, user: Bruger, fil: IO[bytes], idag: dt.date | None = None
) -> ManuelImport:
    """Record every by-hand amount of a CSV file (``cpr;indkomstaar;beloeb;tekst``, Danish
    Excel's semicolons, UTF-8 or Windows-1252 decided as strictly as the KMD Aktiv import,
    ``tekst`` optional). All or nothing (DESIGN §4.9): one bad row rejects the file with every
    bad row's number and reason (``ManuelImportFejl``). The same file twice is refused, so an
    upload repeated by mistake does not report the amounts twice."""
    kommune_id = _kommune_id(user)
    indhold = fil.read(FIL_MAKS_BYTES + 1)
    if len(indhold) > FIL_MAKS_BYTES:
        raise ApplicationError(
            f"Filen er større end {FIL_MAKS_BYTES // (1024 * 1024)} MB; del den op.", felt="fil"
        )
    sha256 = hashlib.sha256(indhold).hexdigest()
    tidligere = _tidligere_import(kommune_id, sha256)
    if tidligere is not None:
        raise ConflictError(
            f"Filen er allerede indlæst {timezone.localtime(tidligere.tidspunkt):%d-%m-%Y %H:%M} "
            f"af {tidligere.aktoer}. Intet er gemt.",
            felt="fil",
        )
    interval = indkomstaar_interval(kommune_id=kommune_id, idag=idag or timezone.localdate())
    with tempfile.TemporaryDirectory() as mappe:
        sti = Path(mappe) / "manuelt.csv"
        sti.write_bytes(indhold)
        raekker, fejl = _laes(sti, interval)
    ukendte = _ukendte_cpr(kommune_id, raekker)
    fejl += [(r.linje, _ingen_borger(r.cpr)) for r in raekker if r.cpr in ukendte]
    if not fejl and not raekker:
        fejl.append((2, "Filen har ingen rækker under overskriften."))
    if fejl:
        raise ManuelImportFejl(
            [f"Række {linje}: {aarsag}" for linje, aarsag in sorted(fejl, key=lambda f: f[0])]
        )

    rows = EIndkomstManuel.objects.bulk_create(
        [
            EIndkomstManuel(
                kommune_id=kommune_id,
                cpr=r.cpr,
                indkomstaar=r.aar,
                beloeb=r.beloeb,
                tekst=r.tekst,
                kilde=ManuelKilde.IMPORT,
                aktoer=user.get_username(),
            )
            for r in raekker
        ],
        batch_size=CHUNK,
    )
    navn = str(getattr(fil, "name", "") or "")[:200]
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
                "data": {**_data(row), "fil": navn, "raekke": r.linje},
                "system": SYSTEM,
            }
            for row, r in zip(rows, raekker, strict=True)
        ]
    )
    total = sum((r.beloeb for r in raekker), NUL)
    aar = tuple(sorted({r.aar for r in raekker}))
    audit_log(
        user=user,
        kommune_id=kommune_id,
        handling=HANDLING_IMPORT,
        objekt=Kommune.objects.get(pk=kommune_id),
        beskrivelse=(
            f"Fil med manuelt indberettede § 8 O-beløb indlæst: {len(rows)} rækker, i alt "
            f"{format_beloeb(total)} kr."
        ),
        data={"sha256": sha256, "fil": navn, "antal": len(rows), "total": str(total)},
        system=SYSTEM,
    )
    return ManuelImport(antal=len(rows), total=total, aar=aar)
