"""Where the CPU of a linking chunk goes: per phase, in the worker and in its PostgreSQL backend.

Run by hand on a clone of the template database that ``bench/sagstilknytning.py`` made (the
clone is changed: it gets a run and its first chunks processed):

    createdb -h 127.0.0.1 -U postgres -T bench_a_200k faser
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/faser \\
        .venv/bin/python bench/sagstilknytning_faser.py --chunks 15

It starts a run for kommune 751 in this process, processes one chunk to warm up, then
``--chunks`` chunks with each phase of ``sagstilknytning.services.chunk_behandl`` wrapped in a
timer: the process's CPU time and its backend's (from ``/proc``, in clock ticks, so a phase
shorter than 10 ms per call is only right on average). Times are exclusive (a phase's own,
without the phases it calls) and per chunk. The machine may be shared: repeat and compare.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky_debitor.settings")

from bench.sagstilknytning import cpu_seconds

KOMMUNE = "751"


def faser() -> list[tuple[Any, str, str]]:
    """(module, function, label): the phases of a chunk."""
    import fordringer.tilknytning.services as fordring_services
    import opgavepakker.services as opgave_services
    import sagstilknytning.services as services

    return [
        (services, "chunk_behandl", "chunk_behandl (regler, låse, resten)"),
        (services, "chunk_tilstand", "indlæsning (chunk_tilstand)"),
        (services, "debitorkonti_tilknyt", "tilknytning (debitorkonti_tilknyt)"),
        (fordring_services, "rows_update", "  opdatering af fordringer, konti, …"),
        (fordring_services, "parkeringer_frigiv", "  frigivelse af parkerede"),
        (fordring_services, "audit_rows_create", "  auditlinjer for tilknytning"),
        (fordring_services, "renteregime_stempl", "  renteregime"),
        (services, "opgaver_synkroniser", "opgaver (opgaver_synkroniser)"),
        (opgave_services, "rows_insert", "  nye opgaver (COPY)"),
        (services, "_registrer", "beslutninger (_registrer)"),
        (services, "rows_copy", "  beslutninger (COPY)"),
        (services, "parkerede_konti", "parkerede efter tilknytning"),
        (services, "foreign_keys_check", "fremmednøgler (udskudte tjek)"),
    ]


class Maaler:
    def __init__(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (self.backend,) = cursor.fetchall()[0]
        self.tid: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        self.stak: list[str] = []

    def backend_cpu(self) -> float:
        return cpu_seconds(self.backend)

    def pak_ind(self, modul: Any, navn: str, etiket: str) -> None:
        funktion: Callable[..., Any] = getattr(modul, navn)

        @functools.wraps(funktion)
        def maalt(*args: Any, **kwargs: Any) -> Any:
            cpu, backend = time.process_time(), self.backend_cpu()
            self.stak.append(etiket)
            try:
                return funktion(*args, **kwargs)
            finally:
                self.stak.pop()
                d_cpu, d_backend = time.process_time() - cpu, self.backend_cpu() - backend
                self.tid[etiket][0] += d_cpu
                self.tid[etiket][1] += d_backend
                if self.stak:  # exclusive times: the caller's own time is without this phase
                    self.tid[self.stak[-1]][0] -= d_cpu
                    self.tid[self.stak[-1]][1] -= d_backend

        setattr(modul, navn, maalt)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=15)
    args = parser.parse_args()
    import django

    django.setup()
    import sagstilknytning.services as services
    from ky_debitor.models import Kommune

    koersel = services.koersel_opret(
        kommune=Kommune.objects.get(kode=KOMMUNE), user=None, proeve=False
    )
    numre = services.koersel_markér_koerer(koersel.pk)[: args.chunks + 1]
    services.chunk_behandl(koersel_id=koersel.pk, nummer=numre[0])  # warm-up

    maaler = Maaler()
    maalte = faser()
    for modul, navn, etiket in maalte:
        maaler.pak_ind(modul, navn, etiket)
    cpu, backend, start = time.process_time(), maaler.backend_cpu(), time.perf_counter()
    for nummer in numre[1:]:
        services.chunk_behandl(koersel_id=koersel.pk, nummer=nummer)
    n = len(numre) - 1
    cpu, backend = time.process_time() - cpu, maaler.backend_cpu() - backend
    vaeg = (time.perf_counter() - start) / n
    print(
        f"{n} chunks à {services.CHUNK_STOERRELSE} konti: væg {vaeg * 1000:.0f} ms, CPU i "
        f"processen {cpu / n * 1000:.0f} ms og i PostgreSQL {backend / n * 1000:.0f} ms pr. chunk"
    )
    print(f"{'fase':42}  {'proces':>7}  {'PostgreSQL':>10}  (ms pr. chunk)")
    for _modul, _navn, etiket in maalte:
        proces, db = maaler.tid[etiket]
        print(f"{etiket:42}  {proces / n * 1000:7.1f}  {db / n * 1000:10.1f}")


if __name__ == "__main__":
    main()
