"""``python manage.py importer_kmd_aktiv DIR``: load a KMD Aktiv extract (DESIGN §6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fordringer.importer import ImportFejl, import_kmd_aktiv
from ky_debitor.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Indlæs et udtræk fra KMD Aktiv: en mappe med sager.csv, bevillinger.csv, "
        "debitorkonti.csv, fordringer.csv og daekninger.csv. Alt eller intet gemmes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("mappe", type=Path, help="mappen med CSV-filerne")

    def handle(self, *args: Any, mappe: Path, **options: Any) -> None:
        try:
            resultat = import_kmd_aktiv(mappe)
        except ImportFejl as exc:
            for linje in exc.fejl:
                self.stderr.write(linje)
            raise CommandError(exc.message, returncode=1) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        self.stdout.write(self.style.SUCCESS("Indlæsningen er gennemført."))
        self.stdout.write(resultat.opsummering())
