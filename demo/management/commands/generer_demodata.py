"""``manage.py generer_demodata --kommune KODE --konti N [--seed S] [--csv DIR] [--hvis-tom]``.

Writes a synthetic KMD Aktiv extract for one kommune, imports it and stores the intended linking
outcome of every konto (DESIGN §6 "Demo data"). ``make demo`` runs it on every start with
``--hvis-tom``, which leaves a kommune that already has debitorkonti alone.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.services import DemoResultat, demodata_findes, demodata_generer
from fordringer.importer import ImportFejl
from ky_debitor.errors import ApplicationError
from ky_debitor.etiketter import etiket
from ky_debitor.visning import tal

VIST_FEJL = 50  # at most this many bad rows are printed


def _sek(sekunder: float) -> str:
    return f"{tal(sekunder, 1)} s"


class Command(BaseCommand):
    help = (
        "Genererer realistiske syntetiske KMD Aktiv-data for én kommune, indlæser dem og gemmer "
        "den forventede sagstilknytning for hver debitorkonto."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommune", type=int, required=True, help="Kommunekode, fx 751.")
        parser.add_argument("--konti", type=int, required=True, help="Antal debitorkonti.")
        parser.add_argument("--seed", type=int, default=1, help="Startværdi (standard 1).")
        parser.add_argument(
            "--csv", type=Path, default=None, help="Skriv CSV-filerne til denne mappe."
        )
        parser.add_argument(
            "--hvis-tom",
            action="store_true",
            help="Gør intet, hvis kommunen allerede har debitorkonti.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kommunekode: int = options["kommune"]
        har_konti = demodata_findes(kommunekode=kommunekode)
        if options["hvis_tom"] and har_konti:
            self.stdout.write(
                f"Kommune {kommunekode} har allerede debitorkonti; der genereres ingen demodata."
            )
            return
        start = time.perf_counter()
        try:
            resultat = demodata_generer(
                kommunekode=kommunekode,
                konti=options["konti"],
                seed=options["seed"],
                mappe=options["csv"],
            )
        except ImportFejl as fejl:
            for linje in fejl.fejl[:VIST_FEJL]:
                self.stderr.write(linje)
            if len(fejl.fejl) > VIST_FEJL:
                self.stderr.write(f"… og {len(fejl.fejl) - VIST_FEJL} fejl mere.")
            if har_konti:
                self.stderr.write(
                    f"Kommune {kommunekode} har allerede debitorkonti. Demodata kan kun lægges i "
                    "en kommune uden debitorkonti, eller igen med samme --seed og --konti; brug "
                    "--hvis-tom for at springe over."
                )
            raise CommandError(str(fejl)) from fejl
        except ApplicationError as fejl:
            raise CommandError(str(fejl)) from fejl
        self._opsummer(resultat, time.perf_counter() - start, options["csv"])

    def _opsummer(self, resultat: DemoResultat, i_alt: float, mappe: Path | None) -> None:
        antal = resultat.generering.antal
        self.stdout.write(
            f"Demodata for {resultat.kommune}: {tal(antal.konti)} debitorkonti, "
            f"{tal(antal.fordringer)} fordringer, {tal(antal.daekninger)} dækninger, "
            f"afskrivninger og nedreguleringer ({tal(antal.borgere)} borgere, "
            f"{tal(antal.bevillinger)} bevillinger, {tal(antal.sager)} sager)."
        )
        if mappe is not None:
            self.stdout.write(f"CSV-filerne ligger i {mappe}.")
        self.stdout.write("Forventet udfald af sagstilknytningen:")
        fordeling = resultat.fordeling
        for (udfald, aarsag), n in sorted(fordeling.items()):
            navn = etiket(udfald, "Resultat")
            if aarsag:
                navn = f"{navn} / {etiket(aarsag, 'Aarsag')}"
            andel = tal(100 * n / antal.konti, 1)
            self.stdout.write(f"  {navn:<60} {tal(n):>9}  ({andel} %)")
        maks_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.stdout.write(
            f"Tid: CSV {_sek(resultat.generering.sekunder)}, indlæsning "
            f"{_sek(resultat.sekunder_import)}, forventninger "
            f"{_sek(resultat.sekunder_forventninger)}, afslutning "
            f"{_sek(resultat.sekunder_commit)}, i alt {_sek(i_alt)}; "
            f"maks. hukommelse {tal(maks_mb)} MB."
        )
