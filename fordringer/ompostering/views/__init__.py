"""Screens of Omposter fordeling (seed 004): the wizard (``guide``) and the lists of payouts
and waiting amounts that follow it (``lister``)."""

from fordringer.ompostering.views.guide import (
    ompostering_bekraeft,
    ompostering_fordeling,
    ompostering_godkend,
    ompostering_kvittering,
    ompostering_soeg,
)
from fordringer.ompostering.views.lister import (
    sagsbehandlerfordeling,
    sagsbehandlerfordeling_adresser_view,
    sagsbehandlerfordeling_post,
    udbetaling_behandl,
    udbetalinger,
)
from fordringer.ompostering.views.tilbagefoersel import ompostering_tilbagefoer_view

__all__ = [
    "ompostering_bekraeft",
    "ompostering_fordeling",
    "ompostering_godkend",
    "ompostering_kvittering",
    "ompostering_soeg",
    "ompostering_tilbagefoer_view",
    "sagsbehandlerfordeling",
    "sagsbehandlerfordeling_adresser_view",
    "sagsbehandlerfordeling_post",
    "udbetaling_behandl",
    "udbetalinger",
]
