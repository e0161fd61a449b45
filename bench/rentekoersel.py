"""Benchmark: the interest run of a kommune, first run and re-run.

Run by hand, never by the tests:

    .venv/bin/python bench/rentekoersel.py [--fordringer 20000] [--til-dato 30-11-2026]
        [--arbejdere 1 2] [--uden-glem]

Creates a fresh PostgreSQL database (``ky_bench_rente``), migrates it, and writes with
``INSERT … SELECT generate_series`` one kommune (København) with ``--fordringer`` borgere, each
with one KY konto and one claim of 1.000,00 due 10-01-2025 with its HOVEDSTOL entry, half under
gebyrloven § 3 and half under opkrævningsloven § 7; every third claim has a dækning of 100,00
dated 10-03-2025. Then, each in its own process (so each has its own peak RSS):

* ``foerste``: the first run up to ``--til-dato`` — every claim gets all its interest;
* ``igen``: the same run again — nothing is new, nothing is booked, and every claim is passed
  over by its marks (``Fordring.rente_afstemt_*``) without its ledger being read;
* ``igen --glem``: the same re-run with the marks cleared first, as a re-run was before them:
  every claim's ledger read and its interest recomputed.

With ``--arbejdere 1 2`` the database is made afresh for each number of workers, and the
run is split into that many lanes (``KY_RENTE_SPOR``), each run by its own process as a
Celery worker would (``rentekoersel_spor_koer``), side by side. ``--uden-glem`` leaves out the
last, slow re-run.

Reports wall time, claims/s, the entries booked and the peak RSS of each (of the biggest
worker when there are several).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time

import psycopg


def _admin(server: str, sql: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def opsaet(fordringer: int) -> float:
    """Migrate and fill the database; returns the seconds the rows took."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ky_debitor.models import Kommune

    call_command("migrate", verbosity=0)
    kommune = Kommune.objects.get(kode=101).pk
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO fordringer_borger (cpr, navn, kommune_id) "
            "SELECT lpad(g::text, 10, '0'), 'Borger ' || g, %s FROM generate_series(1, %s) g",
            [kommune, fordringer],
        )
        c.execute(
            "INSERT INTO fordringer_debitorkonto (kontonummer, kilde, status, frigivelsestype, "
            "tilknytning, borger_id, kommune_id) SELECT 'K' || b.id, 'KY', 'AKTIV', "
            "'IKKE_FRIGIVET', 'INGEN', b.id, b.kommune_id FROM fordringer_borger b"
        )
        c.execute(
            "INSERT INTO fordringer_fordring (fordringsid, kilde, kmd_aktiv_reference, "
            "reference_kilde, ydelseskode, tekst, forfaldsdato, hovedstol, restance, "
            "opkraevningstilstand, rykkerniveau, inddrivelse, renteregime, kommune_id, konto_id) "
            "SELECT 'F' || k.id, 'KY', '', 'INGEN', 'KTH', '', '2025-01-10', 1000.00, "
            "CASE WHEN k.id % 3 = 0 THEN 900.00 ELSE 1000.00 END, 'OPKRAEV', 0, false, "
            "CASE WHEN k.id % 2 = 0 THEN 'GEBYRLOVEN_3' ELSE 'OPKRAEVNINGSLOVEN_7' END, "
            "k.kommune_id, k.id FROM fordringer_debitorkonto k"
        )
        c.execute(
            "INSERT INTO fordringer_postering (art, beloeb, valoerdato, bogfoert, ekstern_id, "
            "tekst, aktoer, fordring_id, kommune_id) SELECT 'HOVEDSTOL', 1000.00, '2025-01-10', "
            "now(), '', '', 'bench', f.id, f.kommune_id FROM fordringer_fordring f"
        )
        c.execute(
            "INSERT INTO fordringer_postering (art, beloeb, valoerdato, bogfoert, ekstern_id, "
            "tekst, aktoer, fordring_id, kommune_id) SELECT 'DAEKNING', -100.00, '2025-03-10', "
            "now(), '', '', 'bench', f.id, f.kommune_id FROM fordringer_fordring f "
            "WHERE f.restance = 900.00"
        )
    with connection.cursor() as c:
        c.execute("ANALYZE")
    return time.perf_counter() - start


