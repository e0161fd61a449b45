"""``manage.py rentekoersel [--kommune K] [--til-dato dd-mm-åååå]``: the interest run, as the
monthly task runs it, in this process; prints what it booked per kommune. A kommune whose run
was stopped half-way has that run resumed from its last finished chunk."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fordringer.models import Rentekoersel
from fordringer.rente.koersel import (
    AKTIVE,
    kommuner_med_rentebaerende_fordringer,
    rentekoersel_beskriv,
    rentekoersel_koer,
    rentekoersel_opret,
)
from ky_debitor.errors import ApplicationError
from ky_debitor.kommandolinje import dato_argument
from ky_debitor.models import Kommune
from ky_debitor.visning import tal


class Command(BaseCommand):
    help = "Beregn og bogfør renter på de rentebærende fordringer (som den månedlige kørsel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommune", type=int, help="Kommunekode; uden: alle kommuner.")
        parser.add_argument(
            "--til-dato",
            type=dato_argument,
            help="Renter til og med denne dato (dd-mm-åååå); uden: i dag.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kommune"] is not None:
            kommune = Kommune.objects.filter(kode=options["kommune"]).first()
            if kommune is None:
                raise CommandError(f"Kommune {options['kommune']} findes ikke.")
            kommuner = [kommune]
        else:
            kommuner = list(
                Kommune.objects.filter(pk__in=kommuner_med_rentebaerende_fordringer()).order_by(
                    "pk"
                )
            )
        for kommune in kommuner:
            koersel = Rentekoersel.objects.for_kommune(kommune.pk).filter(status__in=AKTIVE).first()
            if koersel is not None:
                self.stdout.write(
                    f"{kommune.navn}: genoptager rentekørsel {koersel.pk} efter "
                    f"{tal(koersel.antal_behandlet)} fordringer."
                )
            else:
                try:
                    koersel = rentekoersel_opret(
                        kommune=kommune, til_dato=options["til_dato"], user=None
                    )
                except ApplicationError as exc:
                    raise CommandError(exc.message) from exc
            self.stdout.write(rentekoersel_beskriv(rentekoersel_koer(koersel_id=koersel.pk)))
