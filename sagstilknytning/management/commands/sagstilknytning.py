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
from ky_debitor.etiketter import etiket
from ky_debitor.models import Kommune
from ky_debitor.visning import tal
from sagstilknytning.models import AKTIVE, KoerselStatus, Sagstilknytningskoersel
from sagstilknytning.regler import Resultat
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
            self.stderr.write(
                f"  {tal(koersel.behandlet)} af {tal(koersel.total)} debitorkonti …", ending="\r"
            )
            time.sleep(1)

    def _udskriv(self, k: Sagstilknytningskoersel, sekunder: float) -> None:
        art = "Prøvekørsel" if k.proeve else "Kørsel"
        linjer = [
            ("Debitorkonti", k.total),
            (etiket(Resultat.SAGSTILKNYTTET, "Resultat"), k.antal_sagstilknyttet),
            (etiket(Resultat.SAGSOPRETTET, "Resultat"), k.antal_sagsoprettet),
            (etiket(Resultat.OPGAVE, "Resultat"), k.antal_opgave),
            (etiket(Resultat.UAENDRET, "Resultat"), k.antal_uaendret),
        ]
        self.stdout.write(
            f"{art} {k.pk} for {k.kommune}: {k.get_status_display().lower()} på "
            f"{tal(sekunder, 1)} s"
        )
        for tekst, antal in linjer:
            self.stdout.write(f"  {tekst:<40} {tal(antal):>9}")
        for aarsag, antal in antal_pr_aarsag(k).items():
            self.stdout.write(f"    {etiket(aarsag, 'Aarsag'):<38} {tal(antal):>9}")
