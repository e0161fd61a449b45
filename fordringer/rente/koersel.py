"""The interest run: a kommune's interest-bearing claims brought up to date, chunk by chunk.

Interest is otherwise booked only where something touched a claim (an ompostering). The run
goes over every claim of one kommune that has a regime other than INGEN, an open restance and
a due date on or before ``til_dato``. The claims are split into lanes by konto (``konto_id``
modulo the run's ``spor``, ``KY_RENTE_SPOR``): a konto's claims are all in one lane, so lanes
never lock the same rows and run side by side on separate workers, each with its own
checkpoint (``Rentekoerselspor``). Within a lane the claims go in pk order,
``CHUNK_STOERRELSE`` at a time. Each chunk is one transaction: lock the chunk's konti and
claims (the ledger's lock order), read their entries in one query, recompute each claim's
interest (``rente_aendring``, the same function
``renter_afstem`` uses) and book only the claims whose interest changed, all of the chunk's in
one write per table (``renter_bogfoer_mange``); an overpaid claim goes through
``renter_afstem``, which places the excess on the customer.
The same transaction moves the lane's checkpoint (``Rentekoerselspor.sidste_pk``) and the
run's figures, so a run killed half-way loses its current chunks only and resumes each lane
after its last chunk that committed. A re-run with nothing new books nothing: every claim's
interest already holds.

Each chunk also marks its claims with what their interest now stands on (``Fordring``'s
``rente_afstemt_*``: the day, the claim's newest entry, the rate table's version), so a run to
the same day reads only the claims where one of them changed - a new entry (a payment, an
ompostering, a reversal), a new rate, a new regime - and passes the rest over without reading
their ledger.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fordringer.choices import Renteregime
from fordringer.models import (
    Debitorkonto,
    Fordring,
    Postering,
    Rentekoersel,
    Rentekoerselspor,
    RentekoerselStatus,
    Rentesats,
)
from fordringer.rente.beregning import Sats
from fordringer.rente.services import (
    rente_aendring,
    renter_afstem,
    renter_bogfoer_mange,
    rentesatser,
)
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.koe import efter_commit
from ky_debitor.models import Kommune
from ky_debitor.money import NUL, format_beloeb
from ky_debitor.visning import tal

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

logger = logging.getLogger(__name__)

CHUNK_STOERRELSE = 2000
AKTIVE = (RentekoerselStatus.PENDING, RentekoerselStatus.RUNNING)
# A run killed without a trace stays RUNNING, one the queue never got stays PENDING; resuming
# either is harmless (each chunk takes the run's row lock and reads the checkpoint under it),
# so both can be resumed like a failed one.
GENOPTAGELIGE = (
    RentekoerselStatus.FAILED,
    RentekoerselStatus.CANCELLED,
    RentekoerselStatus.RUNNING,
    RentekoerselStatus.PENDING,
)
# Stopped on purpose or by an error: resumed only when no other run of the kommune is active.
STANDSEDE = (RentekoerselStatus.FAILED, RentekoerselStatus.CANCELLED)
SYSTEM = "rentekoersel"


def rentebaerende_fordringer(*, kommune_id: int, til_dato: dt.date) -> QuerySet[Fordring]:
    """The claims a run goes over: interest-bearing, open and due by ``til_dato``."""
    return (
        Fordring.objects.for_kommune(kommune_id)
        .exclude(renteregime=Renteregime.INGEN)
        .filter(restance__gt=0, forfaldsdato__lte=til_dato)
    )


def satser_version() -> int:
    """The rate table's version: its highest row id (rates are only ever added)."""
    return Rentesats.objects.aggregate(version=Max("pk"))["version"] or 0


def afstemt(*, til_dato: dt.date, satser: int) -> Q:
    """Claims whose interest a run already brought to ``til_dato`` under rate table version
    ``satser``, with no ledger entry since: a run to that day has nothing to do for them."""
    nyere = Postering.objects.filter(
        fordring_id=OuterRef("pk"), pk__gt=OuterRef("rente_afstemt_postering")
    )
    return Q(~Exists(nyere), rente_afstemt_til=til_dato, rente_afstemt_satser=satser)


