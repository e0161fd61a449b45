"""Roll back an ompostering: the ledger returns to exactly what it was before it.

The new dækninger are reversed, the dækninger it rolled back are booked again as they were
(same claim, amount, value date and payment), and the interest on every claim touched is
recomputed - which gives back the same interest figures, since the non-interest entries that
stand are the same again. A payout still awaiting approval is rejected and an amount still
waiting on the sagsbehandlerfordeling list is closed. Refused, changing nothing, when a payout
has been approved, a waiting amount has been allocated, or a dækning it made has been moved
on since. Everything is linked to the ompostering and audited, like the ompostering itself
(DESIGN §4.2: the ledger is never rewritten, corrections are new entries).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fordringer.choices import OmposteringRolle, PosteringArt, UdbetalingStatus
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Debitorkonto, Fordring, Ompostering, Postering, Sagsbehandlerfordeling
from fordringer.ompostering.services import SYSTEM, posteringer_link, renter_genberegn
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError


@transaction.atomic
def ompostering_tilbagefoer(
    *, user: Any, ompostering_id: int, begrundelse: str, idag: dt.date | None = None
) -> Ompostering:
    """Undo an ompostering (module docstring). ``begrundelse`` is required."""
    idag = idag or timezone.localdate()
    if not begrundelse.strip():
        raise ApplicationError("Angiv en begrundelse for tilbageførslen.", felt="begrundelse")
    ompostering = Ompostering.objects.for_user(user).filter(pk=ompostering_id).first()
    if ompostering is None:
        raise ApplicationError("Omposteringen findes ikke.")
    links = list(
        ompostering.posteringer.select_related("postering__tilbagefoerer").order_by("postering_id")
    )
    konti = set(
        Fordring.objects.filter(pk__in={link.postering.fordring_id for link in links}).values_list(
            "konto_id", flat=True
        )
    )
    list(Debitorkonto.objects.select_for_update().filter(pk__in=konti).order_by("pk"))
    ompostering = Ompostering.objects.select_for_update().get(pk=ompostering.pk)
    if ompostering.tilbagefoert is not None:
        raise ConflictError("Omposteringen er allerede tilbageført.")
    if ompostering.udbetalinger.filter(status=UdbetalingStatus.GODKENDT).exists():
        raise ApplicationError(
            "Udbetalingen fra omposteringen er godkendt, så omposteringen kan ikke tilbageføres."
        )
    ventende = Sagsbehandlerfordeling.objects.select_for_update().filter(ompostering=ompostering)
    if any(p.behandlet is not None for p in ventende):
        raise ApplicationError(
            "Et beløb fra omposteringen er allerede fordelt fra sagsbehandlerfordeling, så "
            "omposteringen kan ikke tilbageføres."
        )
    nye_daekninger = [
        link.postering
        for link in links
        if link.rolle == OmposteringRolle.DAEKNING and link.postering.art == PosteringArt.DAEKNING
    ]
    if Postering.objects.filter(tilbagefoerer__in=nye_daekninger).exists():
        raise ConflictError(
            "En dækning fra omposteringen er siden tilbageført eller omposteret igen."
        )
    oprindelige = [
        link.postering.tilbagefoerer
        for link in links
        if link.rolle == OmposteringRolle.TILBAGEFOERSEL
        and link.postering.tilbagefoerer is not None
        and link.postering.tilbagefoerer.art == PosteringArt.DAEKNING
    ]

    nye = [
        postering_bogfoer(
            fordring=p.fordring,
            art=PosteringArt.TILBAGEFOERSEL,
            beloeb=-p.beloeb,
            valoerdato=p.valoerdato,
            user=user,
            tekst="Ompostering tilbageført",
            begrundelse=begrundelse,
            tilbagefoerer=p,
            system=SYSTEM,
        )
        for p in nye_daekninger
    ]
    posteringer_link(ompostering, nye, OmposteringRolle.TILBAGEFOERSEL)
    igen = [
        postering_bogfoer(
            fordring=p.fordring,
            art=PosteringArt.DAEKNING,
            beloeb=-p.beloeb,
            valoerdato=p.valoerdato,
            user=user,
            tekst=p.tekst,
            begrundelse=begrundelse,
            indbetaling=p.indbetaling,
            system=SYSTEM,
        )
        for p in oprindelige
    ]
    posteringer_link(ompostering, igen, OmposteringRolle.DAEKNING)
    renter_genberegn(
        ompostering=ompostering,
        fordring_ids={p.fordring_id for p in nye_daekninger + oprindelige},
        idag=idag,
        user=user,
        begrundelse=begrundelse,
    )

    nu = timezone.now()
    ompostering.udbetalinger.filter(status=UdbetalingStatus.AFVENTER).update(
        status=UdbetalingStatus.AFVIST,
        behandlet=nu,
        begrundelse="Omposteringen er tilbageført",
    )
    ventende.update(behandlet=nu, behandlet_af=user, behandling="Omposteringen er tilbageført")
    ompostering.tilbagefoert, ompostering.tilbagefoert_af = nu, user
    ompostering.save(update_fields=["tilbagefoert", "tilbagefoert_af"])
    for konto in Debitorkonto.objects.filter(pk__in=konti).order_by("pk"):
        audit_log(
            user=user,
            kommune_id=konto.kommune_id,
            handling="ompostering.tilbagefoer",
            objekt=konto,
            beskrivelse=f"Ompostering {ompostering.pk} tilbageført.",
            begrundelse=begrundelse,
            data={"ompostering_id": ompostering.pk},
            system=SYSTEM,
        )
    return ompostering
