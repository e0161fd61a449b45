"""``python manage.py rapport NAVN --kommune KODE --format csv|xlsx --output FIL`` (DESIGN §6).

Writes the same file as the screen's download. Filters as ``--filter navn=værdi`` (repeatable,
e.g. ``--filter maaned=03-2024 --filter status=AFVENTER_FRIGIVELSE``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ky_debitor.models import Kommune
from rapporter import services
from rapporter.definitioner import RAPPORTER
from rapporter.forms import UdtraekForm


class Command(BaseCommand):
    help = "Danner en rapport som CSV eller xlsx (de samme filer som skærmens download)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("navn", choices=sorted(RAPPORTER))
        parser.add_argument("--kommune", type=int, required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", required=True, help="Filen der skrives.")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAVN=VÆRDI",
            help="Filter, fx maaned=03-2024 eller status=AFVENTER_FRIGIVELSE.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kommune = Kommune.objects.get(kode=options["kommune"])
        except Kommune.DoesNotExist as exc:
            raise CommandError(f"Ukendt kommunekode {options['kommune']}.") from exc
        rapport = RAPPORTER[options["navn"]]
        kendte = {f.navn for f in rapport.filtre}
        data = {"rapport": rapport.navn, "format": options["format"]}
        for tekst in options["filter"]:
            navn, lig, vaerdi = tekst.partition("=")
            if not lig or navn not in kendte:
                mulige = ", ".join(sorted(kendte)) or "ingen"
                raise CommandError(f"Ukendt filter '{tekst}'. Rapportens filtre: {mulige}.")
            data[f"f_{navn}"] = vaerdi
        form = UdtraekForm(data, rapport=rapport)
        if not form.is_valid():
            fejl = "; ".join(
                f"{k.removeprefix('f_')}: {' '.join(str(t) for t in v)}"
                for k, v in form.errors.items()
            )
            raise CommandError(f"Ugyldigt filter: {fejl}")
        filtre = form.filtre()
        n = services.udtraek_skriv(
            rapport=rapport,
            kommune=kommune,
            filtre=filtre,
            format=options["format"],
            fil=options["output"],
        )
        services.udtraek_audit(
            user=None,
            kommune=kommune,
            rapport=rapport,
            filtre=filtre,
            handling="rapport.udtraek",
            antal=n,
            format=options["format"],
            system="manage.py rapport",
        )
        self.stdout.write(f"{rapport.titel}: {n} rækker skrevet til {options['output']}.")
