"""The value sets of the domain (DESIGN §6). Their codes are part of the import contract."""

from django.db import models


class Kilde(models.TextChoices):
    KMD_AKTIV = "KMD_AKTIV", "KMD Aktiv"
    KY = "KY", "KY"


class KontoStatus(models.TextChoices):
    AKTIV = "AKTIV", "Aktiv"
    VENTER_PAA_DAEKNING = "VENTER_PAA_DAEKNING", "Venter på dækning"
    AFVENTER_FRIGIVELSE = "AFVENTER_FRIGIVELSE", "Afventer frigivelse"
    LUKKET = "LUKKET", "Lukket"


class Frigivelsestype(models.TextChoices):
    IKKE_FRIGIVET = "IKKE_FRIGIVET", "Ikke frigivet"
    FRIGIVET = "FRIGIVET", "Frigivet"
    BLOKERET = "BLOKERET", "Blokeret"


class Opkraevningstilstand(models.TextChoices):
    OPKRAEV = "OPKRAEV", "Opkræv"
    BERO = "BERO", "Bero"
    INDDRIVELSE = "INDDRIVELSE", "Inddrivelse"
    AFSLUTTET = "AFSLUTTET", "Afsluttet"


class SagStatus(models.TextChoices):
    AABEN = "AABEN", "Åben"
    LUKKET = "LUKKET", "Lukket"


class Tilknytning(models.TextChoices):
    """How a konto (or a fordring's reference) got its link: never, by a run, by a person."""

    INGEN = "INGEN", "Ikke tilknyttet"
    AUTOMATISK = "AUTOMATISK", "Automatisk"
    MANUEL = "MANUEL", "Manuelt"
    IMPORT = "IMPORT", "Fra indlæsning"


class DaekningArt(models.TextChoices):
    """The ``art`` column of ``daekninger.csv``."""

    DAEKNING = "DAEKNING", "Dækning"
    AFSKRIVNING = "AFSKRIVNING", "Afskrivning"
    NEDREGULERING = "NEDREGULERING", "Nedregulering"


class PosteringArt(models.TextChoices):
    """Ledger entry kinds. Debits (raise restance) are positive, credits negative."""

    HOVEDSTOL = "HOVEDSTOL", "Hovedstol"
    RENTE = "RENTE", "Rente"
    GEBYR = "GEBYR", "Gebyr"
    DAEKNING = "DAEKNING", "Dækning"
    AFSKRIVNING = "AFSKRIVNING", "Afskrivning"
    NEDREGULERING = "NEDREGULERING", "Nedregulering"
    TILBAGEFOERSEL = "TILBAGEFOERSEL", "Tilbageførsel"


DEBET_ARTER = (PosteringArt.HOVEDSTOL, PosteringArt.RENTE, PosteringArt.GEBYR)
KREDIT_ARTER = (PosteringArt.DAEKNING, PosteringArt.AFSKRIVNING, PosteringArt.NEDREGULERING)
# Dækninger and afskrivninger on KMD Aktiv claims wait for sagstilknytning (DESIGN §5).
PARKERBARE_ARTER = (PosteringArt.DAEKNING, PosteringArt.AFSKRIVNING)


class Renteregime(models.TextChoices):
    """Interest regime per claim (DESIGN §7)."""

    INGEN = "INGEN", "Ingen rente"
    GEBYRLOVEN_3 = "GEBYRLOVEN_3", "Gebyrloven § 3"
    OPKRAEVNINGSLOVEN_7 = "OPKRAEVNINGSLOVEN_7", "Opkrævningsloven § 7"
