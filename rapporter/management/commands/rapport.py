"""``python manage.py rapport NAVN --kommune KODE --format csv|xlsx --output FIL`` (DESIGN §6)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ky_debitor.audit import audit_log
from ky_debitor.models import Kommune
from rapporter.definitioner import RAPPORTER
from rapporter.eksport import skriv_csv, skriv_xlsx


class Command(BaseCommand):
    help = "Danner en rapport som CSV eller xlsx (de samme filer som skærmens download)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("navn", choices=sorted(RAPPORTER))
        parser.add_argument("--kommune", type=int, required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", required=True, help="Filen der skrives.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kommune = Kommune.objects.get(kode=options["kommune"])
        except Kommune.DoesNotExist as exc:
            raise CommandError(f"Ukendt kommunekode {options['kommune']}.") from exc
        rapport = RAPPORTER[options["navn"]]
        if options["format"] == "csv":
            with open(options["output"], "w", encoding="utf-8-sig", newline="") as fil:
                n = skriv_csv(rapport, kommune.pk, fil)
        else:
            n = skriv_xlsx(rapport, kommune.pk, options["output"], kommune_navn=str(kommune))
        audit_log(
            user=None,
            kommune_id=kommune.pk,
            handling="rapport.udtraek",
            objekt=kommune,
            beskrivelse=f"Rapport {rapport.titel} udtrukket ({n} rækker, {options['format']}).",
            system="manage.py rapport",
        )
        self.stdout.write(f"{rapport.titel}: {n} rækker skrevet til {options['output']}.")
