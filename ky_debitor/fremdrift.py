"""The progress of a long run (linking, interest) as its admin panel shows it: how far, how
fast, how long it has run and how long it has left."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Tempo:
    """Computed at one instant from a run's counters and times."""

    procent: int
    pr_sekund: float | None
    resterende_sekunder: int | None
    varighed_sekunder: int | None

    @property
    def resttid_tekst(self) -> str:
        return varighed_tekst(self.resterende_sekunder)

    @property
    def varighed(self) -> str:
        return varighed_tekst(self.varighed_sekunder)


def tempo(
    *,
    behandlet: int,
    total: int,
    aktiv: bool,
    startet: dt.datetime | None,
    afsluttet: dt.datetime | None,
    nu: dt.datetime,
) -> Tempo:
    """The rate is the run's average since it started (until it ended, for a finished run); a
    run resumed after a stop counts the pause too, so its estimate errs on the long side. The
    per cent is rounded down: 100 only when all is done (a run with nothing to do is complete
    once it has ended)."""
    slut = nu if aktiv else (afsluttet or nu)
    varighed = (slut - startet).total_seconds() if startet else None
    rate = behandlet / varighed if varighed and varighed > 0 and behandlet else None
    resterende = math.ceil(max(total - behandlet, 0) / rate) if aktiv and rate else None
    tom = 0 if aktiv else 100  # nothing to do: complete once the run has ended
    return Tempo(
        procent=min(behandlet * 100 // total, 100) if total else tom,
        pr_sekund=rate,
        resterende_sekunder=resterende,
        varighed_sekunder=round(varighed) if varighed is not None else None,
    )


def varighed_tekst(sekunder: int | None) -> str:
    """A duration in Danish, to the second: ``1 t 2 min 5 s``; empty when unknown."""
    if sekunder is None:
        return ""
    if sekunder < 1:
        return "under 1 s"
    timer, rest = divmod(sekunder, 3600)
    minutter, sek = divmod(rest, 60)
    dele = [f"{timer} t"] if timer else []
    if timer or minutter:
        dele.append(f"{minutter} min")
    dele.append(f"{sek} s")
    return " ".join(dele)
