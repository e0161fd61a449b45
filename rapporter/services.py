"""Writes of the reports: producing a file, starting and running a background export, audit,
and deleting expired exports.

Reports carry CPR numbers, so every extraction (screen preview, direct download, stored export,
fetch of a stored file, the command) is written to the audit trail (DESIGN §4.4).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from ky_debitor.audit import audit_log
from ky_debitor.koe import efter_commit
from ky_debitor.models import Kommune

from . import sqllinjer
from .definitioner import AAR, FRA_DATO, MAANED, TIL_DATO, VALG, Rapport, rapport_hent
from .eksport import (
    XLSX_MAX_RAEKKER,
    Fremskridt,
    csv_bytes,
    csv_raekke_linjer,
    skriv_csv_linjer,
    skriv_xlsx_linjer,
    xlsx_raekke_linjer,
)
from .models import Eksport, EksportFormat, EksportStatus
from .sqllinjer import CSV, XLSX

logger = logging.getLogger(__name__)

EKSPORT_DAGE_STANDARD = 7
GRAENSE_STANDARD = 20_000


def eksport_dage() -> int:
    """Days a stored export is kept (setting ``KY_EKSPORT_DAGE``)."""
    return int(getattr(settings, "KY_EKSPORT_DAGE", EKSPORT_DAGE_STANDARD))


def direkte_graense() -> int:
    """Above this many rows an export runs in the background (setting ``KY_EKSPORT_GRAENSE``)."""
    return int(getattr(settings, "KY_EKSPORT_GRAENSE", GRAENSE_STANDARD))


# --- Filters as text and as JSON ---------------------------------------------------------------


def filtre_tekst(rapport: Rapport, filtre: Mapping[str, Any]) -> str:
    """The chosen filters in Danish, for the front sheet, the audit trail and "Mine udtræk"."""
    dele = []
    for f in rapport.filtre:
        vaerdi = filtre.get(f.navn)
        if vaerdi in (None, ""):
            continue
        if f.type == MAANED:
            tekst = vaerdi.strftime("%m-%Y")
        elif f.type in (FRA_DATO, TIL_DATO):
            tekst = vaerdi.strftime("%d-%m-%Y")
        elif f.type == VALG:
            tekst = dict(f.valg).get(vaerdi, str(vaerdi))
        else:
            tekst = str(vaerdi)
        dele.append(f"{f.label}: {tekst}")
    return "; ".join(dele) or "Ingen (alle rækker)"


def filtre_til_json(filtre: Mapping[str, Any]) -> dict[str, str]:
    return {k: v.isoformat() if isinstance(v, dt.date) else str(v) for k, v in filtre.items()}


def _fra_json(type_: str | None, v: str) -> Any:
    if type_ in (MAANED, FRA_DATO, TIL_DATO):
        return dt.date.fromisoformat(v)
    if type_ == AAR:
        return int(v)
    return v


def filtre_fra_json(rapport: Rapport, data: Mapping[str, str]) -> dict[str, Any]:
    typer = {f.navn: f.type for f in rapport.filtre}
    return {k: _fra_json(typer.get(k), v) for k, v in data.items() if k in typer}


# --- Producing a file ----------------------------------------------------------------------------


def forside(
    rapport: Rapport, kommune: Kommune, filtre: Mapping[str, Any], tidspunkt: dt.datetime
) -> list[tuple[str, str]]:
    return [
        ("Rapport", rapport.titel),
        ("Kommune", f"{kommune.navn} Kommune ({kommune.kode})"),
        ("Filtre", filtre_tekst(rapport, filtre)),
        ("Udtrukket", timezone.localtime(tidspunkt).strftime("%d-%m-%Y %H:%M")),
        ("Beskrivelse", rapport.beskrivelse),
    ]


def _linjer(
    rapport: Rapport, kommune: Kommune, filtre: Mapping[str, Any], format: str
) -> Iterator[str]:
    """The report's CSV lines or sheet rows: made by PostgreSQL where the report is described
    for it (``rapporter.sqllinjer``), else formatted here from its Python rows."""
    kilde = rapport.kilde(kommune.pk, filtre) if rapport.kilde else None
    if kilde is not None and sqllinjer.kan(kilde):
        return sqllinjer.linjer(kilde, rapport.kolonner, format)
    raekker = rapport.raekker(kommune.pk, filtre)
    if format == CSV:
        return csv_raekke_linjer(rapport.kolonner, raekker)
    return xlsx_raekke_linjer(rapport.kolonner, raekker)


def udtraek_skriv(
    *,
    rapport: Rapport,
    kommune: Kommune,
    filtre: Mapping[str, Any],
    format: str,
    fil: Any,
    max_raekker: int = XLSX_MAX_RAEKKER,
    fremskridt: Fremskridt | None = None,
) -> int:
    """Write the report for one kommune as ``format`` to ``fil`` (a path); returns rows.

    The one producer behind the command, the direct xlsx download and the stored exports.
    """
    if format == EksportFormat.CSV:
        with open(fil, "w", encoding="utf-8-sig", newline="") as tekstfil:
            return skriv_csv_linjer(
                rapport.kolonner,
                _linjer(rapport, kommune, filtre, CSV),
                tekstfil,
                fremskridt=fremskridt,
            )
    return skriv_xlsx_linjer(
        rapport.kolonner,
        _linjer(rapport, kommune, filtre, XLSX),
        fil,
        arktitel=rapport.arknavn,
        forside=forside(rapport, kommune, filtre, timezone.now()),
        max_raekker=max_raekker,
        fremskridt=fremskridt,
    )


def udtraek_audit(
    *,
    user: Any,
    kommune: Kommune,
    rapport: Rapport,
    filtre: Mapping[str, Any],
    handling: str,
    antal: int,
    format: str = "",
    objekt: Any = None,
    system: str = "system",
) -> None:
    """Record an extraction of a report (it carries CPR numbers) in the audit trail."""
    hvordan = f", {format}" if format else ""
    audit_log(
        user=user,
        kommune_id=kommune.pk,
        handling=handling,
        objekt=objekt if objekt is not None else kommune,
        beskrivelse=f"Rapport {rapport.titel} udtrukket ({antal} rækker{hvordan}).",
        data={"rapport": rapport.navn, "filtre": filtre_til_json(filtre), "antal": antal},
        system=system,
    )


@dataclass(frozen=True)
class Forhaandsvisning:
    antal: int
    raekker: list[tuple[Any, ...]]
    anslaaet: dict[str, float]  # seconds to write the file, per format


# Rows per second when the kommune has no finished export of the report to go by: the slower
# Python-formatted reports as measured (docs/benchmarks.md), so the estimate errs long.
STANDARD_HASTIGHED: dict[str, float] = {EksportFormat.XLSX: 8_000.0, EksportFormat.CSV: 20_000.0}


def anslaaet_sekunder(*, kommune_id: int, rapport: Rapport, antal: int, format: str) -> float:
    """How long writing ``antal`` rows of the report as ``format`` will take: at the pace of
    the kommune's last finished exports of it (rows over writing time), else the standard."""
    seneste = list(
        Eksport.objects.for_kommune(kommune_id)
        .filter(
            rapport=rapport.navn,
            format=format,
            status=EksportStatus.FAERDIG,
            startet__isnull=False,
            antal__gte=1000,
        )
        .order_by("-faerdig")
        .values_list("antal", "startet", "faerdig")[:5]
    )
    raekker = sum(a for a, _, _ in seneste)
    sekunder = sum((f - s).total_seconds() for _, s, f in seneste)
    hastighed = raekker / sekunder if seneste and sekunder > 0 else STANDARD_HASTIGHED[format]
    return 1 + antal / hastighed


