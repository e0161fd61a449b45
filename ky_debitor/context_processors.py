from typing import Any

from django.http import HttpRequest

from .adgang import adgang_tilladt
from .roles import Rolle, has_role
from .saml.konfiguration import saml_aktiv


def bruger(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "ky_kommune": getattr(user, "kommune", None),
        # Log on through the kommune's login (``saml``): offered on the admin's login too.
        "ky_saml_aktiv": saml_aktiv(),
        "ky_er_drift": has_role(user, Rolle.DRIFT),
        # The caseworker workspace ("Mine opgaver") and Dataudtræk are for these two roles.
        "ky_har_opgaver": adgang_tilladt(user, "mine_opgaver"),
        # Omposter fordeling (seed 004) and the payouts awaiting approval, as the table says.
        "ky_kan_ompostere": adgang_tilladt(user, "ompostering_soeg"),
        "ky_er_bogholder": adgang_tilladt(user, "udbetalinger"),
        # "Vurder, saml og frigiv debitorkonto" (seed 000), linked from a KMD Aktiv konto.
        "ky_kan_vurdere_samling": adgang_tilladt(user, "samling_vurder"),
        # eIndkomst's efterreguleringer (seed 002).
        "ky_kan_se_efterreguleringer": adgang_tilladt(user, "efterreguleringer"),
        # eIndkomst: the reconciliation (and, for the bookkeeper, the by-hand amounts).
        "ky_kan_afstemme_eindkomst": adgang_tilladt(user, "eindkomst_afstemning"),
        # eIndkomst's daily batches.
        "ky_kan_se_eindkomst_forsendelser": adgang_tilladt(user, "eindkomst_forsendelser"),
        # Kontoudtog, kontooversigt and letters (issue #20).
        "ky_kan_se_dokumenter": adgang_tilladt(user, "dokument"),
    }