def maal(til_dato: dt.date, *, glem: bool = False, arbejdere: int = 1) -> dict[str, object]:
    """One run: time, peak RSS and the run's figures. With several workers the run is split
    into as many lanes, each run by its own process (``--spor``) at the same time."""
    os.environ["KY_RENTE_SPOR"] = str(arbejdere)
    import django

    django.setup()
    from fordringer.models import Fordring, Postering
    from fordringer.rente.koersel import (
        rentekoersel_afslut,
        rentekoersel_koer,
        rentekoersel_markeer_koerer,
        rentekoersel_opret,
    )
    from ky_debitor.models import Kommune

    kommune = Kommune.objects.get(kode=101)
    if glem:
        Fordring.objects.update(rente_afstemt_til=None)
    foer_rss, foer_poster = _rss_mb(), Postering.objects.count()
    rss_top = 0.0
    start = time.perf_counter()
    koersel = rentekoersel_opret(kommune=kommune, til_dato=til_dato, user=None)
    if arbejdere == 1:
        koersel = rentekoersel_koer(koersel_id=koersel.pk)
        rss_top = _rss_mb()
    else:
        spor = rentekoersel_markeer_koerer(koersel_id=koersel.pk)
        from django.db import connections

        connections.close_all()
        selv = [sys.executable, __file__, "--server", os.environ["BENCH_SERVER"]]
        processer = [
            subprocess.Popen(
                [
                    *selv,
                    "--db",
                    os.environ["BENCH_DB"],
                    "--spor",
                    str(n),
                    "--koersel",
                    str(koersel.pk),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in spor
        ]
        for proces in processer:
            ud, _ = proces.communicate()
            assert proces.returncode == 0, ud
            rss_top = max(rss_top, json.loads(ud.strip().splitlines()[-1])["rss_top_mb"])
        rentekoersel_afslut(koersel_id=koersel.pk)
        koersel.refresh_from_db()
    return {
        "sekunder": round(time.perf_counter() - start, 2),
        "status": koersel.status,
        "behandlet": koersel.antal_behandlet,
        "aendret": koersel.antal_aendret,
        "dele": koersel.dele_faerdige,
        "bogfoert": str(koersel.beloeb_bogfoert),
        "posteringer": Postering.objects.count() - foer_poster,
        "rss_foer_mb": round(foer_rss, 1),
        "rss_top_mb": round(rss_top, 1),
    }


def spor_koer(koersel_id: int, nummer: int) -> dict[str, object]:
    """One lane of a run in this process: a worker's share."""
    import django

    django.setup()
    from fordringer.rente.koersel import rentekoersel_spor_koer

    rentekoersel_spor_koer(koersel_id=koersel_id, nummer=nummer)
    return {"rss_top_mb": round(_rss_mb(), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--fordringer", type=int, default=20_000)
    parser.add_argument("--til-dato", default="30-11-2026", help="dd-mm-åååå")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="ky_bench_rente")
    parser.add_argument("--maal", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--opsaet", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--glem", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--spor", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--koersel", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--arbejdere", type=int, nargs="+", default=[1])
    parser.add_argument("--uden-glem", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{args.server}/{args.db}"
    os.environ["BENCH_SERVER"], os.environ["BENCH_DB"] = args.server, args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky_debitor.settings")
    til_dato = dt.datetime.strptime(args.til_dato, "%d-%m-%Y").date()  # noqa: DTZ007

    if args.spor is not None:
        print(json.dumps(spor_koer(args.koersel, args.spor)))
        return
    if args.maal:
        print(json.dumps(maal(til_dato, glem=args.glem, arbejdere=args.arbejdere[0])))
        return
    if args.opsaet:
        print(json.dumps({"sekunder": round(opsaet(args.fordringer), 1)}))
        return

    selv = [sys.executable, __file__, "--server", args.server, "--db", args.db]

    def koer(*ekstra: str) -> dict[str, object]:
        ud = subprocess.run([*selv, *ekstra], check=True, capture_output=True, text=True)
        return json.loads(ud.stdout.strip().splitlines()[-1])

    for arbejdere in args.arbejdere:
        _admin(args.server, f"DROP DATABASE IF EXISTS {args.db}")
        _admin(args.server, f"CREATE DATABASE {args.db}")
        data = koer("--opsaet", "--fordringer", str(args.fordringer))
        print(
            f"{args.fordringer:,} claims written in {data['sekunder']} s; "
            f"{arbejdere} worker(s), load {os.getloadavg()[0]:.1f}"
        )
        runs = [("first run", ()), ("re-run", ())]
        if not args.uden_glem:
            runs.append(("re-run, marks cleared (as before them)", ("--glem",)))
        for navn, ekstra in runs:
            r = koer("--maal", "--til-dato", args.til_dato, "--arbejdere", str(arbejdere), *ekstra)
            print(
                f"  {navn} to {args.til_dato}, {arbejdere} worker(s): {r['sekunder']} s "
                f"({r['status']}), {r['behandlet']:,} claims in {r['dele']} chunks, "
                f"{r['aendret']:,} changed, {r['posteringer']:,} entries, net "
                f"{r['bogfoert']} kr.; peak RSS {r['rss_top_mb']} MB (after start-up "
                f"{r['rss_foer_mb']} MB); load {os.getloadavg()[0]:.1f}"
            )
    _admin(args.server, f"DROP DATABASE IF EXISTS {args.db}")


if __name__ == "__main__":
    main()