def _foerste_raekker(
    rapport: Rapport, kommune_id: int, filtre: Mapping[str, Any], maks: int
) -> list[tuple[Any, ...]]:
    """The first ``maks`` rows, planned as the first rows: a described report with a LIMIT
    (at 1.1 M rows, 0.1 s instead of 5 s), any other with PostgreSQL told that only a sliver of
    the cursor will be read (it plans for a tenth by default, and sorted whole tables)."""
    if rapport.kilde is not None:
        return rapport.kilde(kommune_id, filtre).foerste(maks)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 0.0001")
        kilde = rapport.raekker(kommune_id, filtre, chunk_size=maks)
        raekker = [tuple(r) for r in islice(kilde, maks)]
        # Close the generator now, so a server-side cursor is released with it.
        getattr(kilde, "close", lambda: None)()
    return raekker


def udtraek_vis(
    *, user: Any, rapport: Rapport, filtre: Mapping[str, Any], maks: int = 50
) -> Forhaandsvisning:
    """The row count and the first ``maks`` rows for the screen (logged: they show CPR)."""
    kommune = user.kommune
    antal = rapport.antal(kommune.pk, filtre)
    raekker = _foerste_raekker(rapport, kommune.pk, filtre, maks)
    udtraek_audit(
        user=user,
        kommune=kommune,
        rapport=rapport,
        filtre=filtre,
        handling="rapport.vist",
        antal=len(raekker),
    )
    anslaaet = {
        f: anslaaet_sekunder(kommune_id=kommune.pk, rapport=rapport, antal=antal, format=f)
        for f in EksportFormat.values
    }
    return Forhaandsvisning(antal=antal, raekker=raekker, anslaaet=anslaaet)


