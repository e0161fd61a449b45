"""Paying out an amount from the sagsbehandlerfordeling list (seed 004 trin 7 and the
"for meget omposterede beløb [kan] udbetales til den oprindelige kunde igen").

Two ways out besides allocating to claims (``udbetaling.sagsbehandlerfordeling_behandl``) and
placing on the customer (``kredit``):

- ``sagsbehandlerfordeling_udbetal``: the caseworker's payout choice, exactly as in an
  ompostering (``UdbetalingValg``, checked by ``udbetaling_fejl``): a payout form or a
  transfer, to the borger or an alternative recipient;
- ``sagsbehandlerfordeling_tilbagebetal``: back to the one who paid, to their NemKonto.

Either way the item leaves the list (handled, by whom, when, what was done) and the amount
waits on the payout list for a Bogholder's approval (four-eyes). An amount left over becomes a
new open item; a rejected payout returns to the list as a new open item
(``udbetaling.udbetaling_afvis``). Money in still equals money on claims, on the list, on
credits and paid out.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction

from fordringer.choices import Udbetalingskanal
from fordringer.models import Borger, Ompostering, Sagsbehandlerfordeling, Udbetaling
from fordringer.ompostering.fordeling import post_behandlet, post_laas, rest_tilbage
from fordringer.ompostering.kontrol import Fejl, fejl_rejs
from fordringer.ompostering.udbetaling import UdbetalingValg, udbetaling_fejl, udbetaling_opret
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Bruger
from ky_debitor.money import format_beloeb

BEHANDLING_MAKS = 255  # what the item keeps (``Sagsbehandlerfordeling.behandling``)
TILBAGEBETALT = "Tilbagebetalt til indbetaler"
# The reason is kept after the fixed text, never cut.
BEGRUNDELSE_MAKS = BEHANDLING_MAKS - len(TILBAGEBETALT) - 2


@transaction.atomic
def sagsbehandlerfordeling_udbetal(
    *, user: Bruger, post_id: int, udbetaling: UdbetalingValg, behandling: str
) -> Udbetaling:
    """Pay out (part of) a waiting amount. ``behandling`` says why; it is kept on the item
    and shown as the payout's reason. Nothing changes when any check fails."""
    fejl = udbetaling_fejl(user=user, udbetaling=udbetaling)
    if not behandling.strip():
        fejl.append(Fejl("behandling", "Skriv hvad der er gjort med beløbet."))
    elif len(behandling.strip()) > BEHANDLING_MAKS:
        fejl.append(
            Fejl(
                "behandling", f"Hvad der er gjort med beløbet må højst være {BEHANDLING_MAKS} tegn."
            )
        )
    post = Sagsbehandlerfordeling.objects.for_user(user).filter(pk=post_id).first()
    if post is None:
        raise ApplicationError("Posten findes ikke.")
    fejl_rejs(fejl)
    post = post_laas(post)
    if udbetaling.beloeb > post.beloeb:
        fejl_rejs(
            [
                Fejl(
                    "udbetaling",
                    f"Beløbet til udbetaling ({format_beloeb(udbetaling.beloeb)} kr.) må ikke "
                    f"være større end posten ({format_beloeb(post.beloeb)} kr.).",
                )
            ]
        )
    post_behandlet(post, user=user, behandling=behandling)
    raekke = udbetaling_opret(udbetaling=udbetaling, user=user, post=post)
    ompostering = (
        Ompostering.objects.select_for_update().get(pk=post.ompostering_id)
        if post.ompostering_id
        else None
    )
    if ompostering is not None:
        # The ompostering's amount moves from waiting to paid out: beloeb still adds up.
        ompostering.venter -= udbetaling.beloeb
        ompostering.udbetalt += udbetaling.beloeb
        ompostering.save(update_fields=["venter", "udbetalt"])
    rest_tilbage(post, rest=post.beloeb - udbetaling.beloeb, ompostering=ompostering)
    audit_log(
        user=user,
        kommune_id=post.kommune_id,
        handling="sagsbehandlerfordeling.udbetal",
        objekt=post,
        beskrivelse=(
            f"{format_beloeb(udbetaling.beloeb)} kr. af {format_beloeb(post.beloeb)} kr. på "
            f"sagsbehandlerfordeling sat til udbetaling til {raekke.modtager_navn}; afventer "
            "godkendelse."
        ),
        begrundelse=behandling,
        data={"udbetaling_id": raekke.pk, "ompostering_id": post.ompostering_id},
    )
    return raekke


def indbetaler(post: Sagsbehandlerfordeling) -> Borger:
    """Who paid the waiting amount: the payment's borger; without a known payment (a rejected
    payout's amount) the borger an ompostering took it from; else the item's own borger."""
    if post.indbetaling is not None and post.indbetaling.borger is not None:
        return post.indbetaling.borger
    if post.ompostering is not None:
        return post.ompostering.fra_borger
    return post.borger


def sagsbehandlerfordeling_tilbagebetal(
    *, user: Bruger, post_id: int, begrundelse: str
) -> Udbetaling:
    """Pay the whole waiting amount back to the one who paid it, to their NemKonto (found by
    their CPR number), through the same payout and approval as any other
    (``sagsbehandlerfordeling_udbetal``)."""
    post = (
        Sagsbehandlerfordeling.objects.for_user(user)
        .select_related("indbetaling__borger", "ompostering__fra_borger", "borger")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise ApplicationError("Posten findes ikke.")
    if not begrundelse.strip():
        raise ApplicationError("Angiv en begrundelse for tilbagebetalingen.", felt="begrundelse")
    if len(begrundelse.strip()) > BEGRUNDELSE_MAKS:
        raise ApplicationError(
            f"Begrundelsen for tilbagebetalingen må højst være {BEGRUNDELSE_MAKS} tegn.",
            felt="begrundelse",
        )
    modtager = indbetaler(post)
    valg = UdbetalingValg(beloeb=post.beloeb, kanal=Udbetalingskanal.NEMKONTO)
    if modtager.pk != post.borger_id:
        valg = replace(valg, modtager_borger_id=modtager.pk)
    return sagsbehandlerfordeling_udbetal(
        user=user,
        post_id=post.pk,
        udbetaling=valg,
        behandling=f"{TILBAGEBETALT}: {begrundelse.strip()}",
    )
