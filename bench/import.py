"""Benchmark of the KMD Aktiv import on PostgreSQL (run by hand, never by tests).

    .venv/bin/python bench/import.py --fordringer 1000000

Writes a synthetic extract (about five fordringer per debitorkonto, a realistic share of
dækninger, bevillinger and sager) to a temporary folder, creates a fresh database, migrates it,
and times (a) ``import_kmd_aktiv`` (in a child process, whose peak RSS is reported), (b) a raw
``COPY`` of the same files into plain tables of text columns, and (c) the floor for any
importer: a ``COPY`` of the very rows the import wrote straight into an identical, empty,
migrated database (every index, CHECK constraint and deferred foreign key; the commit, where
PostgreSQL checks the foreign keys, timed apart), and (d) the same without foreign keys: the
floor for the import's bulk mode (docs/adr/0004). Rows/s are data rows of the five files. It
also reports the CPU seconds of the import process and of its PostgreSQL backend, which move far
less than wall time when other work shares the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KOMMUNER = (101, 147, 461, 751, 851)
KODER = ("KTH", "KTH", "KTH", "UDH", "SHY", "OVG", "LED", "REV", "RFY", "FLX", "ENK", "SST", "XYZ")
TEKSTER = (
    "Tilbagebetaling af kontanthjælp",
    "For meget udbetalt hjælp",
    '"Tilbagebetaling; uddannelseshjælp"',
    "Enkeltydelse § 81",
    '"Udlæg ""særlig støtte"""',
)
FILER = {
    "sager.csv": "kommunekode;sagsnummer;cpr;ydelseskode;status;navn",
    "bevillinger.csv": "kommunekode;bevillingsnummer;cpr;ydelseskode;periode_fra;periode_til;"
    "tilbagebetalingspligt;loebende;sagsnummer;navn",
    "debitorkonti.csv": "kommunekode;kontonummer;cpr;kilde;status;frigivelsestype;navn",
    "fordringer.csv": "kommunekode;fordringsid;kontonummer;kmd_aktiv_reference;ydelseskode;tekst;"
    "periode_fra;periode_til;forfaldsdato;hovedstol;opkraevningstilstand;rykkerniveau;"
    "inddrivelse",
    "daekninger.csv": "kommunekode;daekningsid;fordringsid;art;beloeb;valoerdato;indbetalingsid",
}
FORNAVNE = ("Anne", "Mette", "Jens", "Peter", "Hanne", "Lars", "Søren", "Camilla", "Ali", "Fatima")
EFTERNAVNE = ("Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen")


def _beloeb(oere: int) -> str:
    kr, o = divmod(oere, 100)
    heltal = f"{kr:,}".replace(",", ".")
    return f"{heltal},{o:02d}"


