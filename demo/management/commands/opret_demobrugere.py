"""Create one demo user per role in a kommune and print the credentials (demo only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from ky_debitor.models import Bruger, Kommune
from ky_debitor.roles import Rolle

DEMO = [
    ("sagsbehandler", "Sara", "Sagsbehandler", Rolle.SAGSBEHANDLER, False),
    ("bogholder", "Bo", "Bogholder", Rolle.BOGHOLDER, False),
    ("projektleder", "Pia", "Projektleder", Rolle.PROJEKTLEDER, False),
    ("drift", "Dennis", "Drift", Rolle.DRIFT, True),
]


class Command(BaseCommand):
    help = "Opretter en demobruger pr. rolle i kommunen og udskriver brugernavn og adgangskode."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kommune", type=int, required=True, help="Kommunekode, fx 101.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kommune = Kommune.objects.get(kode=options["kommune"])
        except Kommune.DoesNotExist as exc:
            raise CommandError(f"Ukendt kommunekode {options['kommune']}.") from exc
        self.stdout.write(f"Demobrugere i {kommune}:")
        for brugernavn, fornavn, efternavn, rolle, staff in DEMO:
            username = f"{brugernavn}{kommune.kode}"
            password = f"demo-{brugernavn}-{kommune.kode}"
            user, _ = Bruger.objects.get_or_create(
                username=username,
                defaults={"first_name": fornavn, "last_name": efternavn, "kommune": kommune},
            )
            user.kommune = kommune
            user.is_staff = staff
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=rolle.value)])
            self.stdout.write(
                f"  {rolle.value:<14} brugernavn {username:<18} adgangskode {password}"
            )
