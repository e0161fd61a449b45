"""Benchmark: Detaljer_Debitor for a large kommune as xlsx and csv, against raw openpyxl.

Run by hand, never by the tests:

    .venv/bin/python bench/rapporter.py                   # clone ky_demo (kommune 751)
    .venv/bin/python bench/rapporter.py --generer 200000  # or generate N konti first

The data comes from a clone of an existing database (``CREATE DATABASE … TEMPLATE ky_demo``,
so the source is never changed) or from ``generer_demodata`` into a fresh database. Each
measurement runs in its own process and reports wall time, rows/s and its own peak RSS:

* ``xlsx`` / ``csv``: ``manage.py rapport detaljer_debitor`` end to end (query + write);
* ``raw``: the same rows fetched into a list first, then only the writing timed with
  openpyxl's write-only mode and plain values: the library's own limit.

Target: xlsx ≤ 1.5 x raw, peak RSS ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
KOMMUNE = 751


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def env_for(db: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": f"{PG}/{db}",
        "DJANGO_SETTINGS_MODULE": "ky_debitor.settings",
    }


def forbered(db: str, kilde: str, generer: int) -> None:
    admin(f"DROP DATABASE IF EXISTS {db}")
    if generer:
        admin(f"CREATE DATABASE {db}")
        env = env_for(db)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "generer_demodata",
                "--kommune",
                str(KOMMUNE),
                "--konti",
                str(generer),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
    else:
        admin(f"CREATE DATABASE {db} TEMPLATE {kilde}")


def maal(db: str, tilstand: str) -> dict[str, float]:
    """Run one measurement in a child process (so its peak RSS is its own)."""
    ud = subprocess.run(
        [sys.executable, __file__, "--barn", tilstand],
        cwd=ROOT,
        env=env_for(db),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(ud.stdout.strip().splitlines()[-1])


def barn(tilstand: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from openpyxl import Workbook

    from ky_debitor.models import Kommune
    from rapporter.definitioner import rapport_hent
    from rapporter.services import udtraek_skriv

    kommune = Kommune.objects.get(kode=KOMMUNE)
    rapport = rapport_hent("detaljer_debitor")
    with tempfile.TemporaryDirectory() as mappe:
        sti = str(Path(mappe) / f"ud.{'csv' if tilstand == 'csv' else 'xlsx'}")
        if tilstand == "raw":
            raekker = list(rapport.raekker(kommune.pk, {}))
            start = time.monotonic()
            wb = Workbook(write_only=True)
            ark = wb.create_sheet("Detaljer_Debitor")
            ark.append([k.overskrift for k in rapport.kolonner])
            for r in raekker:
                ark.append(r)
            wb.save(sti)
            n = len(raekker)
        else:
            start = time.monotonic()
            n = udtraek_skriv(rapport=rapport, kommune=kommune, filtre={}, format=tilstand, fil=sti)
        tid = time.monotonic() - start
        stoerrelse = os.path.getsize(sti)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"raekker": n, "sek": tid, "rss_mb": rss_mb, "mb": stoerrelse / 1e6}))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--kilde", default="ky_demo", help="database to clone (TEMPLATE)")
    p.add_argument("--db", default="ky_rap_bench")
    p.add_argument("--generer", type=int, default=0, help="generate N konti instead of cloning")
    p.add_argument("--genbrug", action="store_true", help="reuse --db as it is")
    p.add_argument("--barn", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.barn:
        barn(args.barn)
        return
    if not args.genbrug:
        forbered(args.db, args.kilde, args.generer)
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    resultater = {t: maal(args.db, t) for t in ("raw", "xlsx", "csv")}
    for t, r in resultater.items():
        print(
            f"{t:5} {r['raekker']:>9,} rækker  {r['sek']:7.1f} s  "
            f"{r['raekker'] / r['sek']:>9,.0f} rækker/s  peak RSS {r['rss_mb']:6.0f} MB  "
            f"fil {r['mb']:6.1f} MB"
        )
    print(f"xlsx / raw openpyxl: {resultater['xlsx']['sek'] / resultater['raw']['sek']:.2f}x")


if __name__ == "__main__":
    main()
