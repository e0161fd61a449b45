"""The models of the money side, one module per subject; importing them here registers them
with the app and keeps ``from fordringer.models import X`` the one way to reach a model."""

from .debitorsystem import DebitorsystemOpsaetning, IndgaaendeBesked
from .dokument import Dokument, DokumentLaastError
from .eindkomst import (
    EIndkomstForsendelse,
    EIndkomstForsendelseLinje,
    EIndkomstForsendelseRaekke,
    EIndkomstLinje,
    EIndkomstManuel,
)
from .kerne import (
    Bevilling,
    Borger,
    Debitorkonto,
    Fordring,
    Indbetaling,
    LL8ODaekning,
    Sag,
    Ydelseskode,
    Ydelsestype,
    ydelsestype_reference,
)
from .ledger import Parkering, Postering, PosteringManager, PosteringQuerySet
from .ompostering import (
    AARSAG_TEKST_FAST,
    AlternativModtager,
    Kundekredit,
    Ompostering,
    OmposteringAarsag,
    OmposteringPostering,
    Sagsbehandlerfordeling,
    Udbetaling,
)
from .rente import (
    Gebyrsats,
    Rentekoersel,
    Rentekoerselspor,
    RentekoerselStatus,
    Renteregimeregel,
    Rentesats,
)
from .samling import MaanedligSamling, SamletFordring, Samlingsbeslutning
from .udbakke import UdgaaendeBesked

__all__ = [
    "AARSAG_TEKST_FAST",
    "AlternativModtager",
    "Bevilling",
    "Borger",
    "Debitorkonto",
    "DebitorsystemOpsaetning",
    "Dokument",
    "DokumentLaastError",
    "EIndkomstForsendelse",
    "EIndkomstForsendelseLinje",
    "EIndkomstForsendelseRaekke",
    "EIndkomstLinje",
    "EIndkomstManuel",
    "Fordring",
    "Gebyrsats",
    "Indbetaling",
    "IndgaaendeBesked",
    "Kundekredit",
    "LL8ODaekning",
    "MaanedligSamling",
    "Ompostering",
    "OmposteringAarsag",
    "OmposteringPostering",
    "Parkering",
    "Postering",
    "PosteringManager",
    "PosteringQuerySet",
    "Rentekoersel",
    "RentekoerselStatus",
    "Rentekoerselspor",
    "Renteregimeregel",
    "Rentesats",
    "Sag",
    "Sagsbehandlerfordeling",
    "SamletFordring",
    "Samlingsbeslutning",
    "Udbetaling",
    "UdgaaendeBesked",
    "Ydelseskode",
    "Ydelsestype",
    "ydelsestype_reference",
]
