from typing import Any

from django.http import HttpRequest

from .roles import Rolle, has_role


def bruger(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "ky_kommune": getattr(user, "kommune", None),
        "ky_er_drift": has_role(user, Rolle.DRIFT),
        # The caseworker workspace ("Mine opgaver") and Dataudtræk are for these two roles.
        "ky_har_opgaver": has_role(user, Rolle.SAGSBEHANDLER, Rolle.PROJEKTLEDER),
        # Omposter fordeling (seed 004): Bogholder and Sagsbehandler; payouts: Bogholder.
        "ky_kan_ompostere": has_role(user, Rolle.BOGHOLDER, Rolle.SAGSBEHANDLER),
        "ky_er_bogholder": has_role(user, Rolle.BOGHOLDER),
    }
