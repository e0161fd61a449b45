"""Sending a reminder (rykker) for a claim, with the fee the regime's law lets it carry
(issue #19). The rule - may it be sent, which fee - is ``fordringer.rente.gebyr``; here the
reminder is sent by Digital Post and its fee booked on the ledger, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from fordringer.choices import DokumentType, PosteringArt
from fordringer.dokumenter.services import dokument_bestil_og_dan
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Debitorkonto, Dokument, Fordring, Postering
from fordringer.rente.gebyr import rykker_vurder
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError
from ky_debitor.money import format_beloeb

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

SYSTEM = "rykker"


@dataclass(frozen=True)
class Rykker:
    dokument: Dokument
    gebyr: Postering | None


def rykker_send(*, user: Bruger, fordring_id: int, begrundelse: str = "") -> Rykker:
    """Send a reminder for the claim by Digital Post and book its fee, all or nothing: the
    letter is rendered inside the transaction, so a letter that cannot be made leaves no fee,
    and a refusal (``rykker_vurder``) changes nothing."""
    if len(begrundelse) > 255:
        raise ApplicationError("Begrundelsen må højst være 255 tegn.")
    fordring = (
        Fordring.objects.for_user(user).select_related("konto__borger").filter(pk=fordring_id)
    ).first()
    if fordring is None:
        raise ApplicationError("Fordringen findes ikke.")
    with transaction.atomic():
        # The ledger's lock order: the konto, then the claim; read again under the lock, so two
        # people pressing at once send one reminder.
        Debitorkonto.objects.select_for_update().get(pk=fordring.konto_id)
        fordring = (
            Fordring.objects.select_for_update(of=("self",))
            .select_related("konto__borger")
            .get(pk=fordring.pk)
        )
        vurdering = rykker_vurder(fordring)
        if not vurdering.kan_sendes:
            raise ApplicationError(vurdering.afvist)
        nummer = vurdering.tidligere + 1
        gebyr = vurdering.gebyr
        postering = None
        hjemmel = ""
        if gebyr is not None:
            assert vurdering.sats is not None
            hjemmel = vurdering.sats.hjemmel
            postering = postering_bogfoer(
                fordring=fordring,
                art=PosteringArt.GEBYR,
                beloeb=gebyr,
                valoerdato=vurdering.idag,
                user=user,
                tekst=f"Rykkergebyr, rykker {nummer}",
                begrundelse=begrundelse or f"Rykker {nummer} sendt.",
                system=SYSTEM,
            )
        Fordring.objects.filter(pk=fordring.pk).update(rykkerniveau=nummer)
        borger = fordring.konto.borger
        dokument = dokument_bestil_og_dan(
            user=user,
            type=DokumentType.RYKKER,
            titel=f"Rykker for fordring {fordring.fordringsid}",
            borger=borger,
            modtager_navn=borger.navn,
            send=True,
            parametre={
                "nummer": nummer,
                "gebyr": str(gebyr) if gebyr is not None else "",
                "gebyr_hjemmel": hjemmel,
                "uden_gebyr_grund": vurdering.uden_gebyr_grund,
                "postering": postering.pk if postering is not None else None,
            },
            konto=fordring.konto,
            fordring=fordring,
        )
        audit_log(
            user=user,
            kommune_id=fordring.kommune_id,
            handling="fordring.rykker",
            objekt=fordring,
            beskrivelse=f"Rykker {nummer} sendt for fordring {fordring.fordringsid}"
            + (
                f" med rykkergebyr på {format_beloeb(gebyr)} kr."
                if gebyr is not None
                else " uden gebyr."
            ),
            begrundelse=begrundelse,
            data={
                "dokument": dokument.pk,
                "gebyr": str(gebyr) if gebyr is not None else None,
                "postering": postering.pk if postering is not None else None,
                "rykkerniveau": nummer,
            },
            system=SYSTEM,
        )
    return Rykker(dokument=dokument, gebyr=postering)
