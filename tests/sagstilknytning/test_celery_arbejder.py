"""The linking run on real Celery workers over Redis, including a worker killed mid-run.

Needs PostgreSQL (the worker is another process and must see committed rows) and a Redis for
tests (``REDIS_TEST_URL``; CI sets it). The worker is started as ``celery -A ky_debitor worker``
against the test database, exactly as in production.
"""

from __future__ import annotations

import signal

from fordringer.models import Debitorkonto
from sagstilknytning.models import KoerselStatus, KontoBeslutning, Sagstilknytningskoersel
from sagstilknytning.services import koersel_opret
from sagstilknytning.tasks import koersel_koer

from ..arbejdere import KRAEVER_ARBEJDERE, start_worker, stop
from ..factories import BevillingFactory, BorgerFactory, FordringFactory
from ..vent import vent_til

pytestmark = KRAEVER_ARBEJDERE


def _wait(koersel_id: int, until, timeout: float = 90) -> Sagstilknytningskoersel:
    def naaet() -> Sagstilknytningskoersel | None:
        koersel = Sagstilknytningskoersel.objects.get(pk=koersel_id)
        return koersel if until(koersel) else None

    return vent_til(
        naaet,
        timeout=timeout,
        besked="kørslen",
        tilstand=lambda: Sagstilknytningskoersel.objects.get(pk=koersel_id).__dict__,
    )


def _konti(n: int) -> None:
    for i in range(n):
        borger = BorgerFactory.create()
        BevillingFactory.create(borger=borger, bevillingsnummer=f"BW{i:05d}")
        FordringFactory.create(konto__borger=borger, kmd_aktiv_reference=f"BW{i:05d}")


def test_run_completes_on_a_real_worker(broker, koebenhavn):
    _konti(12)
    worker = start_worker("a")
    try:
        koersel = koersel_opret(kommune=koebenhavn, user=None, proeve=False, chunk_stoerrelse=5)
        broker.send_task(koersel_koer.name, args=[koersel.pk])
        koersel = _wait(koersel.pk, lambda k: k.status == KoerselStatus.DONE)
    finally:
        stop(worker)
    assert (koersel.behandlet, koersel.antal_sagsoprettet) == (12, 12)
    assert Debitorkonto.objects.filter(tilknytning="AUTOMATISK").count() == 12


def test_worker_killed_mid_run_loses_nothing_and_processes_each_konto_once(broker, koebenhavn):
    _konti(60)
    koersel = koersel_opret(kommune=koebenhavn, user=None, proeve=False, chunk_stoerrelse=2)
    worker = start_worker("doemt")
    try:
        broker.send_task(koersel_koer.name, args=[koersel.pk])
        _wait(koersel.pk, lambda k: k.behandlet >= 4)
    finally:
        stop(worker, signal.SIGKILL)  # no goodbye: mid-chunk, messages unacknowledged
    midway = Sagstilknytningskoersel.objects.get(pk=koersel.pk)
    assert midway.status == KoerselStatus.RUNNING and midway.behandlet < 60

    worker = start_worker("redning")
    try:
        koersel = _wait(koersel.pk, lambda k: k.status == KoerselStatus.DONE, timeout=120)
    finally:
        stop(worker)
    assert koersel.behandlet == 60
    decided = list(
        KontoBeslutning.objects.filter(koersel=koersel).values_list("konto_id", flat=True)
    )
    assert len(decided) == 60 and len(set(decided)) == 60
    assert Debitorkonto.objects.filter(tilknytning="AUTOMATISK").count() == 60
