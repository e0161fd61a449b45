"""Who an item on the sagsbehandlerfordeling is for (seed 004): "en meddelelse til en
sagsbehandler eller en organisatorisk enhed ... på en liste som sagsbehandleren eller den
organisatoriske enhed har adgang til". A new item gets its address when it is made
(``fordeling.til_sagsbehandlerfordeling``); a person sends it on to a colleague or a unit here,
and the list shows each person what is theirs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from fordringer.models import Sagsbehandlerfordeling
from fordringer.models.ompostering import HELE_KOMMUNEN
from fordringer.ompostering.fordeling import post_laas
from ky_debitor.adgang import OMPOSTERING
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Bruger, Enhed
from ky_debitor.money import format_beloeb


@dataclass(frozen=True)
class Adressat:
    """One choice of "Send videre til": ``vaerdi`` as the form and the API send it."""

    vaerdi: str
    navn: str


def _kolleger(kommune_id: int) -> QuerySet[Bruger]:
    """The kommune's active persons who may work the list (Omposter fordeling's roles)."""
    return (
        Bruger.objects.filter(
            kommune_id=kommune_id, is_active=True, groups__name__in=[r.value for r in OMPOSTERING]
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def adressater(kommune_id: int) -> list[Adressat]:
    """What an item can be sent to: the kommune's whole list, each unit, each colleague."""
    return [
        Adressat("", HELE_KOMMUNEN),
        *(
            Adressat(f"enhed-{e.pk}", f"Enhed: {e.navn}")
            for e in Enhed.objects.filter(kommune_id=kommune_id)
        ),
        *(Adressat(f"bruger-{b.pk}", b.visningsnavn) for b in _kolleger(kommune_id)),
    ]


def _adresse(kommune_id: int, vaerdi: str) -> tuple[Bruger | None, Enhed | None]:
    art, _, pk = vaerdi.partition("-")
    if vaerdi == "":
        return None, None
    if art == "bruger" and pk.isdigit() and len(pk) < 19:
        bruger = _kolleger(kommune_id).filter(pk=int(pk)).first()
        if bruger is not None:
            return bruger, None
        raise ApplicationError(
            "Personen findes ikke i kommunen eller må ikke behandle sagsbehandlerfordelingen.",
            felt="til",
        )
    if art == "enhed" and pk.isdigit() and len(pk) < 19:
        enhed = Enhed.objects.filter(kommune_id=kommune_id, pk=int(pk)).first()
        if enhed is not None:
            return None, enhed
        raise ApplicationError("Enheden findes ikke i kommunen.", felt="til")
    raise ApplicationError(
        "Vælg en sagsbehandler, en enhed eller hele kommunens liste.", felt="til"
    )


@transaction.atomic
def sagsbehandlerfordeling_adresser(
    *, user: Bruger, post_id: int, til: str, begrundelse: str = ""
) -> Sagsbehandlerfordeling:
    """Send a waiting item on to a colleague (``bruger-ID``), a unit (``enhed-ID``) or the
    kommune's whole list (``""``); audited with who sent it where and why."""
    post = Sagsbehandlerfordeling.objects.for_user(user).filter(pk=post_id).first()
    if post is None:
        raise ApplicationError("Posten findes ikke.")
    bruger, enhed = _adresse(post.kommune_id, til.strip())
    post = post_laas(post)
    foer = post.adressat_navn
    if (post.adresseret_bruger_id, post.adresseret_enhed_id) == (
        bruger.pk if bruger else None,
        enhed.pk if enhed else None,
    ):
        raise ApplicationError(f"Posten står allerede på listen for {foer}.", felt="til")
    post.adresseret_bruger, post.adresseret_enhed = bruger, enhed
    post.save(update_fields=["adresseret_bruger", "adresseret_enhed"])
    audit_log(
        user=user,
        kommune_id=post.kommune_id,
        handling="sagsbehandlerfordeling.adresser",
        objekt=post,
        beskrivelse=(
            f"{format_beloeb(post.beloeb)} kr. på sagsbehandlerfordeling sendt videre fra "
            f"{foer} til {post.adressat_navn}."
        ),
        begrundelse=begrundelse.strip()[:255],
        data={"bruger_id": bruger.pk if bruger else None, "enhed_id": enhed.pk if enhed else None},
    )
    return post
