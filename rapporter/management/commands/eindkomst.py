"""``python manage.py eindkomst --kommune KODE --aar ÅÅÅÅ --format csv|xlsx --output FIL``
(DESIGN §6): the income year's eIndkomst lines, one row per borger, year, art and ydelsestype
with the net amount, columns ``cpr;indkomstaar;art;beloeb;ydelsestype``.

The same file as the Dataudtræk report ``eindkomst`` filtered on the year: the same row
source, writer, form and audit.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ky_debitor.models import Kommune
from rapporter import services
from rapporter.definitioner import rapport_hent
from rapporter.forms import UdtraekForm

FORMATER = ("csv", "xlsx")


class Command(BaseCommand):
    help = (
        "Skriver indkomstårets eIndkomst-linjer (én række pr. borger, år, art og ydelsestype "
        "med nettobeløbet) som CSV eller xlsx."
    )

    def add_arguments(self, parser: Any) -> None:
        # Read as text and checked below, so every mistake gets a Danish message.
        parser.add_argument("--kommune", help="Kommunekoden, fx 101.")
        parser.add_argument("--aar", help="Indkomståret, fx 2026.")
        parser.add_argument("--format", default="csv", help="csv (standard) eller xlsx.")
        parser.add_argument("--output", help="Filen der skrives.")

    def handle(self, *args: Any, **options: Any) -> None:
        kode = (options["kommune"] or "").strip()
        if not kode:
            raise CommandError("Angiv kommunen med --kommune KODE, fx --kommune 101.")
        kommune = (
            Kommune.objects.filter(kode=int(kode)).first()
            if kode.isdigit() and len(kode) <= 4
            else None
        )
        if kommune is None:
            raise CommandError(f"Ukendt kommunekode '{kode}'.")
        if not (options["aar"] or "").strip():
            raise CommandError("Angiv indkomståret med --aar ÅÅÅÅ, fx --aar 2026.")
        format = options["format"]
        if format not in FORMATER:
            raise CommandError(f"Ukendt format '{format}': vælg csv eller xlsx.")
        if not options["output"]:
            raise CommandError("Angiv filen, der skal skrives, med --output FIL.")
        rapport = rapport_hent("eindkomst")
        form = UdtraekForm(
            {"rapport": rapport.navn, "format": format, "f_indkomstaar": options["aar"]},
            rapport=rapport,
        )
        if not form.is_valid():
            fejl = " ".join(str(t) for v in form.errors.values() for t in v)
            raise CommandError(f"Ugyldigt indkomstår '{options['aar']}': {fejl}")
        filtre = form.filtre()
        n = services.udtraek_skriv(
            rapport=rapport, kommune=kommune, filtre=filtre, format=format, fil=options["output"]
        )
        services.udtraek_audit(
            user=None,
            kommune=kommune,
            rapport=rapport,
            filtre=filtre,
            handling="rapport.udtraek",
            antal=n,
            format=format,
            system="manage.py eindkomst",
        )
        self.stdout.write(
            f"eIndkomst {filtre['indkomstaar']} for {kommune.navn} Kommune: {n} rækker skrevet "
            f"til {options['output']}."
        )
