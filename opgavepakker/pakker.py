"""The 15 opgavepakker of release 2.1 (DESIGN §5): seven reason codes med and uden parked
dækninger, and the waiting step for parked dækninger and afskrivninger. Packages *med*
dækninger come first: they must be done before the tax year closes (seed 000)."""

from __future__ import annotations

from dataclasses import dataclass

VENTESKRIDT_KODE = "DAEKNINGER_AFSKRIVNINGER"

AARSAGER: tuple[tuple[str, str], ...] = (
    ("MANGLER_REFERENCE", "Manglende KMD Aktiv reference"),
    ("FLERE_BEVILLINGER", "Flere bevillinger eller sager passer"),
    ("INGEN_BEVILLING", "Ingen bevilling"),
    ("YDELSESTYPE_UKENDT", "Ydelsestype kan ikke udledes"),
    ("VENTER_PAA_DAEKNING", "Venter på dækning"),
    ("BLANDEDE_BEVILLINGER", "Blandede bevillinger"),
    ("DATAFEJL", "Datafejl"),
)


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
        for aarsag, navn in AARSAGER:
            pakker.append(
                PakkeDefinition(
                    kode=pakke_kode(aarsag, med),
                    navn=f"{navn} - {'med' if med else 'uden'} dækninger",
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
