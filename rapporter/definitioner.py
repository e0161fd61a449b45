"""Report definitions: a name, a Danish title, typed columns and a row source scoped by kommune.

Rows are streamed from the database with ``iterator(chunk_size=…)``; no report holds its whole
result in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from fordringer.choices import Kilde, Tilknytning
from fordringer.models import Debitorkonto
from opgavepakker.models import Opgave, OpgaveType
from opgavepakker.workflow import AABNE

TEKST, BELOEB, DATO, HELTAL = "tekst", "beløb", "dato", "heltal"


@dataclass(frozen=True)
class Kolonne:
    navn: str  # the contract name (DESIGN §6), also the CSV header
    overskrift: str  # Danish header for people
    type: str = TEKST


@dataclass(frozen=True)
class Rapport:
    navn: str
    titel: str
    beskrivelse: str
    kolonner: tuple[Kolonne, ...]
    raekker: Callable[[int], Iterator[tuple[Any, ...]]]  # kommune id → rows


def _kmd_aktiv_sagstilknytning(kommune_id: int) -> Iterator[tuple[Any, ...]]:
    """One row per KMD Aktiv debitorkonto with its linking result as it stands now."""
    aaben_opgave = Opgave.objects.filter(
        konto_id=OuterRef("pk"), type=OpgaveType.OPRET_FORDRINGSSAG, status__in=AABNE
    ).order_by("pk")
    konti = (
        Debitorkonto.objects.filter(kommune_id=kommune_id, kilde=Kilde.KMD_AKTIV)
        .annotate(opgave_aarsag=Subquery(aaben_opgave.values("aarsag")[:1]))
        .order_by("kontonummer")
        .values_list(
            "kontonummer",
            "borger__cpr",
            "status",
            "frigivelsestype",
            "tilknytning",
            "sag__oprettet_ved_tilknytning",
            "opgave_aarsag",
            "bevilling__bevillingsnummer",
            "sag__sagsnummer",
        )
    )
    for (
        nr,
        cpr,
        status,
        frigivelse,
        tilknytning,
        oprettet,
        aarsag,
        bevilling,
        sag,
    ) in konti.iterator(chunk_size=5000):
        if tilknytning != Tilknytning.INGEN:
            resultat = "SAGSOPRETTET" if oprettet else "SAGSTILKNYTTET"
            aarsag = ""
        elif aarsag:
            resultat = "OPGAVE"
        else:
            resultat, aarsag = "IKKE_KOERT", ""
        yield (nr, cpr, status, frigivelse, resultat, aarsag, bevilling or "", sag or "")


RAPPORTER: dict[str, Rapport] = {
    r.navn: r
    for r in (
        Rapport(
            navn="kmd_aktiv_sagstilknytning",
            titel="KMD Aktiv Fordring Sagstilknytning",
            beskrivelse="Én række pr. KMD Aktiv debitorkonto med frigivelsestype, resultatet af "
            "sagstilknytningen, årsagskode, bevilling og sag.",
            kolonner=(
                Kolonne("kontonummer", "Kontonummer"),
                Kolonne("cpr", "CPR-nummer"),
                Kolonne("status", "Status"),
                Kolonne("frigivelsestype", "Frigivelsestype"),
                Kolonne("resultat", "Resultat"),
                Kolonne("aarsag", "Årsag"),
                Kolonne("bevillingsnummer", "Bevillingsnummer"),
                Kolonne("sagsnummer", "Sagsnummer"),
            ),
            raekker=_kmd_aktiv_sagstilknytning,
        ),
    )
}
