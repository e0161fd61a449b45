"""The 15 opgavepakker of release 2.1 (DESIGN §5): seven reason codes med and uden parked
dækninger, and the waiting step for parked dækninger and afskrivninger. Packages *med*
dækninger come first: they must be done before the tax year closes (seed 000)."""

from __future__ import annotations

from dataclasses import dataclass

from fordringer.tilknytning.regler import Aarsag, navn

VENTESKRIDT_KODE = "DAEKNINGER_AFSKRIVNINGER"

# The reason codes in the order their packages are listed (seed 000), not in the order of
# precedence the run applies them in; names from the one table of the matching vocabulary.
PAKKE_AARSAGER: tuple[Aarsag, ...] = (
    Aarsag.MANGLER_REFERENCE,
    Aarsag.FLERE_BEVILLINGER,
    Aarsag.INGEN_BEVILLING,
    Aarsag.YDELSESTYPE_UKENDT,
    Aarsag.VENTER_PAA_DAEKNING,
    Aarsag.BLANDEDE_BEVILLINGER,
    Aarsag.DATAFEJL,
)
AARSAGER: tuple[tuple[str, str], ...] = tuple((a.value, navn(a)) for a in PAKKE_AARSAGER)


@dataclass(frozen=True)
class PakkeDefinition:
    kode: str
    navn: str
    aarsag: str
    med_daekninger: bool
    venteskridt: bool
    raekkefoelge: int


def pakke_kode(aarsag: str, med_daekninger: bool) -> str:
    return f"{aarsag}_{'MED' if med_daekninger else 'UDEN'}"


def definitioner() -> list[PakkeDefinition]:
    pakker: list[PakkeDefinition] = []
    for med in (True, False):
        for aarsag, aarsag_navn in AARSAGER:
            pakker.append(
                PakkeDefinition(
                    kode=pakke_kode(aarsag, med),
                    navn=f"{aarsag_navn} - {'med' if med else 'uden'} dækninger",
                    aarsag=aarsag,
                    med_daekninger=med,
                    venteskridt=False,
                    raekkefoelge=len(pakker) + 1,
                )
            )
    pakker.append(
        PakkeDefinition(
            kode=VENTESKRIDT_KODE,
            navn="Dækninger og afskrivninger af KMD Aktiv fordringer",
            aarsag="",
            med_daekninger=True,
            venteskridt=True,
            raekkefoelge=len(pakker) + 1,
        )
    )
    return pakker
