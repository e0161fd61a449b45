"""``manage.py saml_demodata --kommune KODE``: after the linking run, merge some of the demo's
løbende forsørgelsesydelser into their KY konto and create their "Månedlig samling" task
(``demo.samling``). ``make demo`` runs it on every start; a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.samling import demosamlinger_opret
from ky_debitor.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Samler en del af demodataenes løbende forsørgelsesydelser med tilbagebetalingspligt i "
        "borgerens KY-debitorkonto og opretter opgaven »Månedlig samling«."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommune", type=int, required=True, help="Kommunekode, fx 101.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            resultat = demosamlinger_opret(kommunekode=options["kommune"])
        except ApplicationError as fejl:
            raise CommandError(str(fejl)) from fejl
        if not resultat.samlet:
            self.stdout.write(
                "Ingen debitorkonti samlet: demodataenes løbende ydelser er allerede vurderet, "
                "eller kontiene er ikke sagstilknyttet endnu."
            )
            return
        assert resultat.forfald is not None
        self.stdout.write(
            f"{resultat.samlet} KMD Aktiv-debitorkont{'o' if resultat.samlet == 1 else 'i'} "
            f"samlet i KY; {resultat.opgaver} opgave{'' if resultat.opgaver == 1 else 'r'} "
            f"»Månedlig samling« forfalder {resultat.forfald:%d-%m-%Y}."
        )
