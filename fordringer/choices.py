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
    # The restance of a KMD Aktiv claim moved to a new claim on the borger's KY konto (seed 000
    # "Vurder, saml og frigiv debitorkonto"); the new claim's HOVEDSTOL carries it.
    SAMLING = "SAMLING", "Samlet til anden konto"


DEBET_ARTER = (PosteringArt.HOVEDSTOL, PosteringArt.RENTE, PosteringArt.GEBYR)
KREDIT_ARTER = (
    PosteringArt.DAEKNING,
    PosteringArt.AFSKRIVNING,
    PosteringArt.NEDREGULERING,
    PosteringArt.SAMLING,
)
# What the debitorsystem can send in ``daekninger.csv`` (DESIGN §6); SAMLING is KY's own.
IMPORT_KREDIT_ARTER = (PosteringArt.DAEKNING, PosteringArt.AFSKRIVNING, PosteringArt.NEDREGULERING)
# Dækninger and afskrivninger on KMD Aktiv claims wait for sagstilknytning (DESIGN §5).
PARKERBARE_ARTER = (PosteringArt.DAEKNING, PosteringArt.AFSKRIVNING)


class Renteregime(models.TextChoices):
    """Interest regime per claim (DESIGN §7)."""

    INGEN = "INGEN", "Ingen rente"
    GEBYRLOVEN_3 = "GEBYRLOVEN_3", "Gebyrloven § 3"
    OPKRAEVNINGSLOVEN_7 = "OPKRAEVNINGSLOVEN_7", "Opkrævningsloven § 7"


class GebyrArt(models.TextChoices):
    """The fees a regime's law lets the kommune charge (``Gebyrsats``)."""

    RYKKER = "RYKKER", "Rykkergebyr"


class Udbetalingskanal(models.TextChoices):
    """Seed 004 trin 7: no cash; SAP can turn a transfer into cash where absolutely needed."""

    NEMKONTO = "NEMKONTO", "NemKonto"
    CHECK = "CHECK", "Check"


class Overfoersel(models.TextChoices):
    SAP38 = "SAP38", "SAP38"
    EFI = "EFI", "EFI"
    KUNDEKONTO = "KUNDEKONTO", "Overførsel til kundens konto"


class UdbetalingStatus(models.TextChoices):
    AFVENTER = "AFVENTER", "Afventer godkendelse"
    GODKENDT = "GODKENDT", "Godkendt"
    AFVIST = "AFVIST", "Afvist"


class BeskedType(models.TextChoices):
    """Kinds of outgoing messages."""

    UDBETALING = "UDBETALING", "Udbetaling"
    INDDRIVELSE_OPDATERING = "INDDRIVELSE_OPDATERING", "Send opdatering til inddrivelse (18.05)"
    MEDDELELSE = "MEDDELELSE", "Meddelelse (brev)"
    # The debitorsystem's services on Serviceplatformen (DESIGN §6, seed 003).
    SF1590_B_01 = "SF1590_B_01", "DebitorRegistrering (SF1590_B_01)"
    SF1590_B_02 = "SF1590_B_02", "DebitorForespørgsel (SF1590_B_02)"
    SF1590_B_03 = "SF1590_B_03", "DebitorIndbetaling (SF1590_B_03)"
    SF1590_B_04 = "SF1590_B_04", "Debitorkonto-anmodning (SF1590_B_04)"
    EINDKOMST = "EINDKOMST", "eIndkomst-indberetning"
    # A stored letter (fordringer.dokumenter) to the borger or another recipient.
    DIGITAL_POST = "DIGITAL_POST", "Digital Post (brev)"


class EIndkomstArt(models.TextChoices):
    """What an eIndkomst line says about the borger's income (DESIGN §7)."""

    LL8O = "LL8O", "Fradrag efter LL § 8 O"
    KORREKTION = "KORREKTION", "Korrektion af udbetalingsårets indkomst"


class ManuelKilde(models.TextChoices):
    """How a by-hand eIndkomst amount reached us."""

    IMPORT = "IMPORT", "Import"
    SKAERM = "SKAERM", "Skærmbillede"
    API = "API", "API"
    ADMIN = "ADMIN", "Administration"


class BeskedStatus(models.TextChoices):
    AFVENTER = "AFVENTER", "Afventer afsendelse"
    SENDT = "SENDT", "Sendt"
    FEJLET = "FEJLET", "Fejlet (opgivet)"


class SamlingBeslutningType(models.TextChoices):
    """A caseworker's decision on a KMD Aktiv konto in "Vurder, saml og frigiv debitorkonto"."""

    SAML = "SAML", "Saml med KY-debitorkontoen"
    FRIGIV = "FRIGIV", "Frigiv debitorkontoen"
    INGEN_SAMLING = "INGEN_SAMLING", "Ingen samling"


class OmposteringRolle(models.TextChoices):
    """What a ledger entry was in an ompostering."""

    TILBAGEFOERSEL = "TILBAGEFOERSEL", "Tilbageført dækning"
    DAEKNING = "DAEKNING", "Ny dækning"
    RENTE = "RENTE", "Genberegnet rente"


class IndgaaendeType(models.TextChoices):
    """Kinds of incoming messages from the debitorsystem (Beskedfordeler, DESIGN §6)."""

    DAEKNING = "DAEKNING", "Dækning eller afskrivning"
    KONTOSTATUS = "KONTOSTATUS", "Debitorkonto-statusskift"


class IndgaaendeResultat(models.TextChoices):
    """What an incoming message did: the outcome a redelivery gets back."""

    BOGFOERT = "BOGFOERT", "Bogført"
    PARKERET = "PARKERET", "Parkeret (afventer sagstilknytning)"
    STATUS_AENDRET = "STATUS_AENDRET", "Status ændret"
    UAENDRET = "UAENDRET", "Uændret (status var allerede sådan)"


class DokumentType(models.TextChoices):
    """The documents a borger (or another recipient) can be given (issue #20, seed 004)."""

    KONTOUDTOG = "KONTOUDTOG", "Kontoudtog"
    KONTOOVERSIGT = "KONTOOVERSIGT", "Kontooversigt"
    OMPOSTERING = "OMPOSTERING", "Brev om ompostering"
    SAMLING = "SAMLING", "Brev om samling og frigivelse"
    UDBETALING = "UDBETALING", "Meddelelse om udbetaling"
    RYKKER = "RYKKER", "Rykker"


class DokumentStatus(models.TextChoices):
    VENTER = "VENTER", "Venter"
    KOERER = "KOERER", "Dannes"
    FAERDIG = "FAERDIG", "Færdig"
    FEJLET = "FEJLET", "Fejlet"
