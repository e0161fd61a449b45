"""Fees by the regime's law, and the rule for when a reminder may be sent and what fee it
carries (issue #19). ``fordringer.rykker`` sends the reminder and books the fee; the claim's
page shows this rule's answer before anyone presses the button.

A fee is never charged on its own: the law lets the kommune charge a reminder fee for a
reminder it sends (opkrævningsloven § 6, stk. 1). Which fee, how many and how often is data per
interest regime (``Gebyrsats``), not code. The rule (``rykker_vurder``):

* a reminder is sent only for a claim being collected here ("Opkræv", not sent to
  inddrivelse), past its due date, with a restance;
* at least ``mindste_interval_dage`` (10 where the regime has no fee row) after the
  previous reminder KY sent for the claim;
* it carries the regime's fee valid on the day when the claim's reminders so far are fewer
  than ``hoejst_pr_fordring``. "So far" is the greater of the claim's reminder level
  (``rykkerniveau``, which KMD Aktiv's import brings, so reminders sent there count) and the
  reminders KY has sent; the reminder raises the level by one.

The fee is a GEBYR entry on the ledger dated the day of the reminder. It bears no interest and
a later payment covers it before the principal (``rente.beregning``); its new entry makes the
next interest run recompute the claim (``rente.koersel.afstemt``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from fordringer.choices import DokumentType, GebyrArt, Opkraevningstilstand
from fordringer.models import Dokument, Fordring, Gebyrsats
from ky_debitor.visning import dato as dato_tekst

# Days between two reminders on a claim whose regime has no fee row to say otherwise.
MINDSTE_INTERVAL = 10


def gebyrsats(renteregime: str, *, dato: dt.date, art: str = GebyrArt.RYKKER) -> Gebyrsats | None:
    """The fee row of ``renteregime`` valid on ``dato``, or None: no fee of that kind."""
    return (
        Gebyrsats.objects.filter(renteregime=renteregime, art=art, gyldig_fra__lte=dato)
        .order_by("-gyldig_fra")
        .first()
    )


@dataclass(frozen=True)
class Rykkervurdering:
    """Whether a reminder may be sent for a claim today, and what it would carry."""

    fordring: Fordring
    idag: dt.date
    afvist: str  # why not, in Danish; empty when it may be sent
    sendt: list[Dokument]  # the reminders KY sent for the claim, newest first
    tidligere: int  # reminders so far (the claim's level or KY's count, the greater)
    sats: Gebyrsats | None  # the regime's fee row on the day
    naeste_fra: dt.date | None  # the first day the next reminder may be sent

    @property
    def kan_sendes(self) -> bool:
        return not self.afvist

    @property
    def gebyr(self) -> Decimal | None:
        """The fee the reminder carries (None: no fee)."""
        if self.sats is None or self.tidligere >= self.sats.hoejst_pr_fordring:
            return None
        return Decimal(self.sats.beloeb)

    @property
    def uden_gebyr_grund(self) -> str:
        if self.sats is None:
            return f"{self.fordring.get_renteregime_display()} giver ikke rykkergebyr."
        if self.tidligere >= self.sats.hoejst_pr_fordring:
            return (
                f"Der er allerede sendt {self.tidligere} rykkere; der opkræves gebyr for "
                f"højst {self.sats.hoejst_pr_fordring} ({self.sats.hjemmel})."
            )
        return ""


def rykker_vurder(fordring: Fordring, *, idag: dt.date | None = None) -> Rykkervurdering:
    """The rule of the module docstring for ``fordring`` on ``idag`` (read only)."""
    idag = idag or timezone.localdate()
    sendt = list(
        Dokument.objects.filter(
            fordring=fordring, type=DokumentType.RYKKER, kommune_id=fordring.kommune_id
        )
        .defer("pdf")
        .order_by("-oprettet", "-id")
    )
    sats = gebyrsats(fordring.renteregime, dato=idag)
    interval = sats.mindste_interval_dage if sats is not None else MINDSTE_INTERVAL
    sidste = timezone.localdate(sendt[0].oprettet) if sendt else None
    naeste_fra = sidste + dt.timedelta(days=interval) if sidste is not None else None
    afvist = ""
    if fordring.inddrivelse or fordring.opkraevningstilstand == Opkraevningstilstand.INDDRIVELSE:
        afvist = "Fordringen er sendt til inddrivelse; kommunen sender ikke rykkere for den."
    elif fordring.opkraevningstilstand == Opkraevningstilstand.BERO:
        afvist = "Fordringen er i bero; der sendes ikke rykkere, mens den er det."
    elif fordring.restance <= 0:
        afvist = "Fordringen er betalt; der er intet at rykke for."
    elif fordring.forfaldsdato is None:
        afvist = "Fordringen har ingen forfaldsdato; der kan ikke rykkes for den."
    elif fordring.forfaldsdato >= idag:
        afvist = (
            f"Fordringen forfalder først {dato_tekst(fordring.forfaldsdato)}; "
            "der rykkes tidligst dagen efter."
        )
    elif naeste_fra is not None and idag < naeste_fra:
        assert sidste is not None
        afvist = (
            f"Der blev sendt en rykker {dato_tekst(sidste)}. Der skal gå mindst {interval} "
            f"dage mellem to rykkere, så den næste kan sendes fra {dato_tekst(naeste_fra)}."
        )
    return Rykkervurdering(
        fordring=fordring,
        idag=idag,
        afvist=afvist,
        sendt=sendt,
        tidligere=max(fordring.rykkerniveau, len(sendt)),
        sats=sats,
        naeste_fra=naeste_fra,
    )
