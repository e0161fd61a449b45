"""Benchmark: one ompostering on a konto with 500 claims and five years of history.

Run by hand, never by the tests:

    .venv/bin/python bench/ompostering.py [--fordringer 500] [--gange 25]

Creates a fresh PostgreSQL database (``ky_bench_ompostering``), migrates it, and writes one
borger with one konto of 500 claims due monthly over 2021-2025 (half under opkrævningsloven
§ 7, half under gebyrloven § 3), each with a payment and all its interest up to the bench day,
booked in bulk exactly as ``rente.py`` computes it (about 45,000 ledger lines). Then it times
``ompostering_opret`` moving one payment's dækning to another claim of the same borger,
back-dated, with the interest recomputed on both - a new dækning each time - and prints the
median and the 90th percentile. Target: median ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB = "ky_bench_ompostering"
IDAG = dt.date(2026, 6, 30)


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def opsaet() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def byg(antal: int):  # type: ignore[no-untyped-def]
    from fordringer.choices import PosteringArt, Renteregime
    from fordringer.models import (
        Borger,
        Debitorkonto,
        Fordring,
        Indbetaling,
        Postering,
    )
    from fordringer.rente.beregning import Bevaegelse, rente_beregn
    from fordringer.rente.services import rentesatser
    from ky_debitor.models import Bruger, Kommune
    from ky_debitor.roles import Rolle

    kommune = Kommune.objects.get(kode=101)
    bruger = Bruger.objects.create(username="bench", kommune=kommune)
    from django.contrib.auth.models import Group

    bruger.groups.add(Group.objects.get(name=Rolle.BOGHOLDER.value))
    borger = Borger.objects.create(kommune=kommune, cpr="0101801234", navn="Bench Borger")
    konto = Debitorkonto.objects.create(
        kommune=kommune, borger=borger, kontonummer="K-BENCH", kilde="KY"
    )
    satser = {
        r: rentesatser(r) for r in (Renteregime.GEBYRLOVEN_3, Renteregime.OPKRAEVNINGSLOVEN_7)
    }
    fordringer, indbetalinger, linjer = [], [], []
    for n in range(antal):
        forfald = dt.date(2021 + (n // 100), 1 + (n % 12), 1 + (n % 28))
        regime = Renteregime.OPKRAEVNINGSLOVEN_7 if n % 2 else Renteregime.GEBYRLOVEN_3
        fordringer.append(
            Fordring(
                kommune=kommune,
                konto=konto,
                fordringsid=f"F{n:05d}",
                kilde="KY",
                forfaldsdato=forfald,
                hovedstol=Decimal("2000.00"),
                restance=Decimal("0.00"),
                renteregime=regime,
            )
        )
        indbetalinger.append(
            Indbetaling(
                kommune=kommune,
                indbetalingsid=f"I{n:05d}",
                borger=borger,
                beloeb=Decimal("300.00"),
                daekket=Decimal("300.00"),
                valoerdato=forfald + dt.timedelta(days=40),
            )
        )
    Fordring.objects.bulk_create(fordringer, batch_size=1000)
    Indbetaling.objects.bulk_create(indbetalinger, batch_size=1000)
    for fordring, indbetaling in zip(fordringer, indbetalinger, strict=True):
        flyt = [
            Bevaegelse(fordring.forfaldsdato, fordring.hovedstol, PosteringArt.HOVEDSTOL),
            Bevaegelse(indbetaling.valoerdato, -indbetaling.beloeb, PosteringArt.DAEKNING),
        ]
        renter = rente_beregn(
            renteregime=fordring.renteregime,
            forfaldsdato=fordring.forfaldsdato,
            bevaegelser=flyt,
            satser=satser[fordring.renteregime],
            til_dato=IDAG,
        )
        for b in flyt:
            linjer.append(
                Postering(
                    kommune=kommune,
                    fordring=fordring,
                    art=b.art,
                    beloeb=b.beloeb,
                    valoerdato=b.dato,
                    indbetaling=indbetaling if b.art == PosteringArt.DAEKNING else None,
                    aktoer="bench",
                )
            )
        for r in renter:
            linjer.append(
                Postering(
                    kommune=kommune,
                    fordring=fordring,
                    art=PosteringArt.RENTE,
                    beloeb=r.beloeb,
                    valoerdato=r.dato,
                    aktoer="bench",
                )
            )
        fordring.restance = sum((b.beloeb for b in flyt), Decimal(0)) + sum(
            (r.beloeb for r in renter), Decimal(0)
        )
    Postering.objects.bulk_create(linjer, batch_size=5000)
    Fordring.objects.bulk_update(fordringer, ["restance"], batch_size=1000)
    return bruger, borger, fordringer, len(linjer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fordringer", type=int, default=500)
    parser.add_argument("--gange", type=int, default=25)
    args = parser.parse_args()

    admin(f"DROP DATABASE IF EXISTS {DB}")
    admin(f"CREATE DATABASE {DB}")
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky_debitor.settings")
    sys.path.insert(0, str(ROOT))
    opsaet()

    from fordringer.choices import PosteringArt
    from fordringer.models import OmposteringAarsag, Postering
    from fordringer.ompostering.fordeling import NyDaekning
    from fordringer.ompostering.services import ompostering_opret

    start = time.perf_counter()
    bruger, _borger, fordringer, linjer = byg(args.fordringer)
    print(
        f"opsætning: {args.fordringer} fordringer, {linjer} posteringer, "
        f"{time.perf_counter() - start:.1f} s"
    )
    aarsag = OmposteringAarsag.objects.order_by("pk")[0]
    tider = []
    for n in range(args.gange):
        kilde = fordringer[(n * 7) % len(fordringer)]
        maal = fordringer[(n * 7 + 250) % len(fordringer)]
        daekning = Postering.objects.get(fordring=kilde, art=PosteringArt.DAEKNING)
        t0 = time.perf_counter()
        if os.environ.get("BENCH_PROFIL") and n == 3:
            import cProfile
            import pstats

            profil = cProfile.Profile()
            profil.enable()
        ompostering_opret(
            user=bruger,
            daekning_ids=[daekning.pk],
            aarsag_id=aarsag.pk,
            fordeling=[NyDaekning(maal.pk, Decimal("300.00"))],
            idag=IDAG,
        )
        tider.append((time.perf_counter() - t0) * 1000)
        if os.environ.get("BENCH_PROFIL") and n == 3:
            profil.disable()
            pstats.Stats(profil).sort_stats("cumulative").print_stats(25)
    tider.sort()
    print(
        f"ompostering_opret, {args.gange} gange: median {statistics.median(tider):.1f} ms, "
        f"p90 {tider[int(len(tider) * 0.9) - 1]:.1f} ms, min {tider[0]:.1f} ms, "
        f"max {tider[-1]:.1f} ms"
    )
    from django.db import connections

    connections.close_all()
    admin(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
