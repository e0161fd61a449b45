"""``python manage.py dokument kontoudtog|kontooversigt --konto NR | --cpr CPR [--fra dd-mm-åååå]
[--til dd-mm-åååå] --output FIL.pdf`` (DESIGN §6): the same PDF as the screens', for batch runs.

``--kommune KODE`` picks the kommune when a kontonummer or CPR number exists in more than one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fordringer.choices import DokumentType
from fordringer.cpr import cpr_normaliser
from fordringer.dokumenter.services import dokument_pdf
from fordringer.models import Borger, Debitorkonto
from ky_debitor.errors import ApplicationError


def _dato(tekst: str | None) -> dt.date | None:
    if not tekst:
        return None
    try:
        return dt.datetime.strptime(tekst, "%d-%m-%Y").date()  # noqa: DTZ007 - a date, no time
    except ValueError as exc:
        raise CommandError(f"Ugyldig dato '{tekst}': brug formatet dd-mm-åååå.") from exc


class Command(BaseCommand):
    help = "Danner et kontoudtog eller en kontooversigt som PDF/A (samme PDF som skærmens)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dokument", choices=["kontoudtog", "kontooversigt"])
        hvem = parser.add_mutually_exclusive_group(required=True)
        hvem.add_argument("--konto", help="kontonummer")
        hvem.add_argument("--cpr", help="borgerens CPR-nummer")
        parser.add_argument("--kommune", type=int, help="kommunekode, når det er tvetydigt")
        parser.add_argument("--fra", help="periodens første dag, dd-mm-åååå (kontoudtog)")
        parser.add_argument("--til", help="periodens sidste dag, dd-mm-åååå (standard: i dag)")
        parser.add_argument("--output", required=True, type=Path, help="PDF-filen der skrives")

    def handle(self, *args: Any, **options: Any) -> None:
        fra, til = _dato(options["fra"]), _dato(options["til"])
        konto, borger = self._find(options)
        typ = DokumentType(options["dokument"].upper())
        if typ == DokumentType.KONTOUDTOG and konto is None:
            konti = list(borger.konti.order_by("kontonummer").values_list("kontonummer", flat=True))
            if len(konti) != 1:
                raise CommandError(
                    f"Borgeren har {len(konti)} konti ({', '.join(konti) or 'ingen'}); "
                    "vælg én med --konto."
                )
            konto = borger.konti.get()
        try:
            pdf = dokument_pdf(
                type=typ,
                borger=borger,
                konto=konto if typ == DokumentType.KONTOUDTOG else None,
                fra=fra,
                til=til,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        options["output"].write_bytes(pdf)
        self.stdout.write(f"{typ.label} skrevet til {options['output']} ({len(pdf)} byte).")

    def _find(self, options: dict[str, Any]) -> tuple[Debitorkonto | None, Borger]:
        kommune = {"kommune__kode": options["kommune"]} if options["kommune"] else {}
        if options["konto"]:
            konti = list(
                Debitorkonto.objects.filter(
                    kontonummer=options["konto"].strip(), **kommune
                ).select_related("borger__kommune")[:2]
            )
            if not konti:
                raise CommandError(f"Debitorkonto {options['konto']} findes ikke.")
            if len(konti) > 1:
                raise CommandError("Kontonummeret findes i flere kommuner; angiv --kommune.")
            return konti[0], konti[0].borger
        try:
            cpr = cpr_normaliser(options["cpr"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        borgere = list(Borger.objects.filter(cpr=cpr, **kommune).select_related("kommune")[:2])
        if not borgere:
            raise CommandError("Der findes ingen borger med det CPR-nummer.")
        if len(borgere) > 1:
            raise CommandError("CPR-nummeret findes i flere kommuner; angiv --kommune.")
        return None, borgere[0]
