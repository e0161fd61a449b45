"""One import run: read and check every file, then write everything or nothing (DESIGN §6)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.ydelser.selectors import ydelseskode_tabel
from ky_debitor.audit import audit_log
from ky_debitor.models import Kommune

from . import kontrol, load_generic, load_postgres, masseindlaesning, skrivning, staging
from .parsing import Felter, laes_csv
from .resultat import TABELLER, ImportFejl, ImportResultat
from .validation import FILER, Filspec, Raekke, valider

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

logger = logging.getLogger(__name__)

SYSTEM = "importer_kmd_aktiv"


def import_kmd_aktiv(mappe: Path, *, user: Bruger | None = None) -> ImportResultat:
    """Import the KMD Aktiv extract in ``mappe`` (DESIGN §6).

    Every row of every file is checked before anything is stored; if one is bad, nothing is
    stored and ``ImportFejl`` lists every bad row as ``fil:række: årsag``. Otherwise borgere,
    sager, bevillinger, konti and fordringer are created or updated, the ledger is booked and
    dækninger on unlinked KMD Aktiv konti are parked and the konti's status is derived
    (``kontostatus``), all in one transaction with one audit event. Importing the same files
    again changes nothing. On PostgreSQL an extract of ``KY_IMPORT_MASSE_GRAENSE`` rows or more
    is written in bulk mode (``masseindlaesning``).
    """
    mappe = Path(mappe)
    if not mappe.is_dir():
        raise ImportFejl([f"{mappe}: mappen findes ikke"])
    filer = [spec for spec in FILER if (mappe / spec.fil).is_file()]
    if not filer:
        navne = ", ".join(spec.fil for spec in FILER)
        raise ImportFejl([f"{mappe}: mappen indeholder ingen af filerne {navne}"])

    felter = Felter(
        kommuner=dict(Kommune.objects.values_list("kode", "id")),
        ydelseskoder=ydelseskode_tabel(),
    )
    resultat = ImportResultat()
    ur = _Ur(resultat.varighed)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            load_postgres.forbered(cursor)
        staging.opret(cursor, connection.vendor, FILER)
        fejl: list[tuple[int, int, str]] = []
        ulaeselig = False
        for nr, spec in enumerate(FILER):
            if spec in filer:
                foer = len(fejl)
                resultat.laest[spec.fil], laest = _indlaes(cursor, mappe, spec, felter, fejl, nr)
                # Not one row of the file could be read (its encoding or header is bad).
                ulaeselig |= len(fejl) > foer and not laest
        staging.klargoer(cursor, connection.vendor, FILER)
        ur.stop("læsning")
        if not ulaeselig:
            # Checks across files would report every reference to an unreadable file.
            filnr = {spec.fil: nr for nr, spec in enumerate(FILER)}
            fejl += [(filnr[f], linje, aarsag) for f, linje, aarsag in kontrol.kontroller(cursor)]
        ur.stop("kontrol")
        if fejl:
            fejl = sorted(dict.fromkeys(fejl), key=lambda f: f[:2])
            raise ImportFejl([f"{FILER[nr].fil}:{linje}: {aarsag}" for nr, linje, aarsag in fejl])
        kontekst = skrivning.Kontekst(
            nu=timezone.now(), idag=timezone.localdate(), aktoer=_aktoer(user)
        )
        masse = connection.vendor == "postgresql" and (
            resultat.raekker >= settings.KY_IMPORT_MASSE_GRAENSE
        )
        noegler = masseindlaesning.fjern(cursor) if masse else []
        skrivning.skriv(cursor, kontekst, resultat)
        ur.stop("skrivning")
        # The statuses KY derives (seed 000) follow the facts just written; the file's status
        # counts only as LUKKET (``skrivning._konti``).
        for kommune_id in sorted({int(pk) for pk in felter.kommune.values()}):
            kontostatus_opdater(kommune_id=kommune_id)
        ur.stop("kontostatus")
        if masse:
            kommuner = [int(pk) for pk in felter.kommune.values()]
            masseindlaesning.genskab(cursor, noegler, kommuner)
            ur.stop("fremmednøgler")
        _audit(user, resultat, set(felter.kommune.values()))
        staging.slet(cursor, FILER)
    # Deferred foreign-key checks run here (unless an outer transaction is still open).
    ur.stop("commit")
    if noegler:
        masseindlaesning.valider(noegler)
        ur.stop("validering")
    return resultat


class _Ur:
    """Seconds per phase, for the summary and the benchmark."""

    def __init__(self, varighed: dict[str, float]) -> None:
        self.varighed = varighed
        self.start = time.perf_counter()

    def stop(self, fase: str) -> None:
        nu = time.perf_counter()
        self.varighed[fase] = round(nu - self.start, 3)
        self.start = nu
        logger.debug("%.2f s: %s", self.varighed[fase], fase)


def _indlaes(
    cursor: CursorWrapper,
    mappe: Path,
    spec: Filspec,
    felter: Felter,
    fejl: list[tuple[int, int, str]],
    nr: int,
) -> tuple[int, int]:
    """Read, check and stage one file; returns the number of data rows in it and how many of
    them could be read as rows (valid or not)."""
    daarlige_linjer = 0
    afviste: list[tuple[str, int, str, str]] = []

    def rapporter(linje: int, aarsag: str, raekke: Sequence[str]) -> None:
        fejl.append((nr, linje, aarsag))
        # Remember the key of a rejected row, so rows that refer to it are not also reported
        # as referring to something that does not exist.
        if len(raekke) >= 2 and raekke[1].strip():
            kommune_id = felter.kommune.get(raekke[0]) or felter.kommune.get(raekke[0].strip())
            if kommune_id is not None:
                afviste.append((spec.tabel, linje, kommune_id, raekke[1].strip()))

    def rapporter_laesning(linje: int, aarsag: str, raekke: Sequence[str]) -> None:
        nonlocal daarlige_linjer
        daarlige_linjer += linje > 1
        rapporter(linje, aarsag, raekke)

    start = time.perf_counter()
    raekker = laes_csv(mappe / spec.fil, spec.kolonner, spec.valgfri, rapporter_laesning)
    with _skriver(cursor, spec) as ud:
        antal = valider(raekker, spec.omformer(felter), rapporter, ud)
    staging.gem_afviste(cursor, afviste)
    logger.debug("%.2f s: %s læst (%d rækker)", time.perf_counter() - start, spec.fil, antal)
    return antal + daarlige_linjer, antal


def _skriver(
    cursor: CursorWrapper, spec: Filspec
) -> AbstractContextManager[Callable[[list[Raekke]], None]]:
    if connection.vendor == "postgresql":
        return load_postgres.skriver(connection.connection, spec)
    return load_generic.skriver(cursor, spec)


def _aktoer(user: Bruger | None) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return str(user.get_username())
    return SYSTEM


def _audit(user: Bruger | None, resultat: ImportResultat, kommune_ider: set[str]) -> None:
    """One audit event per run, on the kommune of the extract (none when it spans several)."""
    kommuner = list(Kommune.objects.filter(pk__in=[int(pk) for pk in kommune_ider]))
    kommuner.sort(key=lambda k: k.kode)
    if not kommuner:
        return
    oprettet = ", ".join(f"{resultat.oprettet[t]} {t}" for t in TABELLER if resultat.oprettet[t])
    opdateret = ", ".join(f"{resultat.opdateret[t]} {t}" for t in TABELLER if resultat.opdateret[t])
    audit_log(
        user=user,
        kommune_id=kommuner[0].pk if len(kommuner) == 1 else None,
        handling="import.kmd_aktiv",
        objekt=kommuner[0],
        beskrivelse=(
            f"Udtræk fra KMD Aktiv indlæst: {resultat.raekker} rækker; "
            f"oprettet: {oprettet or 'intet'}; opdateret: {opdateret or 'intet'}."
        ),
        data={**resultat.som_data(), "kommuner": [k.kode for k in kommuner]},
        system=SYSTEM,
    )
