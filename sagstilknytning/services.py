"""The linking run: start, process one chunk (the checkpoint), finish, cancel, resume.

A run is split into chunks of konti by id. Each chunk is decided by the pure rules
(``regler.vurder_konto``), applied through
``fordringer.tilknytning.services.debitorkonti_tilknyt`` and
``opgavepakker.services.opgaver_synkroniser``, and recorded as ``KontoBeslutning`` rows — all in
one transaction that also marks the chunk done. A worker killed half-way loses nothing: the
chunk's transaction rolls back and the chunk runs again; a finished chunk is never run twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from fordringer.tilknytning.services import KontoValg, debitorkonti_tilknyt
from ky_debitor.audit import audit_log
from ky_debitor.bulk import foreign_keys_check, gc_pause, rows_copy
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.etiketter import etiket
from ky_debitor.koe import efter_commit
from ky_debitor.models import Bruger, Kommune
from opgavepakker.services import Aendringer, OensketOpgave, opgaver_synkroniser

from .models import (
    AKTIVE,
    GENOPTAGELIGE,
    KoerselChunk,
    KoerselStatus,
    KontoBeslutning,
    Sagstilknytningskoersel,
)
from .regler import Aarsag, Beslutning, Resultat, vurder_konto
from .selectors import KontoTilstand, chunk_tilstand, kmd_aktiv_konti, parkerede_konti

CHUNK_STOERRELSE = 2000


@transaction.atomic
def koersel_opret(
    *, kommune: Kommune, user: Bruger | None, proeve: bool, chunk_stoerrelse: int = CHUNK_STOERRELSE
) -> Sagstilknytningskoersel:
    """Create a run and its chunks. Refused while another run for the kommune is active."""
    if Sagstilknytningskoersel.objects.filter(kommune=kommune, status__in=AKTIVE).exists():
        raise ConflictError(_allerede_aktiv(kommune))
    try:
        with transaction.atomic():
            koersel = Sagstilknytningskoersel.objects.create(
                kommune=kommune,
                startet_af=user if getattr(user, "pk", None) else None,
                proeve=proeve,
            )
    except IntegrityError as exc:  # a run started by someone else in the same instant
        raise ConflictError(_allerede_aktiv(kommune)) from exc
    ids = list(kmd_aktiv_konti(kommune.pk).order_by("pk").values_list("pk", flat=True))
    KoerselChunk.objects.bulk_create(
        [
            KoerselChunk(
                koersel=koersel,
                nummer=n,
                fra_konto_id=del_[0],
                til_konto_id=del_[-1],
                antal=len(del_),
            )
            for n, del_ in enumerate(
                ids[i : i + chunk_stoerrelse] for i in range(0, len(ids), chunk_stoerrelse)
            )
        ],
        batch_size=1000,
    )
    koersel.total = len(ids)
    koersel.save(update_fields=["total"])
    audit_log(
        user=user,
        kommune_id=kommune.pk,
        handling="sagstilknytning.start",
        objekt=koersel,
        beskrivelse=f"{'Prøvekørsel' if proeve else 'Sagstilknytningskørsel'} startet for "
        f"{kommune} med {len(ids)} KMD Aktiv debitorkonti.",
        system="sagstilknytning",
    )
    return koersel


def _allerede_aktiv(kommune: Kommune) -> str:
    return (
        f"Der kører allerede en sagstilknytning for {kommune}. Vent til den er færdig, "
        "eller annullér den først."
    )


def koersel_start(
    *, kommune: Kommune, user: Bruger | None, proeve: bool, chunk_stoerrelse: int = CHUNK_STOERRELSE
) -> Sagstilknytningskoersel:
    """Create a run and hand it to the workers once the creation has committed."""
    from .tasks import koersel_koer

    koersel = koersel_opret(
        kommune=kommune, user=user, proeve=proeve, chunk_stoerrelse=chunk_stoerrelse
    )
    efter_commit(koersel_koer, koersel.pk)
    return koersel


def koersler_ventende(*, nu: dt.datetime | None = None) -> list[int]:
    """Ids of runs started (or resumed) at least a minute ago that no worker has taken up: the
    queue was away. Sending one twice is harmless: a done chunk is skipped under its lock."""
    nu = nu or timezone.now()
    return list(
        Sagstilknytningskoersel.objects.filter(
            status=KoerselStatus.PENDING, oprettet__lte=nu - dt.timedelta(minutes=1)
        )
        .order_by("oprettet", "id")
        .values_list("pk", flat=True)
    )


def koersel_markér_koerer(koersel_id: int) -> list[int]:
    """Mark the run RUNNING and return the numbers of its chunks not yet done."""
    with transaction.atomic():
        koersel = Sagstilknytningskoersel.objects.select_for_update().get(pk=koersel_id)
        if koersel.status not in AKTIVE:
            return []
        koersel.status = KoerselStatus.RUNNING
        koersel.startet = koersel.startet or timezone.now()
        koersel.save(update_fields=["status", "startet"])
    return list(
        KoerselChunk.objects.filter(koersel_id=koersel_id, faerdig__isnull=True)
        .order_by("nummer")
        .values_list("nummer", flat=True)
    )


@dataclass(frozen=True)
class ChunkResultat:
    behandlet: int
    sprunget_over: bool = False


def _resultat_med_historik(beslutning: Beslutning, tilstand: KontoTilstand) -> Beslutning:
    """A konto linked by an earlier sagsoprettelse is still reported as SAGSOPRETTET, so that
    running twice gives identical decisions."""
    if (
        beslutning.resultat == Resultat.SAGSTILKNYTTET
        and tilstand.sag_oprettet_ved_tilknytning
        and beslutning.sag_id == tilstand.sag_id
    ):
        return Beslutning(
            beslutning.konto_id,
            Resultat.SAGSOPRETTET,
            beslutning.aarsag,
            beslutning.bevilling_id,
            beslutning.sag_id,
            beslutning.ydelsestype_id,
            beslutning.kandidat_sager,
            beslutning.evidens,
        )
    return beslutning


def _evidens(beslutning: Beslutning, tilstand: KontoTilstand) -> dict[str, Any]:
    """The full evidence a task carries: per fordring the rule and every candidate."""
    return {
        "fordringer": [e.som_dict() for e in beslutning.evidens],
        **_evidens_konto(beslutning, tilstand),
    }


def _evidens_kompakt(beslutning: Beslutning, tilstand: KontoTilstand) -> dict[str, Any]:
    """The same evidence for a decision, with the claims decided alike (same rule, bevilling,
    candidates and reasons — usually all of a konto's) sharing one entry; nothing is lost
    (``opgavepakker.selectors.evidens_fordringer`` reads both forms)."""
    grupper: dict[tuple[object, ...], dict[str, Any]] = {}
    for e in beslutning.evidens:
        gruppe = grupper.get((e.regel, e.bevilling_id, e.kandidater))
        if gruppe is None:
            gruppe = grupper[e.regel, e.bevilling_id, e.kandidater] = {
                "regel": e.regel,
                "bevilling_id": e.bevilling_id,
                "kandidater": [[k.bevillingsnummer, k.afvist] for k in e.kandidater],
                "fordringer": [],
            }
        gruppe["fordringer"].append([e.fordring_id, e.fordringsid])
    return {"grupper": list(grupper.values()), **_evidens_konto(beslutning, tilstand)}


def _evidens_konto(beslutning: Beslutning, tilstand: KontoTilstand) -> dict[str, Any]:
    return {
        "kandidat_sager": list(beslutning.kandidat_sager),
        "bevillinger": [
            {"id": b.id, "bevillingsnummer": b.bevillingsnummer, "ydelseskode": b.ydelseskode}
            for b in tilstand.data.bevillinger
        ],
    }


def _allerede_sådan(beslutning: Beslutning, tilstand: KontoTilstand) -> bool:
    return (
        tilstand.tilknytning != "INGEN"
        and tilstand.bevilling_id == beslutning.bevilling_id
        and (beslutning.sag_id is None or tilstand.sag_id == beslutning.sag_id)
    )


Par = tuple[KontoTilstand, Beslutning]


def chunk_behandl(*, koersel_id: int, nummer: int) -> ChunkResultat:
    """Decide, apply and record one chunk in one transaction; a done chunk is skipped."""
    with gc_pause(), transaction.atomic():
        chunk = KoerselChunk.objects.select_for_update().get(koersel_id=koersel_id, nummer=nummer)
        koersel = Sagstilknytningskoersel.objects.get(pk=koersel_id)
        if chunk.faerdig is not None or koersel.status not in AKTIVE:
            return ChunkResultat(0, sprunget_over=True)
        par = _chunk_laas_og_vurder(koersel.kommune_id, chunk)
        tilknytning = _chunk_tilknyt(koersel, chunk, par)
        aendringer = _chunk_opgaver_synkroniser(koersel, par, tilknytning)
        antal = _registrer(koersel, par, tilknytning, aendringer)
        _chunk_afslut(chunk, koersel_id, behandlet=len(par), antal=antal)
    return ChunkResultat(len(par))


@dataclass(frozen=True)
class _ChunkTilknytning:
    """What linking the chunk did (in a dry run: would do), for its tasks and decisions."""

    linkes: frozenset[int]  # konti the run links
    sag_efter: Mapping[int, int]  # konto → its sag after linking (empty in a dry run)
    parkeret_efter: AbstractSet[int]  # konti with parked entries after linking


def _chunk_laas_og_vurder(kommune_id: int, chunk: KoerselChunk) -> list[Par]:
    """Lock the chunk's konti (konto first, everywhere, so no person acts meanwhile), load
    them and decide each by the rules."""
    list(
        kmd_aktiv_konti(kommune_id)
        .select_for_update()
        .filter(pk__gte=chunk.fra_konto_id, pk__lte=chunk.til_konto_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    tilstande = chunk_tilstand(kommune_id, chunk.fra_konto_id, chunk.til_konto_id)
    return [(t, _resultat_med_historik(vurder_konto(t.data), t)) for t in tilstande]


def _chunk_tilknyt(
    koersel: Sagstilknytningskoersel, chunk: KoerselChunk, par: Sequence[Par]
) -> _ChunkTilknytning:
    """Link the konti the rules link, except those a person linked or that are linked so
    already; a dry run links nothing and works out which konti would still have parked
    entries."""
    valg = [
        KontoValg(b.konto_id, b.bevilling_id, b.sag_id, b.ydelsestype_id)
        for t, b in par
        if b.tilknyttes and not t.manuel and not _allerede_sådan(b, t)
    ]
    linkes = frozenset(v.konto_id for v in valg)
    if koersel.proeve:
        return _ChunkTilknytning(
            linkes,
            sag_efter={},
            parkeret_efter={
                t.data.id
                for t, b in par
                if t.har_parkeret and not (b.tilknyttes and b.ydelsestype_id and not t.manuel)
            },
        )
    kvitteringer = debitorkonti_tilknyt(
        kommune_id=koersel.kommune_id, valg=valg, user=None, manual=False
    )
    return _ChunkTilknytning(
        linkes,
        sag_efter={k.konto_id: k.sag_id for k in kvitteringer},
        parkeret_efter=parkerede_konti(chunk.fra_konto_id, chunk.til_konto_id),
    )


def _chunk_opgaver_synkroniser(
    koersel: Sagstilknytningskoersel, par: Sequence[Par], tilknytning: _ChunkTilknytning
) -> Aendringer:
    return opgaver_synkroniser(
        kommune_id=koersel.kommune_id,
        oensker=[
            OensketOpgave(
                t.data.id,
                aarsag := _opgave_aarsag(t, b),
                t.data.id in tilknytning.parkeret_efter,
                _evidens(b, t) if aarsag else {},
            )
            for t, b in par
        ],
        koersel_id=koersel.pk,
        proeve=koersel.proeve,
    )


def _chunk_afslut(
    chunk: KoerselChunk, koersel_id: int, *, behandlet: int, antal: Mapping[Resultat, int]
) -> None:
    """Mark the chunk done and add its counts to the run's."""
    chunk.faerdig = timezone.now()
    chunk.save(update_fields=["faerdig"])
    # The run's row is shared by every worker and stays locked from the update below until
    # the commit. Check the chunk's deferred foreign keys (≈ 0.1 s) before taking it, not
    # inside the commit, so the other workers wait for nothing but the commit itself.
    foreign_keys_check()
    Sagstilknytningskoersel.objects.filter(pk=koersel_id).update(
        behandlet=F("behandlet") + behandlet,
        antal_sagstilknyttet=F("antal_sagstilknyttet") + antal[Resultat.SAGSTILKNYTTET],
        antal_sagsoprettet=F("antal_sagsoprettet") + antal[Resultat.SAGSOPRETTET],
        antal_opgave=F("antal_opgave") + antal[Resultat.OPGAVE],
        antal_uaendret=F("antal_uaendret") + antal[Resultat.UAENDRET],
    )


def _opgave_aarsag(t: KontoTilstand, b: Beslutning) -> str | None:
    """The "Opret fordringssag" task a konto needs after the run, if any."""
    if t.manuel:
        return None
    if b.resultat == Resultat.OPGAVE and t.tilknytning == "INGEN":
        return b.aarsag.value if b.aarsag else None
    if b.tilknyttes and b.aarsag == Aarsag.YDELSESTYPE_UKENDT:
        return Aarsag.YDELSESTYPE_UKENDT.value
    return None


def _registrer(
    koersel: Sagstilknytningskoersel,
    par: Sequence[Par],
    tilknytning: _ChunkTilknytning,
    aendringer: Aendringer,
) -> dict[Resultat, int]:
    """Store one ``KontoBeslutning`` per konto; returns the count per outcome."""
    aabnes = {k: a for k, a in aendringer.aabnet if a}
    lukkes = {k: a for k, a in aendringer.lukket if a}
    rows = []
    antal = dict.fromkeys(Resultat, 0)
    for t, b in par:
        resultat = Resultat.UAENDRET if t.manuel else b.resultat
        antal[resultat] += 1
        evidens = _evidens_kompakt(b, t)
        if t.manuel:
            evidens["ville_have_besluttet"] = {
                "resultat": b.resultat.value,
                "aarsag": b.aarsag.value if b.aarsag else "",
            }
        rows.append(
            (
                koersel.kommune_id,
                koersel.pk,
                t.data.id,
                resultat.value,
                b.aarsag.value if b.aarsag and not t.manuel else "",
                b.bevilling_id if b.tilknyttes else None,
                b.sag_id if t.manuel else tilknytning.sag_efter.get(t.data.id, b.sag_id),
                _aendring(
                    t,
                    b,
                    t.data.id in tilknytning.linkes,
                    aabnes.get(t.data.id),
                    lukkes.get(t.data.id),
                    koersel.proeve,
                ),
                evidens,
            )
        )
    rows_copy(
        KontoBeslutning,
        columns=[
            "kommune",
            "koersel",
            "konto",
            "resultat",
            "aarsag",
            "bevilling",
            "sag",
            "aendring",
            "evidens",
        ],
        rows=rows,
    )
    return antal


def _aendring(
    t: KontoTilstand,
    b: Beslutning,
    linkes: bool,
    aabnes: str | None,
    lukkes: str | None,
    proeve: bool,
) -> str:
    """What the decision changes, in Danish — for a dry run: what it would change."""
    ville = "ville " if proeve else ""
    dele = []
    if t.manuel:
        return (
            f"Uændret: tilknyttet eller refereret manuelt (kørslen ville have besluttet "
            f"{etiket(b.resultat, 'Resultat').lower()}"
            f"{': ' + etiket(b.aarsag, 'Aarsag').lower() if b.aarsag else ''})."
        )
    if linkes:
        dele.append(f"{ville}blive {'sagsoprettet' if b.sag_id is None else 'sagstilknyttet'}")
    if aabnes:
        dele.append(f"{ville}åbne opgave »{etiket(aabnes, 'Aarsag')}«")
    if lukkes:
        dele.append(f"{ville}lukke opgave »{etiket(lukkes, 'Aarsag')}«")
    if not dele:
        return "Uændret."
    tekst = ", ".join(dele)
    return (tekst[0].upper() + tekst[1:] + ".")[:200]


def koersel_afslut(*, koersel_id: int) -> Sagstilknytningskoersel:
    """Mark the run DONE once every chunk is done (a cancelled run stays CANCELLED)."""
    with transaction.atomic():
        koersel = Sagstilknytningskoersel.objects.select_for_update().get(pk=koersel_id)
        if koersel.status in AKTIVE and not koersel.chunks.filter(faerdig__isnull=True).exists():
            koersel.status = KoerselStatus.DONE
            koersel.afsluttet = timezone.now()
            koersel.save(update_fields=["status", "afsluttet"])
        return koersel


def koersel_fejlet(*, koersel_id: int, fejl: str) -> None:
    Sagstilknytningskoersel.objects.filter(pk=koersel_id, status__in=AKTIVE).update(
        status=KoerselStatus.FAILED, fejl=fejl[:2000], afsluttet=timezone.now()
    )


@transaction.atomic
def koersel_annuller(
    *, koersel: Sagstilknytningskoersel, user: Bruger | None
) -> Sagstilknytningskoersel:
    """Stop a run: chunks already done stay done; the rest are not started."""
    koersel = Sagstilknytningskoersel.objects.select_for_update().get(pk=koersel.pk)
    if koersel.status not in AKTIVE:
        raise ApplicationError("Kørslen er ikke i gang og kan ikke annulleres.")
    koersel.status = KoerselStatus.CANCELLED
    koersel.afsluttet = timezone.now()
    koersel.save(update_fields=["status", "afsluttet"])
    audit_log(
        user=user,
        kommune_id=koersel.kommune_id,
        handling="sagstilknytning.annuller",
        objekt=koersel,
        beskrivelse=f"Kørsel {koersel.pk} annulleret efter "
        f"{koersel.behandlet} af {koersel.total} debitorkonti.",
    )
    return koersel


@transaction.atomic
def koersel_genoptag(
    *, koersel: Sagstilknytningskoersel, user: Bruger | None
) -> Sagstilknytningskoersel:
    """Resume a failed or cancelled run from its last committed chunk."""
    from .tasks import koersel_koer

    koersel = Sagstilknytningskoersel.objects.select_for_update().get(pk=koersel.pk)
    if koersel.status not in GENOPTAGELIGE:
        raise ApplicationError("Kun en fejlet eller annulleret kørsel kan genoptages.")
    if Sagstilknytningskoersel.objects.filter(
        kommune_id=koersel.kommune_id, status__in=AKTIVE
    ).exists():
        raise ConflictError(_allerede_aktiv(koersel.kommune))
    koersel.status = KoerselStatus.PENDING
    koersel.fejl = ""
    koersel.afsluttet = None
    koersel.save(update_fields=["status", "fejl", "afsluttet"])
    audit_log(
        user=user,
        kommune_id=koersel.kommune_id,
        handling="sagstilknytning.genoptag",
        objekt=koersel,
        beskrivelse=f"Kørsel {koersel.pk} genoptaget fra del "
        f"{koersel.chunks.filter(faerdig__isnull=False).count()}.",
    )
    efter_commit(koersel_koer, koersel.pk)
    return koersel


def koer_synkront(
    *, koersel_id: int, chunks: Sequence[int] | None = None
) -> Sagstilknytningskoersel:
    """Process a run in this process (embedded mode, the management command and tests).

    A chunk that fails leaves the run FAILED — resumable from its last committed chunk with
    ``koersel_genoptag`` — and the error is raised on.
    """
    numre = koersel_markér_koerer(koersel_id) if chunks is None else list(chunks)
    try:
        for nummer in numre:
            chunk_behandl(koersel_id=koersel_id, nummer=nummer)
    except Exception as exc:
        koersel_fejlet(koersel_id=koersel_id, fejl=f"{type(exc).__name__}: {exc}")
        raise
    return koersel_afslut(koersel_id=koersel_id)
