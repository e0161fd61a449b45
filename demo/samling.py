"""Merge some of the demo's løbende forsørgelsesydelser into their KY konto, so the worklist
"Vurder, saml og frigiv" has both decided and undecided konti and "Månedlig samling" shows the
follow-up task of the coming payment run (seed 000).

Runs after the linking run (a merged konto is followed monthly only once it is linked to its
løbende bevilling). The decisions go through the caseworker's own service, as the kommune's
demo caseworker, with a reason that says they are demo data; so they are audited and move the
claims on the ledger like any other samling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from fordringer.choices import Frigivelsestype, SamlingBeslutningType, Tilknytning
from fordringer.models import Debitorkonto, Samlingsbeslutning
from fordringer.samling.maanedlig import (
    maanedlige_samlinger_opret,
    samlingsdag,
    udbetalingskoersel,
)
from fordringer.samling.selectors import ky_konti_for_samling
from fordringer.samling.services import samlingsbeslutning_opret
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Bruger, Kommune

from .scenarier import LOEBENDE_KMD_MED_KY_KONTO

BEGRUNDELSE = (
    "Demodata: løbende forsørgelsesydelse med tilbagebetalingspligt samles i borgerens "
    "KY-debitorkonto og følges op hver måned."
)


@dataclass(frozen=True)
class DemoSamlinger:
    samlet: int
    opgaver: int
    forfald: dt.date | None


def naeste_samlingsdag(idag: dt.date, udbetalingsdag: int | None) -> dt.date:
    """The samling day after the first payment run on or after ``idag``: the first month
    whose claim a samling made today has not already moved."""
    aar, maaned = idag.year, idag.month
    while udbetalingskoersel(aar, maaned, udbetalingsdag) < idag:
        aar, maaned = (aar + 1, 1) if maaned == 12 else (aar, maaned + 1)
    return samlingsdag(aar, maaned, udbetalingsdag)


@transaction.atomic
def demosamlinger_opret(*, kommunekode: int, idag: dt.date | None = None) -> DemoSamlinger:
    """Merge every second linked, unreleased konto of the scenario ``loebende_kmd_med_ky_konto``
    (by kontonummer) and create the monthly samling task of the coming payment run.

    Does nothing when a konto of the scenario already has a decision, so it can run on every
    ``make demo``.
    """
    idag = idag or timezone.localdate()
    kommune = Kommune.objects.filter(kode=kommunekode).first()
    if kommune is None:
        raise ApplicationError(f"Ukendt kommunekode {kommunekode}.")
    brugernavn = f"sagsbehandler{kommunekode}"
    bruger = Bruger.objects.filter(username=brugernavn, kommune=kommune).first()
    if bruger is None:
        raise ApplicationError(
            f"Demobrugeren {brugernavn} findes ikke; kør opret_demobrugere først."
        )
    scenariets = Debitorkonto.objects.filter(
        kommune=kommune, forventning__scenarie=LOEBENDE_KMD_MED_KY_KONTO
    )
    if scenariets.filter(
        Exists(Samlingsbeslutning.objects.filter(konto_id=OuterRef("pk")))
    ).exists():
        return DemoSamlinger(samlet=0, opgaver=0, forfald=None)
    kandidater = list(
        scenariets.exclude(tilknytning=Tilknytning.INGEN)
        .exclude(frigivelsestype=Frigivelsestype.FRIGIVET)
        .select_related("borger", "bevilling", "sag__ydelsestype")
        .order_by("kontonummer")
    )
    samlet = 0
    for konto in kandidater[::2]:
        ky = [
            k for k in ky_konti_for_samling(konto) if k.frigivelsestype != Frigivelsestype.FRIGIVET
        ]
        if not ky:
            continue
        samlingsbeslutning_opret(
            user=bruger,
            konto_id=konto.pk,
            beslutning=SamlingBeslutningType.SAML,
            begrundelse=BEGRUNDELSE,
            ky_konto_id=ky[0].pk,
            idag=idag,
        )
        samlet += 1
    if not samlet:
        return DemoSamlinger(samlet=0, opgaver=0, forfald=None)
    forfald = naeste_samlingsdag(idag, kommune.udbetalingsdag)
    return DemoSamlinger(
        samlet=samlet, opgaver=maanedlige_samlinger_opret(idag=forfald), forfald=forfald
    )