def generer(mappe: Path, fordringer: int, seed: int = 1) -> dict[str, int]:
    """Write the five CSV files; return data rows per file."""
    rnd = random.Random(seed)
    konti = max(1, fordringer // 5)
    antal = dict.fromkeys(FILER, 0)
    ud = {navn: open(mappe / navn, "w", encoding="utf-8", newline="") for navn in FILER}  # noqa: SIM115
    try:
        for navn, header in FILER.items():
            ud[navn].write(header + "\r\n")
        datoer = [
            f"{d:02d}-{m:02d}-{y}" for y in range(2019, 2026) for m in range(1, 13) for d in (1, 15)
        ]
        fid = did = iid = 0
        sag_w, bev_w, kto_w = (
            ud["sager.csv"].write,
            ud["bevillinger.csv"].write,
            ud["debitorkonti.csv"].write,
        )
        ford_w, daek_w = ud["fordringer.csv"].write, ud["daekninger.csv"].write
        for k in range(konti):
            kommune = KOMMUNER[k % len(KOMMUNER)]
            dag, maaned, aar = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(0, 99)
            cpr = f"{dag:02d}{maaned:02d}{aar:02d}{'-' if k % 3 else ''}{k % 10000:04d}"
            navn = f"{rnd.choice(FORNAVNE)} {rnd.choice(EFTERNAVNE)}"
            kode = rnd.choice(KODER)
            sagsnummer = ""
            if rnd.random() < 0.55:
                sagsnummer = f"S{k:08d}"
                status = "AABEN" if rnd.random() < 0.8 else "LUKKET"
                sag_w(f"{kommune};{sagsnummer};{cpr};{kode};{status};{navn}\r\n")
                antal["sager.csv"] += 1
            bevillinger = []
            for b in range(rnd.choice((0, 1, 1, 1, 2, 2))):
                bnr = f"B{k:08d}{b}"
                fra = rnd.randrange(len(datoer) - 30)
                til = datoer[fra + rnd.randint(2, 28)] if rnd.random() < 0.7 else ""
                bev_w(
                    f"{kommune};{bnr};{cpr};{kode};{datoer[fra]};{til};"
                    f"{'J' if rnd.random() < 0.6 else 'N'};{'J' if not til else 'N'};"
                    f"{sagsnummer if b == 0 else ''};{navn}\r\n"
                )
                bevillinger.append(bnr)
            antal["bevillinger.csv"] += len(bevillinger)
            kontonummer = f"K{k:09d}"
            kilde = "KMD_AKTIV" if rnd.random() < 0.95 else "KY"
            status = "AKTIV" if rnd.random() < 0.85 else "VENTER_PAA_DAEKNING"
            kto_w(f"{kommune};{kontonummer};{cpr};{kilde};{status};IKKE_FRIGIVET;{navn}\r\n")
            antal["debitorkonti.csv"] += 1
            for _ in range(5 if k < konti - 1 else fordringer - 5 * (konti - 1)):
                fid += 1
                fordringsid = f"F{fid:010d}"
                hovedstol = rnd.randint(1, 5000) * 100 + rnd.choice((0, 0, 50, 25))
                fra = rnd.randrange(len(datoer) - 6)
                ref = rnd.choice(bevillinger) if bevillinger and rnd.random() < 0.6 else ""
                ford_w(
                    f"{kommune};{fordringsid};{kontonummer};{ref};{rnd.choice(KODER)};"
                    f"{rnd.choice(TEKSTER) if rnd.random() < 0.9 else ''};{datoer[fra]};"
                    f"{datoer[fra + 1]};{datoer[fra + 4]};{_beloeb(hovedstol)};OPKRAEV;"
                    f"{rnd.choice((0, 0, 0, 1, 2))};{'J' if rnd.random() < 0.05 else 'N'}\r\n"
                )
                if rnd.random() < 0.45:
                    rest = hovedstol
                    for _ in range(rnd.choice((1, 1, 1, 2))):
                        beloeb = rnd.randint(1, max(1, rest // 2))
                        rest -= beloeb
                        did += 1
                        art = rnd.choice(
                            ("DAEKNING", "DAEKNING", "DAEKNING", "AFSKRIVNING", "NEDREGULERING")
                        )
                        indbetaling = ""
                        if art == "DAEKNING" and rnd.random() < 0.8:
                            iid += 1
                            indbetaling = f"I{iid:09d}"
                        fortegn = "-" if rnd.random() < 0.5 else ""
                        daek_w(
                            f"{kommune};D{did:010d};{fordringsid};{art};{fortegn}{_beloeb(beloeb)};"
                            f"{datoer[min(fra + 5, len(datoer) - 1)]};{indbetaling}\r\n"
                        )
                        antal["daekninger.csv"] += 1
            antal["fordringer.csv"] += 0
        antal["fordringer.csv"] = fid
    finally:
        for f in ud.values():
            f.close()
    return antal


def _tidsmaal_import(mappe: Path) -> None:
    """Child process: run the import service once and print its figures as JSON."""
    import json

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky_debitor.settings")
    django.setup()
    from django.db import connection

    from fordringer.importer import import_kmd_aktiv

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    pg_cpu = _cpu_sekunder(backend)
    egen = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    resultat = import_kmd_aktiv(mappe)
    sekunder = time.perf_counter() - start
    slut = resource.getrusage(resource.RUSAGE_SELF)
    pg_cpu = _cpu_sekunder(backend) - pg_cpu
    py_cpu = slut.ru_utime + slut.ru_stime - egen.ru_utime - egen.ru_stime
    rss_mb = slut.ru_maxrss / 1024
    print(
        json.dumps(
            {
                "sekunder": sekunder,
                "py_cpu": py_cpu,
                "pg_cpu": pg_cpu,
                "rss_mb": rss_mb,
                "raekker": resultat.raekker,
                "faser": resultat.varighed,
                "oprettet": resultat.oprettet,
            }
        )
    )


def _cpu_sekunder(pid: int) -> float:
    """CPU seconds (user + system) a process on this machine has used: the import's PostgreSQL
    backend. With other work on the machine, CPU time moves far less than wall time."""
    felter = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(felter[11]) + int(felter[12])) / os.sysconf("SC_CLK_TCK")


def _raw_copy(dsn: str, mappe: Path) -> float:
    """COPY each file as-is into a plain table of text columns; returns seconds."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        start = time.perf_counter()
        for navn, header in FILER.items():
            tabel = "raw_" + navn.removesuffix(".csv")
            kolonner = ", ".join(f"{k} text" for k in header.split(";"))
            conn.execute(f"DROP TABLE IF EXISTS {tabel}")
            conn.execute(f"CREATE TABLE {tabel} ({kolonner})")
            sql = f"COPY {tabel} FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
            with conn.cursor().copy(sql) as copy, (mappe / navn).open("rb") as fh:
                while data := fh.read(1 << 20):
                    copy.write(data)
        conn.commit()
        return time.perf_counter() - start


# The tables the import writes, parents first.
TABELLER = (
    "fordringer_borger",
    "fordringer_sag",
    "fordringer_bevilling",
    "fordringer_debitorkonto",
    "fordringer_fordring",
    "fordringer_indbetaling",
    "fordringer_postering",
    "fordringer_parkering",
)


def _gulv(
    dsn_import: str, dsn_gulv: str, mappe: Path, *, fremmednoegler: bool = True
) -> tuple[float, float, int]:
    """The floor for any importer: COPY the very rows the import wrote into the same, empty,
    migrated tables (all indexes and CHECK constraints; the deferred foreign keys too, or — as
    in the import's bulk mode — none). Returns the seconds of the COPY, of the commit (where the
    foreign keys are checked) and the rows."""
    import psycopg

    with psycopg.connect(dsn_import) as kilde:
        for tabel in TABELLER:
            with (
                kilde.cursor().copy(f"COPY {tabel} TO STDOUT (FORMAT binary)") as copy,
                (mappe / f"{tabel}.bin").open("wb") as fh,
            ):
                for data in copy:
                    fh.write(data)
    raekker = 0
    with psycopg.connect(dsn_gulv) as conn:
        if not fremmednoegler:
            for tabel, navn in conn.execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
                (list(TABELLER),),
            ).fetchall():
                conn.execute(f'ALTER TABLE {tabel} DROP CONSTRAINT "{navn}"')
            conn.commit()
        start = time.perf_counter()
        for tabel in TABELLER:
            sql = f"COPY {tabel} FROM STDIN (FORMAT binary)"
            with conn.cursor() as cursor:
                with cursor.copy(sql) as copy, (mappe / f"{tabel}.bin").open("rb") as fh:
                    while data := fh.read(1 << 20):
                        copy.write(data)
                raekker += cursor.rowcount
        kopieret = time.perf_counter()
        conn.commit()
        slut = time.perf_counter()
    return kopieret - start, slut - kopieret, raekker


def _admin(dsn: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql)


def _taellinger_fra(dsn: str) -> None:
    """Turn off the triggers that keep the overview figures (``ky_debitor.taellinger``)."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        for tabel, navn in conn.execute(
            "SELECT t.tgrelid::regclass::text, t.tgname FROM pg_trigger t "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname LIKE '%\\_taelling'"
        ).fetchall():
            conn.execute(f'ALTER TABLE {tabel} DISABLE TRIGGER "{navn}"')


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--fordringer", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="ky_bench_import")
    parser.add_argument("--behold", action="store_true", help="keep the database and the files")
    parser.add_argument(
        "--taellinger",
        action="store_true",
        help="also import into a clone with the overview figures' triggers off (ADR 0008)",
    )
    parser.add_argument("--kun-import", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kun_import:
        _tidsmaal_import(args.kun_import)
        return

    import json

    vaeg = time.perf_counter()
    mappe = Path(tempfile.mkdtemp(prefix="ky-bench-import-"))
    start = time.perf_counter()
    antal = generer(mappe, args.fordringer, args.seed)
    raekker = sum(antal.values())
    print(f"Udtræk skrevet til {mappe} på {time.perf_counter() - start:.1f} s: {antal}")

    dsn = f"{args.server}/{args.db}"
    gulv_db, gulv2_db = f"{args.db}_gulv", f"{args.db}_gulv_masse"
    admin = f"{args.server}/postgres"
    for db in (args.db, gulv_db, gulv2_db):
        _admin(admin, f"DROP DATABASE IF EXISTS {db}")
    _admin(admin, f"CREATE DATABASE {args.db}")
    env = {**os.environ, "DATABASE_URL": dsn, "DJANGO_SETTINGS_MODULE": "ky_debitor.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    _admin(admin, f"CREATE DATABASE {gulv_db} TEMPLATE {args.db}")
    _admin(admin, f"CREATE DATABASE {gulv2_db} TEMPLATE {args.db}")
    uden_db = f"{args.db}_uden_taellinger"
    if args.taellinger:
        _admin(admin, f"DROP DATABASE IF EXISTS {uden_db}")
        _admin(admin, f"CREATE DATABASE {uden_db} TEMPLATE {args.db}")
        _taellinger_fra(f"{args.server}/{uden_db}")

    def importer(miljoe: dict[str, str]) -> dict[str, Any]:
        proces = subprocess.run(
            [sys.executable, __file__, "--kun-import", str(mappe)],
            cwd=ROOT,
            env=miljoe,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(proces.stdout.strip().splitlines()[-1])

    imp = importer(env)
    if args.taellinger:
        uden = importer({**env, "DATABASE_URL": f"{args.server}/{uden_db}"})
        _admin(admin, f"DROP DATABASE IF EXISTS {uden_db}")
        print(
            "(e) samme import med overbliksfigurernes udløsere slået fra: "
            f"{uden['sekunder']:.1f} s, backend-CPU {uden['pg_cpu']:.1f} s; med dem "
            f"{imp['sekunder'] / uden['sekunder']:.2f}x tiden og "
            f"{imp['pg_cpu'] / uden['pg_cpu']:.2f}x backend-CPU"
        )
    assert imp["raekker"] == raekker, (imp, raekker)
    copy_s = _raw_copy(dsn, mappe)
    gulv_copy, gulv_commit, gulv_raekker = _gulv(dsn, f"{args.server}/{gulv_db}", mappe)
    gulv_s = gulv_copy + gulv_commit
    masse_copy, masse_commit, _ = _gulv(
        dsn, f"{args.server}/{gulv2_db}", mappe, fremmednoegler=False
    )
    masse_s = masse_copy + masse_commit
    for tabel in TABELLER:
        (mappe / f"{tabel}.bin").unlink()

    print(f"Rækker i alt (data, alle fem filer): {raekker}")
    print(f"Rækker skrevet pr. tabel: {imp['oprettet']}")
    print("Faser (s): " + ", ".join(f"{k} {v:.1f}" for k, v in imp["faser"].items()))
    print(
        f"(a) import_kmd_aktiv: {imp['sekunder']:.1f} s = {raekker / imp['sekunder']:,.0f} rækker/s"
    )
    print(f"(b) rå COPY:          {copy_s:.1f} s = {raekker / copy_s:,.0f} rækker/s")
    print(
        f"(c) gulv: COPY af de {gulv_raekker} rækker importen skrev, direkte ind i tabellerne "
        f"(indekser, CHECK, fremmednøgler): {gulv_s:.1f} s (COPY {gulv_copy:.1f} s + commit "
        f"med fremmednøgletjek {gulv_commit:.1f} s) = {raekker / gulv_s:,.0f} rækker/s målt på "
        "udtrækkets rækker"
    )
    print(
        f"(d) gulv for massetilstand: samme COPY uden fremmednøgler: {masse_s:.1f} s = "
        f"{raekker / masse_s:,.0f} rækker/s målt på udtrækkets rækker"
    )
    print(
        f"CPU-sekunder: import-processen {imp['py_cpu']:.1f}, dens PostgreSQL-backend "
        f"{imp['pg_cpu']:.1f}; belastning (1 min) ved slut {os.getloadavg()[0]:.1f}"
    )
    print(f"Import/rå COPY: {imp['sekunder'] / copy_s:.1f}x langsommere")
    print(f"Import/gulv: {imp['sekunder'] / gulv_s:.1f}x langsommere")
    print(f"Import/gulv for massetilstand: {imp['sekunder'] / masse_s:.1f}x langsommere")
    print(f"Peak RSS (import-processen): {imp['rss_mb']:.0f} MB")
    print(f"Vægtid i alt: {time.perf_counter() - vaeg:.0f} s")
    if not args.behold:
        for db in (args.db, gulv_db, gulv2_db):
            _admin(admin, f"DROP DATABASE IF EXISTS {db}")
        for fil in mappe.iterdir():
            fil.unlink()
        mappe.rmdir()


if __name__ == "__main__":
    main()