def kommuner_med_rentebaerende_fordringer() -> list[int]:
    """Ids of the kommuner with at least one open interest-bearing claim."""
    fordringer = Fordring.objects.filter(kommune=OuterRef("pk"), restance__gt=0).exclude(
        renteregime=Renteregime.INGEN
    )
    return list(
        Kommune.objects.filter(Exists(fordringer)).order_by("pk").values_list("pk", flat=True)
    )


def _til_dato_kontroller(*, kommune: Kommune, til_dato: dt.date, idag: dt.date) -> None:
    """Interest is booked up to a day that has come, never back from one already run to:
    recomputing to an earlier day would reverse interest that is rightly booked."""
    if til_dato > idag:
        raise ApplicationError(
            f"Renter kan ikke beregnes til {til_dato:%d-%m-%Y}: datoen er ikke kommet endnu."
        )
    # A run that stopped half-way booked some claims up to its date too.
    seneste = (
        Rentekoersel.objects.for_kommune(kommune.pk)
        .filter(Q(status=RentekoerselStatus.DONE) | Q(dele_faerdige__gt=0))
        .order_by("-til_dato")
        .values_list("til_dato", flat=True)
        .first()
    )
    if seneste is not None and til_dato < seneste:
        raise ApplicationError(
            f"Renterne for {kommune.navn} er allerede kørt til {seneste:%d-%m-%Y}; "
            "vælg den dato eller en senere."
        )


def _allerede_aktiv(kommune: Kommune) -> str:
    return (
        f"Der kører allerede en rentekørsel for {kommune.navn}. Vent til den er færdig, "
        "eller genoptag den."
    )


@transaction.atomic
def rentekoersel_opret(
    *, kommune: Kommune, til_dato: dt.date | None, user: Bruger | None
) -> Rentekoersel:
    """Create (not yet run) an interest run for ``kommune`` up to ``til_dato`` (default
    today). Refused while another run for the kommune is active, or for a bad date."""
    idag = timezone.localdate()
    til_dato = til_dato or idag
    _til_dato_kontroller(kommune=kommune, til_dato=til_dato, idag=idag)
    if Rentekoersel.objects.for_kommune(kommune.pk).filter(status__in=AKTIVE).exists():
        raise ConflictError(_allerede_aktiv(kommune))
    try:
        with transaction.atomic():
            koersel = Rentekoersel.objects.create(
                kommune=kommune,
                til_dato=til_dato,
                startet_af=user if getattr(user, "pk", None) else None,
                spor=settings.KY_RENTE_SPOR,
            )
            Rentekoerselspor.objects.bulk_create(
                Rentekoerselspor(koersel=koersel, kommune=kommune, nummer=n)
                for n in range(koersel.spor)
            )
    except IntegrityError as exc:  # a run started by someone else in the same instant
        raise ConflictError(_allerede_aktiv(kommune)) from exc
    audit_log(
        user=user,
        kommune_id=kommune.pk,
        handling="rentekoersel.start",
        objekt=koersel,
        beskrivelse=f"Rentekørsel startet for {kommune.navn} med renter til {til_dato:%d-%m-%Y}.",
        system=SYSTEM,
    )
    return koersel


def rentekoersel_start(
    *, kommune: Kommune, til_dato: dt.date | None, user: Bruger | None
) -> Rentekoersel:
    """Create a run and hand it to the workers once the creation has committed."""
    from fordringer.tasks import rentekoersel_koer_opgave

    with transaction.atomic():
        koersel = rentekoersel_opret(kommune=kommune, til_dato=til_dato, user=user)
        efter_commit(rentekoersel_koer_opgave, koersel.pk)
    return koersel


