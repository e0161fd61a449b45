"""A file of amounts a kommune reported to eIndkomst by hand (seed 000's workaround).

``cpr;indkomstaar;beloeb;tekst`` (``tekst`` optional), as Danish Excel saves it: semicolons,
UTF-8 or Windows-1252 decided as strictly as the KMD Aktiv extract (``kodning``), read by the
same reader (``parsing.laes_csv``). Each row is checked by the rules of
``fordringer.eindkomst.manuel`` and the rows are written through it, so a file refuses exactly
what the screen refuses. All or nothing (DESIGN §4.9): one bad row rejects the file with every
bad row's number and reason, and nothing is stored.

The KMD Aktiv extract itself has no place for it: its files hold sager, bevillinger, konti,
claims and dækninger, none per borger and income year, and importing the extract twice must
change nothing, where a by-hand amount is added to what was reported before.
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

from django.db import transaction
from django.utils import timezone

from fordringer.choices import ManuelKilde
from fordringer.eindkomst.manuel import (
    ManuelRaekke,
    eindkomst_manuelle_opret,
    ingen_borger,
    manuel_raekke,
    ukendte_cpr,
)
from fordringer.eindkomst.selectors import indkomstaar_interval
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent, Kommune
from ky_debitor.money import NUL, format_beloeb

from .parsing import laes_csv

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

SYSTEM = "eindkomst_manuel"
HANDLING = "eindkomst.manuel.importer"
# A file of by-hand amounts is a list a bookkeeper keeps, not an extract: a few thousand rows.
FIL_MAKS_BYTES = 5 * 1024 * 1024
FIL_MAKS_RAEKKER = 50_000
KOLONNER = ("cpr", "indkomstaar", "beloeb")
VALGFRI = ("tekst",)


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

    @property
    def overskrift(self) -> str:
        """The message without the rows (a screen lists them beneath)."""
        return f"Filen er afvist: {len(self.fejl)} fejl. Intet er gemt."


@dataclass(frozen=True)
class ManuelImport:
    """What a file added: rows, their total and the income years they were for."""

    antal: int
    total: Decimal
    aar: tuple[int, ...]


def _laes(
    sti: Path, interval: tuple[int, int]
) -> tuple[list[tuple[int, ManuelRaekke]], list[tuple[int, str]]]:
    """Every row of the file checked on its own: (row number, row), and the bad ones as (row
    number, reason)."""
    fejl: list[tuple[int, str]] = []
    raekker: list[tuple[int, ManuelRaekke]] = []

    def daarlig(linje: int, aarsag: str, felter: Sequence[str]) -> None:
        fejl.append((linje, aarsag[:1].upper() + aarsag[1:]))

    for linje, (cpr, aar, beloeb, tekst) in laes_csv(sti, KOLONNER, VALGFRI, daarlig):
        if len(raekker) + len(fejl) >= FIL_MAKS_RAEKKER:
            fejl.append((linje, f"Filen har mere end {FIL_MAKS_RAEKKER} rækker; del den op."))
            break
        try:
            r = manuel_raekke(
                cpr=cpr, indkomstaar=aar, beloeb=beloeb, tekst=tekst, interval=interval
            )
        except ApplicationError as exc:
            fejl.append((linje, exc.message))
        else:
            raekker.append((linje, r))
    return raekker, fejl


def _tidligere(kommune_id: int, sha256: str) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(kommune_id=kommune_id, handling=HANDLING, data__sha256=sha256)
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def eindkomst_manuel_importer(
    *, user: Bruger, fil: IO[bytes], idag: dt.date | None = None
) -> ManuelImport:
    """Record every by-hand amount of the CSV file ``fil`` (kilde IMPORT), or none: a bad row
    raises ``ManuelImportFejl`` with every bad row's number and reason. The same file twice is
    refused, so an upload repeated by mistake does not count the amounts twice."""
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is None:
        raise ApplicationError("Du er ikke tilknyttet en kommune.")
    indhold = fil.read(FIL_MAKS_BYTES + 1)
    if len(indhold) > FIL_MAKS_BYTES:
        raise ApplicationError(
            f"Filen er større end {FIL_MAKS_BYTES // (1024 * 1024)} MB; del den op.", felt="fil"
        )
    sha256 = hashlib.sha256(indhold).hexdigest()
    if (tidligere := _tidligere(kommune_id, sha256)) is not None:
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
    ukendte = ukendte_cpr(kommune_id=kommune_id, cpr=(r.cpr for _, r in raekker))
    fejl += [(linje, ingen_borger(r.cpr)) for linje, r in raekker if r.cpr in ukendte]
    if not fejl and not raekker:
        fejl.append((2, "Filen har ingen rækker under overskriften."))
    if fejl:
        raise ManuelImportFejl(
            [f"Række {linje}: {aarsag}" for linje, aarsag in sorted(fejl, key=lambda f: f[0])]
        )

    navn = str(getattr(fil, "name", "") or "")[:200]
    rows = eindkomst_manuelle_opret(
        user=user,
        raekker=[r for _, r in raekker],
        kilde=ManuelKilde.IMPORT,
        data=[{"fil": navn, "raekke": linje} for linje, _ in raekker],
    )
    total = sum((row.beloeb for row in rows), NUL)
    audit_log(
        user=user,
        kommune_id=kommune_id,
        handling=HANDLING,
        objekt=Kommune.objects.get(pk=kommune_id),
        beskrivelse=(
            f"Fil med manuelt indberettede § 8 O-beløb indlæst: {len(rows)} rækker, i alt "
            f"{format_beloeb(total)} kr."
        ),
        data={"sha256": sha256, "fil": navn, "antal": len(rows), "total": str(total)},
        system=SYSTEM,
    )
    return ManuelImport(
        antal=len(rows), total=total, aar=tuple(sorted({row.indkomstaar for row in rows}))
    )
