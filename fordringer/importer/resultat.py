"""What an import run hands back: counts on success, every bad row on failure."""

from __future__ import annotations

from dataclasses import dataclass, field

from ky_debitor.errors import ApplicationError

# The tables an import writes, in the order they are filled (also the order of the summary).
TABELLER = (
    "borgere",
    "sager",
    "bevillinger",
    "debitorkonti",
    "fordringer",
    "indbetalinger",
    "posteringer",
    "parkeringer",
)


class ImportFejl(ApplicationError):
    """The extract was rejected as a whole; ``fejl`` lists every bad row as ``fil:række: årsag``."""

    def __init__(self, fejl: list[str]) -> None:
        self.fejl = list(fejl)
        super().__init__(
            f"Indlæsningen er afvist: {len(self.fejl)} fejl i udtrækket. Intet er gemt."
        )


@dataclass
class ImportResultat:
    """Rows read per file and rows created/updated per table by one import run."""

    laest: dict[str, int] = field(default_factory=dict)
    oprettet: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABELLER, 0))
    opdateret: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABELLER, 0))
    # Seconds per phase (læsning, kontrol, skrivning, commit).
    varighed: dict[str, float] = field(default_factory=dict)

    @property
    def raekker(self) -> int:
        """Data rows read across all files (header rows not counted)."""
        return sum(self.laest.values())

    @property
    def aendret(self) -> bool:
        return any(self.oprettet.values()) or any(self.opdateret.values())

    def som_data(self) -> dict[str, object]:
        return {"laest": self.laest, "oprettet": self.oprettet, "opdateret": self.opdateret}

    def opsummering(self) -> str:
        """A short Danish summary, one line per table."""
        linjer = [f"Læst {self.raekker} rækker fra {len(self.laest)} filer."]
        for tabel in TABELLER:
            linjer.append(
                f"  {tabel}: {self.oprettet[tabel]} oprettet, {self.opdateret[tabel]} opdateret"
            )
        if self.varighed:
            tider = ", ".join(
                f"{fase} {sekunder:.1f} s".replace(".", ",")
                for fase, sekunder in self.varighed.items()
            )
            linjer.append(f"Tid: {tider}.")
        return "\n".join(linjer)
