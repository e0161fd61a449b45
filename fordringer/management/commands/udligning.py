"""``manage.py udligning [--kommune K] [--dato dd-mm-åååå]``: the settlement run of credits placed
on customers (seed 004 afklaring b), as the nightly task runs it; prints what it covered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fordringer.ompostering.kredit import kommuner_med_kredit, kreditter_udlign
from ky_debitor.models import Kommune
from ky_debitor.money import format_beloeb


def _dato(tekst: str) -> dt.date:
    try:
        dato: dt.date = forms.DateField(input_formats=["%d-%m-%Y"]).clean(tekst)
        return dato
    except ValidationError as exc:
        raise CommandError(f"Skriv datoen som dd-mm-åååå, ikke {tekst!r}.") from exc


class Command(BaseCommand):
    help = "Udlign kreditter på kunder mod borgernes fordringer (som natkørslen)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommune", type=int, help="Kommunekode; uden: alle kommuner.")
        parser.add_argument("--dato", type=_dato, help="Renter til denne dato (dd-mm-åååå).")

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
