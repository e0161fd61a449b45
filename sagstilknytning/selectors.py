"""Reads for the linking engine: one chunk of konti as plain data for the pure rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fordringer.choices import Kilde, KontoStatus, SagStatus, Tilknytning
from fordringer.models import Bevilling, Debitorkonto, Fordring, Parkering, Sag
from fordringer.tilknytning.regler import navn
from fordringer.tilknytning.selectors import bevilling_ejere
from fordringer.ydelser.selectors import ydelseskode_tabel
from ky_debitor.bulk import blandt
from ky_debitor.fremdrift import Tempo, tempo, varighed_tekst
from ky_debitor.models import Kommune

from .models import AKTIVE, GENOPTAGELIGE, Sagstilknytningskoersel
from .regler import BevillingData, FordringData, KontoData, Resultat, SagData


@dataclass(frozen=True)
class KontoTilstand:
    """A konto as it is now, beside the data the rules see."""

    data: KontoData
    tilknytning: str
    bevilling_id: int | None
    sag_id: int | None
    manuel: bool  # linked or referenced by a person: the run must not change it
    har_parkeret: bool
    sag_oprettet_ved_tilknytning: bool


def kmd_aktiv_konti(kommune_id: int) -> QuerySet[Debitorkonto]:
    return Debitorkonto.objects.filter(kommune_id=kommune_id, kilde=Kilde.KMD_AKTIV)


def kommuner_med_kmd_aktiv() -> list[Kommune]:
    return list(
        Kommune.objects.filter(
            pk__in=Debitorkonto.objects.filter(kilde=Kilde.KMD_AKTIV).values("kommune_id")
        )
    )


def antal_pr_aarsag(koersel: Sagstilknytningskoersel) -> dict[str, int]:
    """How many konti of a run got each reason code.

    Counted afresh while the run is active (its panel polls). A run that has stopped writes no
    more decisions until it is resumed, which changes its status and count of konti gone over,
    so its figures are kept in the cache under those (200,000 decisions: 45 ms a view)."""

    def tael() -> dict[str, int]:
        return dict(
            koersel.beslutninger.exclude(aarsag="")
            .values_list("aarsag")
            .annotate(n=Count("pk"))
            .order_by("aarsag")
            .values_list("aarsag", "n")
        )

    if koersel.status in AKTIVE:
        return tael()
    noegle = (
        f"sagstilknytning:aarsager:{koersel.pk}:{koersel.oprettet.isoformat()}"
        f":{koersel.status}:{koersel.behandlet}"
    )
    gemt: dict[str, int] = cache.get_or_set(noegle, tael, timeout=None) or {}
    return gemt


def parkerede_konti(fra_id: int, til_id: int) -> set[int]:
    """Which konti with ``fra_id <= id <= til_id`` have dækninger or afskrivninger parked."""
    return set(
        Parkering.objects.filter(konto_id__gte=fra_id, konto_id__lte=til_id, frigivet__isnull=True)
        .values_list("konto_id", flat=True)
        .distinct()
    )


def chunk_tilstand(kommune_id: int, fra_id: int, til_id: int) -> list[KontoTilstand]:
    """Load the konti with ``fra_id <= id <= til_id`` and everything the rules need, in seven
    queries whatever the chunk size, each reading only the chunk's rows through an index (by
    the id range or one array of borger ids), so a chunk costs the same in a large kommune."""
    konti: list[_KontoRaekke] = list(
        kmd_aktiv_konti(kommune_id)
        .filter(pk__gte=fra_id, pk__lte=til_id)
        .order_by("pk")
        .values_list(
            "pk", "kontonummer", "borger_id", "status", "tilknytning", "bevilling_id", "sag_id"
        )
    )
    borgere = {k[2] for k in konti}
    koder = ydelseskode_tabel()
    fordringer, manuelt_refereret = _chunk_fordringer(kommune_id, fra_id, til_id)
    bevillinger = _borgernes_bevillinger(kommune_id, borgere, koder)
    sager, oprettet_ved_tilknytning = _borgernes_sager(kommune_id, borgere)
    indlaest = _Indlaest(
        fordringer=fordringer,
        manuelt_refereret=manuelt_refereret,
        bevillinger=bevillinger,
        sager=sager,
        oprettet_ved_tilknytning=oprettet_ved_tilknytning,
        reference_ejere=_fremmede_referencers_ejere(kommune_id, konti, fordringer, bevillinger),
        parkeret=parkerede_konti(fra_id, til_id),
    )
    return [_konto_tilstand(konto, indlaest) for konto in konti]


# pk, kontonummer, borger_id, status, tilknytning, bevilling_id, sag_id
_KontoRaekke = tuple[int, str, int, str, str, int | None, int | None]


@dataclass(frozen=True)
class _Indlaest:
    """The chunk's rows, read one query per table, that each konto's state is built from."""

    fordringer: Mapping[int, list[FordringData]]  # by konto
    manuelt_refereret: AbstractSet[int]  # konti with a claim a person gave its reference
    bevillinger: Mapping[int, list[BevillingData]]  # by borger
    sager: Mapping[int, list[SagData]]  # by borger
    oprettet_ved_tilknytning: AbstractSet[int]  # sager
    reference_ejere: Mapping[str, int]  # other borgere's bevillingsnumre → borger
    parkeret: AbstractSet[int]  # konti


def _chunk_fordringer(
    kommune_id: int, fra_id: int, til_id: int
) -> tuple[dict[int, list[FordringData]], set[int]]:
    """The claims by konto, and the konti with a claim a person gave its reference."""
    fordringer: dict[int, list[FordringData]] = defaultdict(list)
    manuelt_refereret: set[int] = set()
    # The range may hold KY konti too; their claims are read but never looked at.
    i_interval = Fordring.objects.filter(
        kommune_id=kommune_id, konto_id__gte=fra_id, konto_id__lte=til_id
    )
    for f in i_interval.order_by("pk").values_list(
        "pk",
        "fordringsid",
        "konto_id",
        "kmd_aktiv_reference",
        "ydelseskode",
        "tekst",
        "periode_fra",
        "periode_til",
        "reference_kilde",
    ):
        fordringer[f[2]].append(FordringData(f[0], f[1], f[3], f[4], f[5], f[6], f[7]))
        if f[8] == Tilknytning.MANUEL:
            manuelt_refereret.add(f[2])
    return fordringer, manuelt_refereret


def _borgernes_bevillinger(
    kommune_id: int, borgere: AbstractSet[int], koder: Mapping[str, int]
) -> dict[int, list[BevillingData]]:
    bevillinger: dict[int, list[BevillingData]] = defaultdict(list)
    for b in (
        Bevilling.objects.filter(blandt("borger_id", borgere), kommune_id=kommune_id)
        .order_by("pk")
        .values_list(
            "pk",
            "bevillingsnummer",
            "ydelseskode",
            "periode_fra",
            "periode_til",
            "sag_id",
            "borger_id",
        )
    ):
        bevillinger[b[6]].append(
            BevillingData(b[0], b[1], b[2], b[3], b[4], b[5], koder.get(b[2].strip().upper()))
        )
    return bevillinger


def _borgernes_sager(
    kommune_id: int, borgere: AbstractSet[int]
) -> tuple[dict[int, list[SagData]], set[int]]:
    """The sager by borger, and those opened by a linking (sagsoprettelse)."""
    sager: dict[int, list[SagData]] = defaultdict(list)
    oprettet_ved_tilknytning: set[int] = set()
    for s in (
        Sag.objects.filter(blandt("borger_id", borgere), kommune_id=kommune_id)
        .order_by("pk")
        .values_list(
            "pk", "sagsnummer", "ydelsestype_id", "status", "oprettet_ved_tilknytning", "borger_id"
        )
    ):
        if s[4]:
            oprettet_ved_tilknytning.add(s[0])
        sager[s[5]].append(SagData(s[0], s[1], s[2], s[3] == SagStatus.AABEN, s[4]))
    return sager, oprettet_ved_tilknytning


def _fremmede_referencers_ejere(
    kommune_id: int,
    konti: Sequence[_KontoRaekke],
    fordringer: Mapping[int, list[FordringData]],
    bevillinger: Mapping[int, list[BevillingData]],
) -> dict[str, int]:
    """Owners of the other bevillinger the claims name: finds references to another borger's
    grant. A reference to one of the borger's own bevillinger needs no look-up."""
    egne_numre = {borger_id: {b.nummer_norm for b in bs} for borger_id, bs in bevillinger.items()}
    fremmede = {
        n
        for konto_id, _nummer, borger_id, *_ in konti
        for n in (f.reference_norm for f in fordringer.get(konto_id, ()))
        if n and n not in egne_numre.get(borger_id, ())
    }
    return bevilling_ejere(kommune_id=kommune_id, numre=fremmede)