@transaction.atomic
def rentekoersel_genoptag(*, koersel: Rentekoersel, user: Bruger | None) -> Rentekoersel:
    """Resume a failed, cancelled or stopped run from its last committed chunk."""
    from fordringer.tasks import rentekoersel_koer_opgave

    koersel = Rentekoersel.objects.select_for_update().get(pk=koersel.pk)
    if koersel.status not in GENOPTAGELIGE:
        raise ApplicationError("Rentekørslen er færdig og kan ikke genoptages; start en ny.")
    if koersel.status in STANDSEDE:
        if Rentekoersel.objects.for_kommune(koersel.kommune_id).filter(status__in=AKTIVE).exists():
            raise ConflictError(_allerede_aktiv(koersel.kommune))
        koersel.status = RentekoerselStatus.PENDING
        koersel.fejl = ""
        koersel.afsluttet = None
        koersel.save(update_fields=["status", "fejl", "afsluttet"])
    audit_log(
        user=user,
        kommune_id=koersel.kommune_id,
        handling="rentekoersel.genoptag",
        objekt=koersel,
        beskrivelse=(
            f"Rentekørsel {koersel.pk} genoptaget efter {koersel.dele_faerdige} færdige dele "
            f"({tal(koersel.antal_behandlet)} fordringer)."
        ),
        system=SYSTEM,
    )
    efter_commit(rentekoersel_koer_opgave, koersel.pk)
    return koersel


@transaction.atomic
def rentekoersel_annuller(*, koersel: Rentekoersel, user: Bruger | None) -> Rentekoersel:
    """Stop a run after the chunk it is in: what it booked stays booked (each chunk is whole),
    and it can be resumed from there."""
    koersel = Rentekoersel.objects.select_for_update().get(pk=koersel.pk)
    if koersel.status not in AKTIVE:
        raise ApplicationError("Rentekørslen er ikke i gang og kan ikke annulleres.")
    koersel.status = RentekoerselStatus.CANCELLED
    koersel.afsluttet = timezone.now()
    koersel.save(update_fields=["status", "afsluttet"])
    audit_log(
        user=user,
        kommune_id=koersel.kommune_id,
        handling="rentekoersel.annuller",
        objekt=koersel,
        beskrivelse=(
            f"Rentekørsel {koersel.pk} annulleret efter {tal(koersel.antal_behandlet)} af "
            f"{tal(koersel.antal_i_alt)} fordringer; det bogførte står."
        ),
        system=SYSTEM,
    )
    return koersel


def _spor_fordringer(
    koersel: Rentekoersel, spor: Rentekoerselspor, satser: int
) -> QuerySet[Fordring]:
    """The claims the lane still has to go over, in the order it takes them."""
    qs = rentebaerende_fordringer(kommune_id=koersel.kommune_id, til_dato=koersel.til_dato)
    if koersel.spor > 1:
        qs = qs.alias(spor_nr=F("konto_id") % koersel.spor).filter(spor_nr=spor.nummer)
    return (
        qs.filter(pk__gt=spor.sidste_pk)
        .exclude(afstemt(til_dato=koersel.til_dato, satser=satser))
        .order_by("pk")
    )


def _i_alt(koersel: Rentekoersel) -> int:
    """The claims the run goes over in all: those it went over, and those after each lane's
    checkpoint that its marks do not pass over (counted at each start, so a resumed run's bar
    is right). A run no lane has begun is counted in one query, not one per lane."""
    satser = satser_version()
    spor = list(koersel.spor_raekker.filter(faerdig=False))
    if len(spor) == koersel.spor and all(s.sidste_pk == 0 for s in spor):
        tilbage = (
            rentebaerende_fordringer(kommune_id=koersel.kommune_id, til_dato=koersel.til_dato)
            .exclude(afstemt(til_dato=koersel.til_dato, satser=satser))
            .count()
        )
    else:
        tilbage = sum(_spor_fordringer(koersel, s, satser).count() for s in spor)
    return koersel.antal_behandlet + tilbage


def rentekoersel_markeer_koerer(*, koersel_id: int) -> list[int]:
    """A worker takes the run: RUNNING, its start time (the first time) and the number of
    claims it goes over. Returns the lanes still to run; none when the run is no longer
    active (done, failed, cancelled)."""
    with transaction.atomic():
        koersel = Rentekoersel.objects.select_for_update().get(pk=koersel_id)
        if koersel.status not in AKTIVE:
            return []
        koersel.startet = koersel.startet or timezone.now()
        koersel.antal_i_alt = _i_alt(koersel)
        koersel.status = RentekoerselStatus.RUNNING
        koersel.save(update_fields=["status", "startet", "antal_i_alt"])
        return list(
            koersel.spor_raekker.filter(faerdig=False)
            .order_by("nummer")
            .values_list("nummer", flat=True)
        )


