"""``manage.py udligning [--kommune K] [--dato dd-mm-åååå]``: the settlement run of credits placed
on customers (seed 004 afklaring b), as the nightly task runs it; prints what it covered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fordringer.ompostering.kredit import kommuner_med_kredit, kreditter_udlign
from ky_debitor.kommandolinje import dato_argument
from ky_debitor.models import Kommune
from ky_debitor.money import format_beloeb


class Command(BaseCommand):
    help = "Udlign kreditter på kunder mod borgernes fordringer (som natkørslen)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommune", type=int, help="Kommunekode; uden: alle kommuner.")
        parser.add_argument(
            "--dato", type=dato_argument, help="Renter til denne dato (dd-mm-åååå)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kommune"] is not None:
            kommune = Kommune.objects.filter(kode=options["kommune"]).first()
            if kommune is None:
                raise CommandError(f"Kommune {options['kommune']} findes ikke.")
            ider = [kommune.pk]
        else:
            ider = kommuner_med_kredit()
        for kommune_id in ider:
            u = kreditter_udlign(kommune_id=kommune_id, idag=options["dato"])
            navn = Kommune.objects.get(pk=kommune_id).navn
            self.stdout.write(
                f"{navn}: {u.kreditter} kreditter dækkede {format_beloeb(u.fordelt)} kr.; "
                f"{format_beloeb(u.tilbage)} kr. står fortsat på kunderne."
            )
