"""Benchmark: the kontoudtog of a konto with 500 claims, as PDF/A-3a.

Run by hand, never by the tests:

    .venv/bin/python bench/dokument.py [--fordringer 500] [--gange 3] [--renter] [--hele]

Creates a fresh PostgreSQL database (``ky_bench_dokument``), migrates it, and builds one borger
with one konto of 500 claims due monthly over 2021-2025, each with a payment (the same konto as
``bench/ompostering.py``; with ``--renter`` also every interest line up to the bench day, about
45,000 ledger lines). Then it times ``kontoudtog_bestil`` - ledger read, HTML, layout and PDF/A
written and stored with its hash - for the whole history (without ``--renter``: 1,000 lines)
and for the last calendar year, and prints the median of ``--gange`` runs with the phases.
Target: under 3 s for the 500-claim konto.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB = "ky_bench_dokument"


def _ompostering_bench():  # type: ignore[no-untyped-def]
    sti = ROOT / "bench" / "ompostering.py"
    spec = importlib.util.spec_from_file_location("bench_ompostering", sti)
    assert spec is not None and spec.loader is not None
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul


def maal(navn: str, fn, gange: int) -> float:  # type: ignore[no-untyped-def]
    tider = []
    for _ in range(gange):
        t0 = time.perf_counter()
        fn()
        tider.append(time.perf_counter() - t0)
    median = statistics.median(tider)
    print(f"{navn}: median {median:.2f} s (min {min(tider):.2f}, max {max(tider):.2f})")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fordringer", type=int, default=500)
    parser.add_argument("--gange", type=int, default=3)
    parser.add_argument("--renter", action="store_true", help="med alle rentelinjer")
    parser.add_argument("--hele", action="store_true", help="også hele historikken med renter")
    parser.add_argument(
        "--uden-harfbuzz",
        action="store_true",
        help="skær skrifterne til med fontTools, som uden libharfbuzz-subset0",
    )
    args = parser.parse_args()
    if args.uden_harfbuzz:
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None

    ob = _ompostering_bench()
    ob.DB = DB
    ob.admin(f"DROP DATABASE IF EXISTS {DB}")
    ob.admin(f"CREATE DATABASE {DB}")
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky_debitor.settings")
    sys.path.insert(0, str(ROOT))
    ob.opsaet()

    from fordringer.dokumenter import selectors
    from fordringer.dokumenter.pdf import pdf_dan
    from fordringer.dokumenter.services import dokument_html, kontoudtog_bestil
    from fordringer.models import Dokument

    start = time.perf_counter()
    if not args.renter:
        # The same konto without interest lines (restance: principal less the payment).
        from fordringer.rente import beregning

        beregning.rente_beregn = lambda **_kw: []
    bruger, _borger, fordringer, linjer = ob.byg(args.fordringer)
    konto = fordringer[0].konto
    print(
        f"opsætning: {args.fordringer} fordringer, {linjer} posteringer, "
        f"{time.perf_counter() - start:.1f} s, load {os.getloadavg()[0]:.1f}"
    )
    sidste_aar = dt.date(ob.IDAG.year - 1, 1, 1), dt.date(ob.IDAG.year - 1, 12, 31)
    perioder = [("sidste kalenderår", *sidste_aar)]
    if not args.renter or args.hele:
        perioder.insert(0, ("hele historikken", None, ob.IDAG))
    for navn, fra, til in perioder:
        antal = sum(
            1
            for linje in selectors.kontoudtog_data(konto=konto, fra=fra, til=til).linjer
            if fra is None or fra <= linje.dato <= til
        )
        print(f"-- kontoudtog, {navn}: {antal} linjer")
        dokument = kontoudtog_bestil(
            user=bruger, konto_id=konto.pk, fra=fra, til=til, baggrund=False
        )
        dokument = Dokument.objects.get(pk=dokument.pk)
        maal(
            "  læs ledgeren",
            lambda f=fra, t=til: selectors.kontoudtog_data(konto=konto, fra=f, til=t),
            args.gange,
        )
        maal("  HTML", lambda d=dokument: dokument_html(d), args.gange)
        html = dokument_html(dokument)
        maal("  layout og PDF/A-3a", lambda h=html: pdf_dan(h), args.gange)
        maal(
            "  i alt (kontoudtog_bestil)",
            lambda f=fra, t=til: kontoudtog_bestil(
                user=bruger, konto_id=konto.pk, fra=f, til=t, baggrund=False
            ),
            args.gange,
        )
        print(f"  {dokument.stoerrelse} byte, load {os.getloadavg()[0]:.1f}")
        if os.environ.get("BENCH_PROFIL"):
            import cProfile
            import pstats

            profil = cProfile.Profile()
            profil.runcall(
                kontoudtog_bestil, user=bruger, konto_id=konto.pk, fra=fra, til=til, baggrund=False
            )
            pstats.Stats(profil).sort_stats("cumulative").print_stats(30)

    from django.db import connections

    connections.close_all()
    ob.admin(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