def udtraek_csv_stroem(
    *, user: Any, rapport: Rapport, filtre: Mapping[str, Any], antal: int
) -> Iterator[bytes]:
    """Audit a direct CSV download and return its body as a stream of byte chunks."""
    kommune = user.kommune
    udtraek_audit(
        user=user,
        kommune=kommune,
        rapport=rapport,
        filtre=filtre,
        handling="rapport.udtraek",
        antal=antal,
        format=EksportFormat.CSV,
    )
    return csv_bytes(rapport.kolonner, _linjer(rapport, kommune, filtre, CSV))


def udtraek_xlsx_direkte(
    *, user: Any, rapport: Rapport, filtre: Mapping[str, Any], fil: Any, antal: int
) -> int:
    """Audit a direct xlsx download and write it to ``fil`` (a temporary file)."""
    kommune = user.kommune
    udtraek_audit(
        user=user,
        kommune=kommune,
        rapport=rapport,
        filtre=filtre,
        handling="rapport.udtraek",
        antal=antal,
        format=EksportFormat.XLSX,
    )
    return udtraek_skriv(
        rapport=rapport, kommune=kommune, filtre=filtre, format=EksportFormat.XLSX, fil=fil
    )


# --- Stored exports ------------------------------------------------------------------------------


def eksport_bestil(
    *, user: Any, rapport: Rapport, filtre: Mapping[str, Any], format: str, antal: int
) -> Eksport:
    """Create a stored export for the user and start it once the row is committed."""
    from . import tasks  # tasks import this module

    nu = timezone.now()
    with transaction.atomic():
        eksport = Eksport.objects.create(
            kommune_id=user.kommune_id,
            bruger=user,
            rapport=rapport.navn,
            titel=rapport.titel,
            format=format,
            filtre=filtre_til_json(filtre),
            filtre_tekst=filtre_tekst(rapport, filtre)[:500],
            antal=antal,
            udloeber=nu + dt.timedelta(days=eksport_dage()),
        )
        udtraek_audit(
            user=user,
            kommune=user.kommune,
            rapport=rapport,
            filtre=filtre,
            handling="rapport.eksport_bestilt",
            antal=antal,
            format=format,
            objekt=eksport,
        )
        efter_commit(tasks.eksport_koer, eksport.pk)
    return eksport


def _filnavn(eksport: Eksport) -> str:
    navn = default_storage.generate_filename(
        f"udtraek/{eksport.oprettet:%Y/%m}/{eksport.pk}_{eksport.filnavn}"
    )
    return default_storage.get_available_name(navn)


# Key space of the advisory locks held while an export is written (an arbitrary, fixed number).
_EKSPORT_LAAS = 7_310_001


