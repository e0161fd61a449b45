"""Generate a kommune's demo extract, import it, and store the intended outcome of every konto.

The CSV files go through the same import as a real KMD Aktiv extract (DESIGN §6), so the demo
exercises the import too; ``DemoForventning`` then says, per konto, what the linking run of
DESIGN §5 should decide, so tests and benchmarks can measure it.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from fordringer.importer import ImportResultat, import_kmd_aktiv
from fordringer.models import Debitorkonto
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Kommune

from .bygger import Bygger, Optaelling, Tilfaeldig
from .models import DemoForventning
from .scenarier import KATALOG, Forventning, plan
from .writer import Udtraek

MAKS_KONTI = 9_999_999  # kontonumre are the kommunekode + 7 digits
BATCH = 5000


@dataclass(frozen=True)
class Generering:
    """What the CSV step wrote: the folder, the counts and each konto's intended outcome."""

    mappe: Path
    antal: Optaelling
    forventninger: list[Forventning]
    sekunder: float


@dataclass(frozen=True)
class DemoResultat:
    kommune: Kommune
    generering: Generering
    indlaesning: ImportResultat
    sekunder_import: float
    sekunder_forventninger: float
    # PostgreSQL checks the deferred foreign keys of every imported row at COMMIT.
    sekunder_commit: float

    @property
    def fordeling(self) -> Counter[tuple[str, str]]:
        """How many konti are meant to end in each (resultat, årsag)."""
        return Counter((f.resultat, f.aarsag) for f in self.generering.forventninger)


def demodata_skriv_csv(*, kommunekode: int, konti: int, seed: int, mappe: Path) -> Generering:
    """Write the five CSV files of a synthetic extract with exactly ``konti`` debitorkonti.

    Pure and deterministic: the same arguments give byte-identical files. Touches no database.
    """
    if not 1 <= konti <= MAKS_KONTI:
        raise ApplicationError(f"Antal konti skal være mellem 1 og {MAKS_KONTI}.")
    start = time.perf_counter()
    rng = Tilfaeldig(seed)
    forventninger: list[Forventning] = []
    with Udtraek(mappe) as udtraek:
        bygger = Bygger(kommunekode=kommunekode, rng=rng, udtraek=udtraek)
        for navn in plan(rng, konti):
            forventninger += KATALOG[navn].byg(bygger)
    return Generering(
        mappe=mappe,
        antal=bygger.antal,
        forventninger=forventninger,
        sekunder=time.perf_counter() - start,
    )


def demodata_findes(*, kommunekode: int) -> bool:
    """Does the kommune already hold debitorkonti (demo or real)?"""
    return Debitorkonto.objects.filter(kommune__kode=kommunekode).exists()


def demoforventninger_gem(*, kommune: Kommune, forventninger: list[Forventning]) -> int:
    """Store (or overwrite) the intended outcome of each konto, matched by kontonummer."""
    konto_id = dict(
        Debitorkonto.objects.filter(kommune=kommune).values_list("kontonummer", "id").iterator()
    )
    mangler = [f.kontonummer for f in forventninger if f.kontonummer not in konto_id]
    if mangler:
        raise ApplicationError(
            f"{len(mangler)} debitorkonti fra demodata blev ikke indlæst (fx {mangler[0]})."
        )
    raekker = (
        DemoForventning(
            kommune=kommune,
            konto_id=konto_id[f.kontonummer],
            resultat=f.resultat,
            aarsag=f.aarsag,
            bevillingsnummer=f.bevillingsnummer,
            sagsnummer=f.sagsnummer,
            scenarie=f.scenarie,
        )
        for f in forventninger
    )
    antal = 0
    batch: list[DemoForventning] = []
    for raekke in raekker:
        batch.append(raekke)
        if len(batch) == BATCH:
            antal += _gem(batch)
            batch = []
    if batch:
        antal += _gem(batch)
    return antal


def _gem(batch: list[DemoForventning]) -> int:
    DemoForventning.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["konto"],
        update_fields=["resultat", "aarsag", "bevillingsnummer", "sagsnummer", "scenarie"],
    )
    return len(batch)


def demodata_generer(
    *,
    kommunekode: int,
    konti: int,
    seed: int = 1,
    mappe: Path | None = None,
    user: Any = None,
) -> DemoResultat:
    """Write a synthetic extract (to ``mappe`` or a temporary folder), import it and store the
    intended outcomes, all in one transaction.

    Raises ``ApplicationError`` for an unknown kommunekode and ``ImportFejl`` if the import
    rejects the files (then nothing is stored).
    """
    kommune = Kommune.objects.filter(kode=kommunekode).first()
    if kommune is None:
        raise ApplicationError(f"Ukendt kommunekode {kommunekode}.")
    with tempfile.TemporaryDirectory(prefix="ky-demodata-") as midlertidig:
        generering = demodata_skriv_csv(
            kommunekode=kommunekode, konti=konti, seed=seed, mappe=mappe or Path(midlertidig)
        )
        with transaction.atomic():
            start = time.perf_counter()
            indlaesning = import_kmd_aktiv(generering.mappe, user=user)
            sekunder_import = time.perf_counter() - start
            start = time.perf_counter()
            demoforventninger_gem(kommune=kommune, forventninger=generering.forventninger)
            sekunder_forventninger = time.perf_counter() - start
            start = time.perf_counter()
        sekunder_commit = time.perf_counter() - start
    return DemoResultat(
        kommune=kommune,
        generering=generering,
        indlaesning=indlaesning,
        sekunder_import=sekunder_import,
        sekunder_forventninger=sekunder_forventninger,
        sekunder_commit=sekunder_commit,
    )