def _konto_tilstand(konto: _KontoRaekke, indlaest: _Indlaest) -> KontoTilstand:
    pk, kontonummer, borger_id, status, tilknytning, bevilling_id, sag_id = konto
    egne = indlaest.fordringer.get(pk, ())
    ejere = indlaest.reference_ejere
    return KontoTilstand(
        data=KontoData(
            id=pk,
            kontonummer=kontonummer,
            borger_id=borger_id,
            venter_paa_daekning=status == KontoStatus.VENTER_PAA_DAEKNING,
            fordringer=tuple(egne),
            bevillinger=tuple(indlaest.bevillinger.get(borger_id, ())),
            sager=tuple(indlaest.sager.get(borger_id, ())),
            reference_ejere={n: ejere[n] for n in (f.reference_norm for f in egne) if n in ejere},
        ),
        tilknytning=tilknytning,
        bevilling_id=bevilling_id,
        sag_id=sag_id,
        manuel=tilknytning == Tilknytning.MANUEL or pk in indlaest.manuelt_refereret,
        har_parkeret=pk in indlaest.parkeret,
        sag_oprettet_ved_tilknytning=sag_id in indlaest.oprettet_ved_tilknytning,
    )


# --- Progress of a run (the admin's live progress bar) ----------------------------------------