@contextmanager
def _eksport_laas(eksport_id: int) -> Iterator[bool]:
    """Hold a lock on one export while it is written; False when another worker holds it.

    A session-level PostgreSQL advisory lock: it is not tied to a transaction (the export writes
    its progress in many), and dies with the worker's connection, so an export whose worker was
    killed can be written again by the redelivered message. Embedded (SQLite) runs in-process.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", (_EKSPORT_LAAS, eksport_id))
        faaet = bool(cursor.fetchone()[0])
    try:
        yield faaet
    finally:
        if faaet:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", (_EKSPORT_LAAS, eksport_id))


def eksport_koer(*, eksport_id: int, max_raekker: int = XLSX_MAX_RAEKKER) -> Eksport:
    """Write a stored export once, however many messages ask for it.

    The sweep (``eksporter_ventende``) re-sends an export the queue never took; should the
    first message arrive after all, it finds the export being written (locked) or done.
    """
    with _eksport_laas(eksport_id) as faaet:
        if not faaet:
            return Eksport.objects.get(pk=eksport_id)
        return _eksport_skriv(eksport_id=eksport_id, max_raekker=max_raekker)


def eksporter_ventende(*, nu: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of exports ordered at least ``KY_EKSPORT_GENSEND_SEKUNDER`` ago that no worker has
    started: the queue was away when they were ordered, or lost their message."""
    nu = nu or timezone.now()
    graense = nu - dt.timedelta(seconds=settings.KY_EKSPORT_GENSEND_SEKUNDER)
    return list(
        Eksport.objects.filter(status=EksportStatus.VENTER, oprettet__lte=graense)
        .order_by("oprettet", "id")
        .values_list("pk", flat=True)[:limit]
    )


def _eksport_skriv(*, eksport_id: int, max_raekker: int) -> Eksport:
    """Write a stored export to MEDIA_ROOT, reporting progress on the row as it goes.

    A failure marks the export FEJLET with a Danish message and removes the partial file.
    """
    eksport = Eksport.objects.select_related("kommune").get(pk=eksport_id)
    if not eksport.er_aktiv:
        return eksport
    rapport = rapport_hent(eksport.rapport)
    filtre = filtre_fra_json(rapport, eksport.filtre)
    antal = rapport.antal(eksport.kommune_id, filtre)
    Eksport.objects.filter(pk=eksport.pk).update(
        status=EksportStatus.KOERER, antal=antal, skrevet=0, startet=timezone.now()
    )
    navn = _filnavn(eksport)
    sti = Path(default_storage.path(navn))
    sti.parent.mkdir(parents=True, exist_ok=True)

    def fremskridt(n: int) -> None:
        Eksport.objects.filter(pk=eksport.pk).update(skrevet=n)

    try:
        n = udtraek_skriv(
            rapport=rapport,
            kommune=eksport.kommune,
            filtre=filtre,
            format=eksport.format,
            fil=str(sti),
            max_raekker=max_raekker,
            fremskridt=fremskridt,
        )
    except Exception:
        logger.exception("Udtræk %s fejlede", eksport.pk)
        sti.unlink(missing_ok=True)
        Eksport.objects.filter(pk=eksport.pk).update(
            status=EksportStatus.FEJLET,
            fejl="Udtrækket kunne ikke dannes. Prøv igen, eller kontakt driften.",
            faerdig=timezone.now(),
        )
        raise
    Eksport.objects.filter(pk=eksport.pk).update(
        status=EksportStatus.FAERDIG,
        fil=navn,
        antal=n,
        skrevet=n,
        faerdig=timezone.now(),
        stoerrelse=sti.stat().st_size,
    )
    eksport.refresh_from_db()
    return eksport


def eksport_hentet(*, user: Any, eksport: Eksport) -> None:
    """Record that the owner fetched a stored export (it carries CPR numbers)."""
    rapport = rapport_hent(eksport.rapport)
    udtraek_audit(
        user=user,
        kommune=eksport.kommune,
        rapport=rapport,
        filtre=filtre_fra_json(rapport, eksport.filtre),
        handling="rapport.eksport_hentet",
        antal=eksport.antal,
        format=eksport.format,
        objekt=eksport,
    )


def eksport_ryd_op(*, nu: dt.datetime | None = None) -> int:
    """Delete expired exports and their files (``KY_EKSPORT_DAGE`` after they were ordered).

    The audit rows of the extraction stay; only the file and the list entry go.
    """
    nu = nu or timezone.now()
    slettet = 0
    for eksport in Eksport.objects.filter(udloeber__lt=nu).iterator(chunk_size=500):
        if eksport.fil:
            eksport.fil.delete(save=False)
        eksport.delete()
        slettet += 1
    return slettet
