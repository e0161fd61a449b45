"""``python manage.py sagstilknytning [--kommune KODE] [--dry-run]`` (DESIGN §6).

Runs a linking run to the end — on the Celery workers where a broker is configured, in this
process otherwise — and prints the counts per outcome.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ky_debitor import koe
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Kommune
from sagstilknytning.models import AKTIVE, KoerselStatus, Sagstilknytningskoersel
from sagstilknytning.selectors import antal_pr_aarsag, kommuner_med_kmd_aktiv
from sagstilknytning.services import koer_synkront, koersel_fejlet, koersel_opret
from sagstilknytning.tasks import KOEEN_VAEK, koersel_koer


class Command(BaseCommand):
    help = "Kører sagstilknytning af KMD Aktiv debitorkonti til ende og udskriver optællinger."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kommune", type=int, help="Kommunekode; udeladt: alle kommuner.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Prøvekørsel: gem kun beslutningerne."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kommune"] is not None:
            kommuner = list(Kommune.objects.filter(kode=options["kommune"]))
            if not kommuner:
                raise CommandError(f"Ukendt kommunekode {options['kommune']}.")
        else:
            kommuner = kommuner_med_kmd_aktiv()
        fejlet = False
        for kommune in kommuner:
            try:
                koersel = koersel_opret(kommune=kommune, user=None, proeve=options["dry_run"])
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            started = time.monotonic()
            if settings.CELERY_TASK_ALWAYS_EAGER:
                koersel = koer_synkront(koersel_id=koersel.pk)
            else:
                if not koe.send(koersel_koer, koersel.pk):
                    koersel_fejlet(koersel_id=koersel.pk, fejl=KOEEN_VAEK)
                    raise CommandError(f"Kørsel {koersel.pk} for {kommune}: {KOEEN_VAEK}")
                koersel = self._vent(koersel.pk)
            self._udskriv(koersel, time.monotonic() - started)
            fejlet |= koersel.status != KoerselStatus.DONE
        if fejlet:
            raise CommandError("En eller flere kørsler blev ikke færdige.")

    def _vent(self, koersel_id: int) -> Sagstilknytningskoersel:
        while True:
            koersel = Sagstilknytningskoersel.objects.get(pk=koersel_id)
            if koersel.status not in AKTIVE:
                return koersel
            self.stderr.write(f"  {koersel.behandlet}/{koersel.total} debitorkonti …", ending="\r")
            time.sleep(1)

    def _udskriv(self, k: Sagstilknytningskoersel, sekunder: float) -> None:
        art = "Prøvekørsel" if k.proeve else "Kørsel"
        self.stdout.write(
            f"{art} {k.pk} for {k.kommune}: {k.get_status_display().lower()} på {sekunder:.1f} s\n"
            f"  debitorkonti       {k.total}\n"
            f"  SAGSTILKNYTTET     {k.antal_sagstilknyttet}\n"
            f"  SAGSOPRETTET       {k.antal_sagsoprettet}\n"
            f"  OPGAVE             {k.antal_opgave}\n"
            f"  UÆNDRET (manuelle) {k.antal_uaendret}"
        )
        for aarsag, antal in antal_pr_aarsag(k).items():
            self.stdout.write(f"    {aarsag:<22} {antal}")