def rentekoersel_koer(*, koersel_id: int, chunk_stoerrelse: int = CHUNK_STOERRELSE) -> Rentekoersel:
    """Run (or resume) a run in this process, lane after lane, then mark it done. A chunk
    that fails leaves the run FAILED (RUNNING if the database went away), resumable from each
    lane's last committed chunk, and the error is raised on."""
    for nummer in rentekoersel_markeer_koerer(koersel_id=koersel_id):
        rentekoersel_spor_koer(
            koersel_id=koersel_id, nummer=nummer, chunk_stoerrelse=chunk_stoerrelse
        )
    rentekoersel_afslut(koersel_id=koersel_id)
    return Rentekoersel.objects.get(pk=koersel_id)


def rentekoersel_spor_koer(
    *, koersel_id: int, nummer: int, chunk_stoerrelse: int = CHUNK_STOERRELSE
) -> None:
    """Run one lane chunk after chunk until it is done or the run is stopped: what a worker
    does with its lane while another worker runs the next."""
    try:
        while rentekoersel_del_koer(
            koersel_id=koersel_id, nummer=nummer, chunk_stoerrelse=chunk_stoerrelse
        ):
            pass
    except OperationalError:
        # The database went away: the run stays RUNNING at its last committed chunks, so the
        # task's retry (or Drift, or next month's task) carries on from there.
        raise
    except Exception as exc:
        rentekoersel_fejlet(koersel_id=koersel_id, fejl=f"{type(exc).__name__}: {exc}")
        raise


def rentekoersel_fejlet(*, koersel_id: int, fejl: str) -> None:
    Rentekoersel.objects.filter(pk=koersel_id, status__in=AKTIVE).update(
        status=RentekoerselStatus.FAILED, fejl=fejl[:2000], afsluttet=timezone.now()
    )


def rentekoersel_afslut(*, koersel_id: int) -> None:
    """Mark the run done once every lane is: called when a worker's lane ends, so the last
    lane to finish closes the run."""
    with transaction.atomic():
        koersel = Rentekoersel.objects.select_for_update().get(pk=koersel_id)
        if koersel.status not in AKTIVE or koersel.spor_raekker.filter(faerdig=False).exists():
            return
        koersel.status = RentekoerselStatus.DONE
        koersel.afsluttet = timezone.now()
        koersel.save(update_fields=["status", "afsluttet"])


@dataclass(frozen=True)
class _Udfald:
    aendret: int
    netto: Decimal


def rentekoersel_del_koer(
    *, koersel_id: int, nummer: int = 0, chunk_stoerrelse: int = CHUNK_STOERRELSE
) -> bool:
    """Book the lane's next chunk in one transaction; False when the lane is done or the run
    stopped (cancelled, failed)."""
    with transaction.atomic():
        # The lane's row lock serialises two workers on one lane: the second reads the
        # checkpoint the first committed and takes the next chunk. Lanes do not wait for each
        # other: the run's row is only written at the end of a chunk, for its figures.
        spor = Rentekoerselspor.objects.select_for_update().get(
            koersel_id=koersel_id, nummer=nummer
        )
        koersel = Rentekoersel.objects.get(pk=koersel_id)
        if koersel.status not in AKTIVE or spor.faerdig:
            return False
        satser = satser_version()
        ider = list(
            _spor_fordringer(koersel, spor, satser).values_list("pk", flat=True)[:chunk_stoerrelse]
        )
        if not ider:
            spor.faerdig = True
            spor.save(update_fields=["faerdig"])
            return False
        udfald = _chunk_bogfoer(koersel, ider)
        _marker(ider, til_dato=koersel.til_dato, satser=satser)
        spor.sidste_pk = ider[-1]
        spor.save(update_fields=["sidste_pk"])
        Rentekoersel.objects.filter(pk=koersel_id).update(
            dele_faerdige=F("dele_faerdige") + 1,
            antal_behandlet=F("antal_behandlet") + len(ider),
            antal_aendret=F("antal_aendret") + udfald.aendret,
            beloeb_bogfoert=F("beloeb_bogfoert") + udfald.netto,
        )
    return True


