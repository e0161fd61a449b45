"""Writes of the reporting ledger: keep it equal to what the ledger calls for.

``eindkomst_afstem`` is the one write. Every path that moves money or changes what a claim is
calls it for the claims it touched, inside its own transaction and under its locks: booking or
reversing a dækning (``ledger.services``), releasing parked ones and linking or re-typing a
konto (``tilknytning.services``), an import, a changed period in the administration. It
recomputes the expected lines (``beregning.forventede_linjer``), compares them with the lines
that stand, and for each entry whose line is wrong writes a reversing line and the right one.
A line is never changed, so a line already reported stays as it was sent and its correction
travels in the next batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from fordringer.eindkomst.beregning import er_efterregulering, forventede_linjer
from fordringer.eindkomst.selectors import Regler, aktive_linjer, daekninger
from fordringer.models import EIndkomstLinje


def eindkomst_afstem(
    *,
    fordring_ids: Iterable[int] | None = None,
    konto_ids: Iterable[int] | None = None,
    idag: dt.date | None = None,
    regler: Regler | None = None,
) -> tuple[int, int]:
    """Bring the lines of these claims (or of these konti's claims) in line with the ledger.
    Returns (reversed, written). Callers hold the konto/claim locks."""
    fordring_ids = None if fordring_ids is None else list(fordring_ids)
    konto_ids = None if konto_ids is None else list(konto_ids)
    if not fordring_ids and not konto_ids:
        return 0, 0
    idag = idag or timezone.localdate()
    regler = regler or Regler.hent()
    fakta, kommuner = daekninger(fordring_ids=fordring_ids, konto_ids=konto_ids)
    forventet = forventede_linjer(
        fakta, ll8o=regler.ll8o.omfatter, forsoergelse=regler.forsoergelse
    )
    staar = aktive_linjer(fordring_ids=fordring_ids, konto_ids=konto_ids)

    tilbage: list[EIndkomstLinje] = []
    nye: list[EIndkomstLinje] = []
    for pid in sorted(set(forventet) | set(staar)):
        ny, gammel = forventet.get(pid), staar.get(pid)
        if gammel is not None and gammel.linje == ny:
            continue
        if gammel is not None:
            g = gammel.linje
            tilbage.append(
                EIndkomstLinje(
                    kommune_id=gammel.kommune_id,
                    postering_id=pid,
                    art=g.art,
                    cpr=g.cpr,
                    indkomstaar=g.indkomstaar,
                    beloeb=-g.beloeb,
                    ydelsestype_id=g.ydelsestype_id,
                    tilbagefoerer_id=gammel.pk,
                    efterregulering=er_efterregulering(g.indkomstaar, idag),
                )
            )
        if ny is not None:
            nye.append(
                EIndkomstLinje(
                    kommune_id=kommuner[pid],
                    postering_id=pid,
                    art=ny.art,
                    cpr=ny.cpr,
                    indkomstaar=ny.indkomstaar,
                    beloeb=ny.beloeb,
                    ydelsestype_id=ny.ydelsestype_id,
                    efterregulering=er_efterregulering(ny.indkomstaar, idag),
                )
            )
    # Reversals first, then the new lines, each in entry order: the same change always
    # writes the same rows in the same order.
    EIndkomstLinje.objects.bulk_create(tilbage + nye, batch_size=2000)
    return len(tilbage), len(nye)
