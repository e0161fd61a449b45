""" "Månedlig samling": the follow-up task for a merged løbende forsørgelsesydelse med
tilbagebetalingspligt (seed 000).

Seed 000: such a konto "skal hver måned samles indtil borgeren stopper på sin ydelse", "efter
fordringen er blevet oprettet det vil sige, dagen efter en udbetalingskørsel. Således den
første arbejdsdag i måneden", and the answer suggests "en opfølgningsopgave der følger den
månedlige udbetalingskørsel". A Celery beat task runs ``maanedlige_samlinger_opret`` every
day; it creates the task of the latest payment run whose samling day has come, once per konto
and month (the database refuses a second), until the bevilling stops, the sag is closed, the
konto is released or a newer decision says it is no longer merged.

The payment run's day of month is ``Kommune.udbetalingsdag``; empty means the month's last
working day (forsørgelsesydelser are paid for the coming month at the end of the month, so the
samling falls on the first working day of the month, as seed 000 says). Working days are
``ky_debitor.kalender.er_arbejdsdag``: Monday to Friday without Danish public holidays and the
public sector's days off (juleaftensdag, nytårsaftensdag, grundlovsdag). The caseworker's list
and its "udført" button are in ``opgavepakker`` (``views.maanedlige_samlinger``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from fordringer.choices import Frigivelsestype, Kilde, SamlingBeslutningType
from fordringer.models import Debitorkonto, MaanedligSamling, Samlingsbeslutning
from fordringer.samling.selectors import (
    er_loebende_med_tilbagebetalingspligt,
    sag_stoppet,
    seneste_beslutning,
)
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.kalender import er_arbejdsdag
from ky_debitor.models import Bruger


def udbetalingskoersel(aar: int, maaned: int, udbetalingsdag: int | None) -> dt.date:
    """The day of the month's payment run.

    ``udbetalingsdag`` is a day of the month (a short month uses its last day); a day that is
    no working day moves back to the working day before, as a payment run is made on a
    banking day. ``None`` is the month's last working day.
    """
    sidste = calendar.monthrange(aar, maaned)[1]
    dag = dt.date(aar, maaned, min(udbetalingsdag or sidste, sidste))
    while not er_arbejdsdag(dag):
        dag -= dt.timedelta(days=1)
    return dag


def samlingsdag(aar: int, maaned: int, udbetalingsdag: int | None) -> dt.date:
    """The day the samling after the month's payment run is due: the first working day after
    the run (seed 000: "dagen efter en udbetalingskørsel … den første arbejdsdag").

    >>> samlingsdag(2025, 12, 31)  # run 30-12 (31-12 is a day off), 1-1 is nytårsdag
    datetime.date(2026, 1, 2)
    """
    dag = udbetalingskoersel(aar, maaned, udbetalingsdag) + dt.timedelta(days=1)
    while not er_arbejdsdag(dag):
        dag += dt.timedelta(days=1)
    return dag


def seneste_forfaldne_maaned(idag: dt.date, udbetalingsdag: int | None) -> dt.date:
    """The first day of the latest month whose samling day is today or earlier."""
    aar, maaned = idag.year, idag.month
    while samlingsdag(aar, maaned, udbetalingsdag) > idag:
        aar, maaned = (aar - 1, 12) if maaned == 1 else (aar, maaned - 1)
    return dt.date(aar, maaned, 1)


def _skal_samles(konto: Debitorkonto, maaned: dt.date, koersel: dt.date) -> bool:
    """Is this merged konto still merged monthly for the payment run of ``maaned``?"""
    seneste = seneste_beslutning(konto)
    if seneste is None or seneste.beslutning != SamlingBeslutningType.SAML:
        return False
    foerste = (
        konto.samlingsbeslutninger.filter(beslutning=SamlingBeslutningType.SAML)
        .order_by("tidspunkt", "pk")
        .values_list("tidspunkt", flat=True)
        .first()
    )
    if foerste is None or koersel < timezone.localdate(foerste):
        return False  # merging began after this run; the next run's claim is the first
    if konto.bevilling is None or sag_stoppet(konto, maaned):
        return False
    return er_loebende_med_tilbagebetalingspligt(konto)


@transaction.atomic
def maanedlige_samlinger_opret(*, idag: dt.date | None = None) -> int:
    """Create the "Månedlig samling" tasks that are due by ``idag``; returns how many were
    new. Idempotent: run it any number of times a day."""
    idag = idag or timezone.localdate()
    konti = (
        Debitorkonto.objects.filter(
            kilde=Kilde.KMD_AKTIV,
            samlet_i__isnull=False,
            bevilling__loebende=True,
            bevilling__tilbagebetalingspligt=True,
        )
        .exclude(frigivelsestype=Frigivelsestype.FRIGIVET)
        .select_related("kommune", "bevilling", "sag__ydelsestype")
        .order_by("pk")
    )
    nye = []
    for konto in konti:
        maaned = seneste_forfaldne_maaned(idag, konto.kommune.udbetalingsdag)
        koersel = udbetalingskoersel(maaned.year, maaned.month, konto.kommune.udbetalingsdag)
        if not _skal_samles(konto, maaned, koersel):
            continue
        nye.append(
            MaanedligSamling(
                kommune_id=konto.kommune_id,
                konto=konto,
                maaned=maaned,
                udbetalingskoersel=koersel,
                forfald=samlingsdag(maaned.year, maaned.month, konto.kommune.udbetalingsdag),
            )
        )
    foer = MaanedligSamling.objects.count()
    MaanedligSamling.objects.bulk_create(nye, ignore_conflicts=True)
    return MaanedligSamling.objects.count() - foer


BEGRUNDELSE_MAKS = 300  # ``MaanedligSamling.note``


def _dagens_start(dag: dt.date) -> dt.datetime:
    return dt.datetime.combine(dag, dt.time.min, tzinfo=timezone.get_current_timezone())


def samling_bogfoert_efter_koersel(samling: MaanedligSamling) -> Samlingsbeslutning | None:
    """The samling that does the task: a SAML decision on the konto made on the payment run's
    day or later (the run raises the month's claim; a samling from before it cannot have
    moved that claim). The newest one, or None."""
    return (
        Samlingsbeslutning.objects.filter(
            konto_id=samling.konto_id,
            beslutning=SamlingBeslutningType.SAML,
            tidspunkt__gte=_dagens_start(samling.udbetalingskoersel),
        )
        .order_by("-id")
        .first()
    )


def samlinger_bogfoert(samlinger: Sequence[MaanedligSamling]) -> set[int]:
    """The ids of the tasks among ``samlinger`` that ``samling_bogfoert_efter_koersel`` would
    find a samling for, in one query (for the list)."""
    if not samlinger:
        return set()
    tider: dict[int, list[dt.datetime]] = {}
    for tid, konto_id in Samlingsbeslutning.objects.filter(
        konto_id__in={s.konto_id for s in samlinger},
        beslutning=SamlingBeslutningType.SAML,
        tidspunkt__gte=_dagens_start(min(s.udbetalingskoersel for s in samlinger)),
    ).values_list("tidspunkt", "konto_id"):
        tider.setdefault(konto_id, []).append(tid)
    return {
        s.pk
        for s in samlinger
        if any(t >= _dagens_start(s.udbetalingskoersel) for t in tider.get(s.konto_id, ()))
    }


@transaction.atomic
def maanedlig_samling_afslut(
    *, user: Bruger, samling_id: int, begrundelse: str = ""
) -> MaanedligSamling:
    """A caseworker marks a "Månedlig samling" done (audited on the konto).

    The task is done only when the konto was merged after the payment run
    (``samling_bogfoert_efter_koersel``) or the caseworker says why it need not be (the
    ``begrundelse``, e.g. the month raised no claim); otherwise an ``ApplicationError`` and
    nothing changes.
    """
    begrundelse = (begrundelse or "").strip()
    if len(begrundelse) > BEGRUNDELSE_MAKS:
        raise ApplicationError(
            f"Begrundelsen må højst være {BEGRUNDELSE_MAKS} tegn.", felt="begrundelse"
        )
    try:
        samling = (
            MaanedligSamling.objects.for_user(user)
            .select_for_update()
            .select_related("konto")
            .get(pk=samling_id)
        )
    except MaanedligSamling.DoesNotExist as exc:
        raise ApplicationError("Opgaven findes ikke.") from exc
    if samling.afsluttet is not None:
        raise ConflictError("Opgaven er allerede markeret som udført, muligvis af en anden.")
    bogfoert = samling_bogfoert_efter_koersel(samling)
    if bogfoert is None and not begrundelse:
        raise ApplicationError(
            f"Der er ikke samlet på debitorkonto {samling.konto.kontonummer} efter "
            f"udbetalingskørslen {samling.udbetalingskoersel:%d-%m-%Y}. Saml kontoen først, "
            "eller skriv en begrundelse for, at opgaven er udført uden samling.",
            felt="begrundelse",
        )
    samling.afsluttet = timezone.now()
    samling.afsluttet_af = user
    samling.note = begrundelse
    samling.save(update_fields=["afsluttet", "afsluttet_af", "note"])
    udfald = (
        f"efter samlingen {timezone.localtime(bogfoert.tidspunkt):%d-%m-%Y}"
        if bogfoert is not None
        else "uden samling"
    )
    audit_log(
        user=user,
        kommune_id=samling.kommune_id,
        handling="maanedlig_samling.afslut",
        objekt=samling.konto,
        beskrivelse=f"Månedlig samling efter udbetalingskørslen "
        f"{samling.udbetalingskoersel:%d-%m-%Y} på debitorkonto {samling.konto.kontonummer} "
        f"markeret som udført {udfald}.",
        begrundelse=samling.note,
        data={
            "maanedlig_samling_id": samling.pk,
            "maaned": samling.maaned.isoformat(),
            "samlingsbeslutning_id": bogfoert.pk if bogfoert is not None else None,
        },
    )
    return samling
