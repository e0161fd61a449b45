"""``python manage.py taellinger``: check, compact or recount the kept overview figures."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ky_debitor.models import Kommune
from ky_debitor.taellinger import komprimer
from opgavepakker.taellingskontrol import afvigelser, genopbyg


class Command(BaseCommand):
    help = (
        "Kontrollér forsidens og Mine opgavers tal (holdt ved lige af skrivningerne) mod "
        "tabellerne; --komprimer lægger ændringerne sammen, --genopbyg tæller en kommune forfra."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommune", type=int, help="kommunekode (standard: alle)")
        parser.add_argument("--komprimer", action="store_true")
        parser.add_argument("--genopbyg", action="store_true", help="kræver --kommune")

    def handle(self, *args: Any, **options: Any) -> None:
        kommuner = Kommune.objects.order_by("kode")
        if options["kommune"] is not None:
            kommuner = kommuner.filter(kode=options["kommune"])
            if not kommuner:
                raise CommandError(f"Kommune {options['kommune']} findes ikke.")
        if options["genopbyg"]:
            if options["kommune"] is None:
                raise CommandError("--genopbyg kræver --kommune.")
            genopbyg(kommuner[0])
            self.stdout.write(f"Tallene for kommune {options['kommune']} er talt forfra.")
        if options["komprimer"]:
            self.stdout.write(f"Komprimeret: {komprimer()} rækker lagt sammen.")
        fejl = 0
        for kommune in kommuner:
            forskelle = afvigelser(kommune)
            fejl += len(forskelle)
            for linje in forskelle:
                self.stderr.write(f"{kommune.kode} {kommune.navn}: {linje}")
        if fejl:
            raise CommandError(f"{fejl} tal afviger fra tabellerne.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Alle tal stemmer ({kommuner.count()} kommuner)."))