RESULTAT_TEKST: dict[str, str] = {
    Resultat.SAGSTILKNYTTET: "Sagstilknyttet",
    Resultat.SAGSOPRETTET: "Sagsoprettet",
    Resultat.OPGAVE: "Opgave oprettet",
    Resultat.UAENDRET: "Uændret (manuelt behandlet)",
}
# A konto no run has decided yet (a KY konto never is): the report's and the demo's result.
IKKE_KOERT = "IKKE_KOERT"
RESULTAT_ETIKETTER: tuple[tuple[str, str], ...] = (
    *RESULTAT_TEKST.items(),
    (IKKE_KOERT, "Ikke behandlet af sagstilknytningen"),
)


@dataclass(frozen=True)
class Optaelling:
    """One line of a run's counts: a result or reason code, its Danish text and how many."""

    kode: str
    tekst: str
    antal: int


@dataclass(frozen=True)
class Fremdrift:
    """What the progress bar of a run shows, computed at one instant."""

    koersel_id: int
    status: str
    status_tekst: str
    aktiv: bool
    proeve: bool
    behandlet: int
    total: int
    procent: int
    konti_pr_sekund: float | None
    resterende_sekunder: int | None
    varighed_sekunder: int | None
    dele_faerdige: int
    dele_i_alt: int
    udfald: tuple[Optaelling, ...]
    aarsager: tuple[Optaelling, ...]
    fejl: str

    @property
    def kan_genoptages(self) -> bool:
        """A failed or cancelled run can be resumed from its last finished chunk."""
        return self.status in GENOPTAGELIGE

    @property
    def resttid_tekst(self) -> str:
        return varighed_tekst(self.resterende_sekunder)

    @property
    def varighed(self) -> str:
        return varighed_tekst(self.varighed_sekunder)


def _tempo(koersel: Sagstilknytningskoersel, nu: dt.datetime) -> Tempo:
    return tempo(
        behandlet=koersel.behandlet,
        total=koersel.total,
        aktiv=koersel.status in AKTIVE,
        startet=koersel.startet,
        afsluttet=koersel.afsluttet,
        nu=nu,
    )


def koersel_procent(koersel: Sagstilknytningskoersel) -> int:
    """How far a run has come, in whole per cent (rounded down: 100 only when all is done)."""
    return _tempo(koersel, timezone.now()).procent


def koersel_fremdrift(
    *, koersel: Sagstilknytningskoersel, nu: dt.datetime | None = None
) -> Fremdrift:
    """Progress of a run: processed/total, rate in konti per second and the time left.

    The rate is the run's average since it started (until it ended, for a finished run); a
    run resumed after a failure counts the pause too, so its estimate errs on the long side.
    Two small queries: the chunks done, and the decisions per reason code.
    """
    nu = nu or timezone.now()
    aktiv = koersel.status in AKTIVE
    dele = koersel.chunks.aggregate(
        i_alt=Count("pk"), faerdige=Count("pk", filter=Q(faerdig__isnull=False))
    )
    maalt = _tempo(koersel, nu)
    return Fremdrift(
        koersel_id=koersel.pk,
        status=koersel.status,
        status_tekst=koersel.get_status_display(),
        aktiv=aktiv,
        proeve=koersel.proeve,
        behandlet=koersel.behandlet,
        total=koersel.total,
        procent=maalt.procent,
        konti_pr_sekund=maalt.pr_sekund,
        resterende_sekunder=maalt.resterende_sekunder,
        varighed_sekunder=maalt.varighed_sekunder,
        dele_faerdige=dele["faerdige"],
        dele_i_alt=dele["i_alt"],
        udfald=tuple(
            Optaelling(r.value, RESULTAT_TEKST[r], antal)
            for r, antal in (
                (Resultat.SAGSTILKNYTTET, koersel.antal_sagstilknyttet),
                (Resultat.SAGSOPRETTET, koersel.antal_sagsoprettet),
                (Resultat.OPGAVE, koersel.antal_opgave),
                (Resultat.UAENDRET, koersel.antal_uaendret),
            )
        ),
        aarsager=tuple(
            Optaelling(kode, navn(kode), antal) for kode, antal in antal_pr_aarsag(koersel).items()
        ),
        fejl=koersel.fejl,
    )
