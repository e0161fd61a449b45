"""Reads for the linking engine: one chunk of konti as plain data for the pure rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import Lower, Trim

from fordringer.choices import Kilde, KontoStatus, SagStatus, Tilknytning
from fordringer.models import Bevilling, Debitorkonto, Fordring, Parkering, Sag
from fordringer.selectors import ydelseskode_tabel
from ky_debitor.models import Kommune

from .models import Sagstilknytningskoersel
from .regler import BevillingData, FordringData, KontoData, SagData, norm


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
    """How many konti of a run got each reason code."""
    return dict(
        koersel.beslutninger.exclude(aarsag="")
        .values_list("aarsag")
        .annotate(n=Count("pk"))
        .order_by("aarsag")
        .values_list("aarsag", "n")
    )


def chunk_tilstand(kommune_id: int, fra_id: int, til_id: int) -> list[KontoTilstand]:
    """Load the konti with ``fra_id <= id <= til_id`` and everything the rules need, in seven
    queries whatever the chunk size."""
    konti = list(
        kmd_aktiv_konti(kommune_id)
        .filter(pk__gte=fra_id, pk__lte=til_id)
        .order_by("pk")
        .values("pk", "kontonummer", "borger_id", "status", "tilknytning", "bevilling_id", "sag_id")
    )
    konto_ids = [k["pk"] for k in konti]
    borger_ids = {k["borger_id"] for k in konti}
    koder = ydelseskode_tabel()

    fordringer: dict[int, list[FordringData]] = defaultdict(list)
    manuelt_refereret: set[int] = set()
    for f in (
        Fordring.objects.filter(konto_id__in=konto_ids)
        .order_by("pk")
        .values_list(
            "pk",
            "fordringsid",
            "konto_id",
            "kmd_aktiv_reference",
            "ydelseskode",
            "tekst",
            "periode_fra",
            "periode_til",
            "reference_kilde",
        )
    ):
        fordringer[f[2]].append(FordringData(f[0], f[1], f[3], f[4], f[5], f[6], f[7]))
        if f[8] == Tilknytning.MANUEL:
            manuelt_refereret.add(f[2])

    bevillinger: dict[int, list[BevillingData]] = defaultdict(list)
    for b in (
        Bevilling.objects.filter(kommune_id=kommune_id, borger_id__in=borger_ids)
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

    sager: dict[int, list[SagData]] = defaultdict(list)
    oprettet_ved_tilknytning: set[int] = set()
    for s in (
        Sag.objects.filter(kommune_id=kommune_id, borger_id__in=borger_ids)
        .order_by("pk")
        .values_list(
            "pk", "sagsnummer", "ydelsestype_id", "status", "oprettet_ved_tilknytning", "borger_id"
        )
    ):
        if s[4]:
            oprettet_ved_tilknytning.add(s[0])
        sager[s[5]].append(SagData(s[0], s[1], s[2], s[3] == SagStatus.AABEN, s[4]))

    # Owners of the bevillinger the claims name: finds references to another borger's grant.
    referencer = {
        norm(f.kmd_aktiv_reference)
        for fs in fordringer.values()
        for f in fs
        if f.kmd_aktiv_reference.strip()
    }
    ejere = (
        dict(
            Bevilling.objects.filter(kommune_id=kommune_id)
            .annotate(n=Lower(Trim("bevillingsnummer")))
            .filter(n__in=referencer)
            .values_list("n", "borger_id")
        )
        if referencer
        else {}
    )

    parkeret = set(
        Parkering.objects.filter(konto_id__in=konto_ids, frigivet__isnull=True)
        .values_list("konto_id", flat=True)
        .distinct()
    )

    tilstande = []
    for k in konti:
        data = KontoData(
            id=k["pk"],
            kontonummer=k["kontonummer"],
            borger_id=k["borger_id"],
            venter_paa_daekning=k["status"] == KontoStatus.VENTER_PAA_DAEKNING,
            fordringer=tuple(fordringer.get(k["pk"], ())),
            bevillinger=tuple(bevillinger.get(k["borger_id"], ())),
            sager=tuple(sager.get(k["borger_id"], ())),
            reference_ejere={
                norm(f.kmd_aktiv_reference): ejere[norm(f.kmd_aktiv_reference)]
                for f in fordringer.get(k["pk"], ())
                if norm(f.kmd_aktiv_reference) in ejere
            },
        )
        tilstande.append(
            KontoTilstand(
                data=data,
                tilknytning=k["tilknytning"],
                bevilling_id=k["bevilling_id"],
                sag_id=k["sag_id"],
                manuel=k["tilknytning"] == Tilknytning.MANUEL or k["pk"] in manuelt_refereret,
                har_parkeret=k["pk"] in parkeret,
                sag_oprettet_ved_tilknytning=k["sag_id"] in oprettet_ved_tilknytning,
            )
        )
    return tilstande