def _chunk_bogfoer(koersel: Rentekoersel, ider: list[int]) -> _Udfald:
    """Lock the chunk's konti and claims, recompute each claim from its entries and book the
    claims whose interest no longer holds."""
    kommune_id = koersel.kommune_id
    konto_ider = set(
        Fordring.objects.for_kommune(kommune_id)
        .filter(pk__in=ider)
        .values_list("konto_id", flat=True)
    )
    list(
        Debitorkonto.objects.for_kommune(kommune_id)
        .select_for_update()
        .filter(pk__in=konto_ider)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    fordringer = list(
        Fordring.objects.for_kommune(kommune_id)
        .select_for_update()
        .filter(pk__in=ider)
        .order_by("pk")
    )
    posteringer: dict[int, list[Postering]] = defaultdict(list)
    # Only what the interest computation reads: a re-run reads every entry of every claim.
    for p in (
        Postering.objects.filter(kommune_id=kommune_id, fordring_id__in=ider)
        .only("fordring_id", "art", "beloeb", "valoerdato", "tilbagefoerer_id")
        .order_by("pk")
    ):
        posteringer[p.fordring_id].append(p)
    satser: dict[str, list[Sats]] = {}
    begrundelse = f"Rentekørsel {koersel.pk} til {koersel.til_dato:%d-%m-%Y}"
    aendret, netto = 0, NUL
    aendringer = []
    for fordring in fordringer:
        if fordring.renteregime not in satser:
            satser[fordring.renteregime] = rentesatser(fordring.renteregime)
        aendring = rente_aendring(
            fordring=fordring,
            til_dato=koersel.til_dato,
            posteringer=posteringer[fordring.pk],
            satser=satser[fordring.renteregime],
        )
        if not aendring.bogfoer and not aendring.tilbagefoer:
            continue
        if aendring.restance_efter < 0:
            netto += _overbetalt_afstem(fordring, koersel.til_dato, begrundelse)
        else:
            aendringer.append(aendring)
            netto += aendring.netto
        aendret += 1
    renter_bogfoer_mange(aendringer=aendringer, begrundelse=begrundelse, system=SYSTEM)
    return _Udfald(aendret, netto)


def _marker(ider: list[int], *, til_dato: dt.date, satser: int) -> None:
    """Note on the chunk's claims (still locked) what their interest now stands on."""
    nyeste = Postering.objects.filter(fordring_id=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    Fordring.objects.filter(pk__in=ider).update(
        rente_afstemt_til=til_dato,
        rente_afstemt_postering=Coalesce(Subquery(nyeste), Value(0)),
        rente_afstemt_satser=satser,
    )


def _overbetalt_afstem(fordring: Fordring, til_dato: dt.date, begrundelse: str) -> Decimal:
    """An overpaid claim: ``renter_afstem`` places the excess on the customer first. A claim
    that cannot be settled is logged and left as it is, so one claim never stops the run."""
    try:
        with transaction.atomic():
            nye = renter_afstem(
                fordring=fordring,
                til_dato=til_dato,
                user=None,
                begrundelse=begrundelse,
                system=SYSTEM,
            )
    except ApplicationError as exc:
        logger.warning("Rentekørsel: fordring %s sprunget over: %s", fordring.pk, exc.message)
        return NUL
    return sum((p.beloeb for p in nye), NUL)


def rentekoersel_beskriv(koersel: Rentekoersel) -> str:
    """What a run booked, in Danish (the management command and the admin's messages)."""
    return (
        f"{koersel.kommune.navn}: renter til {koersel.til_dato:%d-%m-%Y}; "
        f"{tal(koersel.antal_behandlet)} fordringer gennemgået, {tal(koersel.antal_aendret)} "
        f"med ny rente, netto {format_beloeb(koersel.beloeb_bogfoert)} kr. bogført "
        f"({koersel.get_status_display().lower()})."
    )
