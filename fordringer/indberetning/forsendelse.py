"""The daily eIndkomst batch: a kommune's unreported lines, sent through the outbox as one
``EINDKOMST`` message (DESIGN §7).

``eindkomst_forsendelse_opret`` takes every line of the kommune that is in no batch yet, sums
them per borger, income year, art and ydelsestype in the database (never one object per line),
nets out what the kommune reported by hand (``netto.modregn``) and writes the batch, its lines,
its rows and the outbox message in one transaction under the kommune's row lock, so two workers
running the same kommune at once make one batch. The message's idempotency key is the batch's
key (kommune and first and last line), so a redelivery is dropped by the receiver.

A line counts as reported only when the message is delivered (``besked.status`` SENDT): until
then the batch is "Afventer kvittering"; a batch whose message gave up ("Fejlet") is sent again
with the same key and content (``eindkomst_forsendelse_send_igen``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Max, Min, QuerySet, Sum
from django.utils import timezone

from fordringer.choices import BeskedStatus, BeskedType
from fordringer.eindkomst.netto import NettoRaekke, Raekke, modregn
from fordringer.models import (
    EIndkomstForsendelse,
    EIndkomstForsendelseLinje,
    EIndkomstForsendelseRaekke,
    EIndkomstLinje,
    EIndkomstManuel,
    Ydelsestype,
)
from fordringer.udbakke.services import udgaaende_besked_opret, udgaaende_besked_proev_igen
from ky_debitor.audit import audit_log
from ky_debitor.bulk import rows_copy
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Kommune
from ky_debitor.money import NUL

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

# Rows read and written per round trip: a batch of 200,000 borgere is never held whole.
RAEKKER_PR_SKRIVNING = 5000

STATUS_TEKST = {
    BeskedStatus.AFVENTER: "Afventer kvittering",
    BeskedStatus.SENDT: "Kvitteret",
    BeskedStatus.FEJLET: "Fejlet",
}


def _beloeb(beloeb: Decimal) -> str:
    return f"{beloeb:.2f}"


def _manuel_rest(kommune_id: int) -> dict[tuple[str, int], Decimal]:
    """What is left per (cpr, income year) of what the kommune reported by hand: the by-hand
    sum less what earlier batches netted. Both summed in the database; only pairs with a
    by-hand amount matter, and there are few."""
    rest: dict[tuple[str, int], Decimal] = defaultdict(lambda: NUL)
    for r in (
        EIndkomstManuel.objects.for_kommune(kommune_id)
        .values("cpr", "indkomstaar")
        .annotate(s=Sum("beloeb"))
        .order_by()
    ):
        rest[(r["cpr"], r["indkomstaar"])] += r["s"]
    for r in (
        EIndkomstForsendelseRaekke.objects.filter(forsendelse__kommune_id=kommune_id)
        .exclude(modregnet=0)
        .values("cpr", "indkomstaar")
        .annotate(s=Sum("modregnet"))
        .order_by()
    ):
        rest[(r["cpr"], r["indkomstaar"])] -= r["s"]
    return {k: v for k, v in rest.items() if v > 0}


def _linjer_tag(*, forsendelse_id: int, kommune_id: int) -> int:
    """Put every line of the kommune that is in no batch yet into this batch. Returns how
    many.

    Two statements, not one ``INSERT … SELECT … WHERE NOT EXISTS`` on the table it writes: the
    planner took that table's statistics from before the statement (often empty) and chose a
    nested loop that scanned it for each line while the statement filled it — 180 s for
    200,000 lines. Read first (the kommune's row lock keeps another batch out), then ``COPY``.
    """
    ids = list(
        EIndkomstLinje.objects.for_kommune(kommune_id)
        .filter(sendt_i__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    rows_copy(
        EIndkomstForsendelseLinje,
        columns=["forsendelse_id", "linje_id"],
        rows=((forsendelse_id, i) for i in ids),
    )
    return len(ids)


def _raekker(forsendelse_id: int) -> Iterator[Raekke]:
    """The batch's lines summed per borger, year, art and ydelsestype, in that order, read in
    chunks (a server-side cursor on PostgreSQL) so a big batch is never held whole."""
    qs = (
        EIndkomstLinje.objects.filter(sendt_i__forsendelse_id=forsendelse_id)
        .values_list("cpr", "indkomstaar", "art", "ydelsestype_id")
        .annotate(s=Sum("beloeb"))
        .order_by("cpr", "indkomstaar", "art", "ydelsestype_id")
    )
    for cpr, aar, art, ydelsestype_id, s in qs.iterator(chunk_size=RAEKKER_PR_SKRIVNING):
        yield Raekke(cpr, aar, art, ydelsestype_id, s)


def _nettede(
    raekker: Iterator[Raekke], rest: dict[tuple[str, int], Decimal]
) -> Iterator[NettoRaekke]:
    """``modregn`` per (cpr, year) group of the sorted rows."""
    gruppe: list[Raekke] = []
    for r in raekker:
        if gruppe and (gruppe[0].cpr, gruppe[0].indkomstaar) != (r.cpr, r.indkomstaar):
            yield from modregn(
                gruppe, manuel_rest=rest.get((gruppe[0].cpr, gruppe[0].indkomstaar), NUL)
            )
            gruppe = []
        gruppe.append(r)
    if gruppe:
        yield from modregn(
            gruppe, manuel_rest=rest.get((gruppe[0].cpr, gruppe[0].indkomstaar), NUL)
        )


def _raekker_skriv(raekker: list[tuple[Any, ...]]) -> int:
    return rows_copy(
        EIndkomstForsendelseRaekke,
        columns=[
            "forsendelse_id",
            "cpr",
            "indkomstaar",
            "art",
            "ydelsestype_id",
            "linjer",
            "modregnet",
            "beloeb",
        ],
        rows=raekker,
    )


@transaction.atomic
def eindkomst_forsendelse_opret(
    *, kommune_id: int, nu: dt.datetime | None = None
) -> EIndkomstForsendelse | None:
    """Make today's batch of the kommune's unreported lines and put it in the outbox. None
    when every line is already in a batch."""
    kommune = Kommune.objects.select_for_update().get(pk=kommune_id)
    if not (EIndkomstLinje.objects.for_kommune(kommune_id).filter(sendt_i__isnull=True).exists()):
        return None
    nu = nu or timezone.now()
    forsendelse = EIndkomstForsendelse.objects.create(
        kommune_id=kommune_id,
        noegle=f"eindkomst-{kommune.kode}-ny-{uuid.uuid4().hex}",
        periode_fra=nu,
        periode_til=nu,
        antal=0,
        total=NUL,
    )
    _linjer_tag(forsendelse_id=forsendelse.pk, kommune_id=kommune_id)
    samlet = EIndkomstLinje.objects.filter(sendt_i__forsendelse=forsendelse).aggregate(
        antal=Count("id"),
        fra=Min("oprettet"),
        til=Max("oprettet"),
        foerste=Min("id"),
        sidste=Max("id"),
    )
    koder = dict(Ydelsestype.objects.values_list("id", "kode"))
    rest = _manuel_rest(kommune_id)

    payload_raekker: list[dict[str, Any]] = []
    raekker: list[tuple[Any, ...]] = []
    total = modregnet = NUL
    antal_raekker = 0
    for n in _nettede(_raekker(forsendelse.pk), rest):
        r = n.raekke
        total += n.beloeb
        modregnet += n.modregnet
        if n.beloeb != 0:
            payload_raekker.append(
                {
                    "cpr": r.cpr,
                    "indkomstaar": r.indkomstaar,
                    "art": r.art,
                    "beloeb": _beloeb(n.beloeb),
                    "ydelsestype": koder[r.ydelsestype_id],
                }
            )
        raekker.append(
            (
                forsendelse.pk,
                r.cpr,
                r.indkomstaar,
                r.art,
                r.ydelsestype_id,
                r.linjer,
                n.modregnet,
                n.beloeb,
            )
        )
        if len(raekker) == RAEKKER_PR_SKRIVNING:
            antal_raekker += _raekker_skriv(raekker)
            raekker = []
    antal_raekker += _raekker_skriv(raekker)

    forsendelse.noegle = f"eindkomst-{kommune.kode}-{samlet['foerste']}-{samlet['sidste']}"
    forsendelse.periode_fra = samlet["fra"]
    forsendelse.periode_til = samlet["til"]
    forsendelse.antal = samlet["antal"]
    forsendelse.antal_raekker = antal_raekker
    forsendelse.total = total
    forsendelse.modregnet = modregnet
    forsendelse.besked = udgaaende_besked_opret(
        kommune_id=kommune_id,
        type=BeskedType.EINDKOMST,
        noegle=forsendelse.noegle,
        payload={
            "kommune": kommune.kode,
            "periode_fra": forsendelse.periode_fra.isoformat(),
            "periode_til": forsendelse.periode_til.isoformat(),
            "antal": forsendelse.antal,
            "total": _beloeb(total),
            "raekker": payload_raekker,
        },
    )
    forsendelse.save()
    audit_log(
        user=None,
        system="eindkomst",
        kommune_id=kommune_id,
        handling="eindkomst.forsendelse_opret",
        objekt=forsendelse,
        beskrivelse=(
            f"eIndkomst-forsendelse {forsendelse.noegle}: {forsendelse.antal} linjer, "
            f"{antal_raekker} rækker, sendt i alt {_beloeb(total)}, "
            f"modregnet manuelt indberettet {_beloeb(modregnet)}."
        ),
    )
    return forsendelse


@transaction.atomic
def eindkomst_forsendelse_send_igen(*, user: Bruger, forsendelse_id: int) -> EIndkomstForsendelse:
    """A Bogholder sends a failed batch again: same key, same content. Audited.
    ``EIndkomstForsendelse.DoesNotExist`` for another kommune's batch."""
    forsendelse = (
        EIndkomstForsendelse.objects.for_user(user)
        .select_related("besked")
        .select_for_update(of=("self",))
        .get(pk=forsendelse_id)
    )
    if forsendelse.besked is None:
        raise ApplicationError("Forsendelsen har ingen besked at sende.")
    if forsendelse.besked.status == BeskedStatus.SENDT:
        raise ApplicationError("Forsendelsen er allerede kvitteret.")
    forsendelse.besked = udgaaende_besked_proev_igen(user=user, besked_id=forsendelse.besked.pk)
    audit_log(
        user=user,
        kommune_id=forsendelse.kommune_id,
        handling="eindkomst.forsendelse_send_igen",
        objekt=forsendelse,
        beskrivelse=f"eIndkomst-forsendelse {forsendelse.noegle} sendt igen.",
    )
    return forsendelse


# --- Selectors ------------------------------------------------------------------------------


def forsendelse_status(forsendelse: EIndkomstForsendelse) -> str:
    """The batch's state, from its message's: a line counts as reported once it is kvitteret."""
    if forsendelse.besked is None:
        return STATUS_TEKST[BeskedStatus.AFVENTER]
    return STATUS_TEKST[BeskedStatus(forsendelse.besked.status)]


def forsendelser(*, user: Any) -> QuerySet[EIndkomstForsendelse]:
    """The user's kommune's batches, newest first."""
    return EIndkomstForsendelse.objects.for_user(user).select_related("besked")


def forsendelse_raekker(forsendelse: EIndkomstForsendelse) -> QuerySet[EIndkomstForsendelseRaekke]:
    return forsendelse.raekker.select_related("ydelsestype").order_by(
        "cpr", "indkomstaar", "art", "ydelsestype__kode"
    )


def kommuner_med_usendte_linjer() -> list[int]:
    """Ids of the kommuner that have lines in no batch yet."""
    return list(
        EIndkomstLinje.objects.filter(sendt_i__isnull=True)
        .values_list("kommune_id", flat=True)
        .distinct()
        .order_by("kommune_id")
    )
