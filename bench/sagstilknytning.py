"""Benchmark: a full linking run on PostgreSQL with one and with two Celery workers.

Run by hand, never by the tests:

    .venv/bin/python bench/sagstilknytning.py --konti 200000

It generates a kommune of N konti (``generer_demodata``, ≈5 fordringer per konto) into a
template database once, then for each measurement clones a fresh database from it, starts real
``celery worker`` processes against Redis, starts a run and waits for it to finish. It reports
wall time, konti/s, fordringer/s and the workers' peak RSS, and — on a clone of the same data —
the time of a set-based SQL pass doing the core of the work (match each claim's reference to
the borger's bevilling, decide per konto, write the links and references): a lower bound.
With ``--gentag N`` every measurement is repeated N times, interleaved, and medians compared.

The machine may be shared, so beside wall time it reports CPU seconds: the workers', the
command's and those of the PostgreSQL processes serving the database — what the run costs
whatever else is running. The load average at the end is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
KOMMUNE = 751

SQL_BOUND = """
CREATE TEMP TABLE valg AS
SELECT k.id AS konto_id, min(b.id) AS bevilling_id
FROM fordringer_debitorkonto k
JOIN fordringer_fordring f ON f.konto_id = k.id
LEFT JOIN fordringer_bevilling b
  ON b.kommune_id = k.kommune_id AND b.borger_id = k.borger_id
 AND lower(trim(b.bevillingsnummer)) = lower(trim(f.kmd_aktiv_reference))
WHERE k.kilde = 'KMD_AKTIV'
GROUP BY k.id
HAVING count(DISTINCT b.id) = 1 AND count(b.id) = count(*);

UPDATE fordringer_debitorkonto k
SET bevilling_id = v.bevilling_id, sag_id = b.sag_id, tilknytning = 'AUTOMATISK',
    tilknyttet_tid = now()
FROM valg v JOIN fordringer_bevilling b ON b.id = v.bevilling_id
WHERE k.id = v.konto_id AND b.sag_id IS NOT NULL;

UPDATE fordringer_fordring f
SET kmd_aktiv_reference = b.bevillingsnummer, reference_kilde = 'AUTOMATISK',
    ydelsestype_id = y.ydelsestype_id
FROM valg v JOIN fordringer_bevilling b ON b.id = v.bevilling_id
LEFT JOIN fordringer_ydelseskode y ON y.kode = upper(trim(b.ydelseskode))
WHERE f.konto_id = v.konto_id;
"""


def sh(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return result.stdout


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def env_for(db: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": f"{PG}/{db}",
        "REDIS_URL": REDIS,
        "DJANGO_SETTINGS_MODULE": "ky_debitor.settings",
    }


def generate(template: str, konti: int) -> float:
    admin(f"DROP DATABASE IF EXISTS {template}")
    admin(f"CREATE DATABASE {template}")
    sh(sys.executable, "manage.py", "migrate", "-v0", env=env_for(template))
    started = time.monotonic()
    print(
        sh(
            sys.executable,
            "manage.py",
            "generer_demodata",
            "--kommune",
            str(KOMMUNE),
            "--konti",
            str(konti),
            "--seed",
            "1",
            env=env_for(template),
        ).strip()
    )
    elapsed = time.monotonic() - started
    # Statistics and visibility as autovacuum would leave them a minute after an import;
    # without them the planner guesses table sizes, and the first reader of every row sets its
    # hint bits, for the run and the SQL bound alike.
    with psycopg.connect(f"{PG}/{template}", autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return elapsed


def clone(template: str, db: str) -> None:
    admin(f"DROP DATABASE IF EXISTS {db}")
    admin(f"CREATE DATABASE {db} TEMPLATE {template}")


def peak_rss_mb(pid: int) -> float:
    """VmHWM of a process and its children (the worker's pool processes)."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total = max(total, int(line.split()[1]))
        except FileNotFoundError:
            continue
    return total / 1024


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backends(db: str) -> list[int]:
    """The PostgreSQL server processes (on this machine) serving ``db``, with their parallel
    workers."""
    found: dict[int, bytes] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                found[int(proc.name)] = (proc / "cmdline").read_bytes()
            except OSError:
                continue
    leaders = [pid for pid, cmd in found.items() if f" {db} ".encode() in cmd]
    helpers = [
        pid
        for pid, cmd in found.items()
        if any(f"parallel worker for PID {leader}".encode() in cmd for leader in leaders)
    ]
    return leaders + helpers


class CpuMeter(threading.Thread):
    """Samples twice a second the CPU time of some processes and of the database server
    processes serving ``db``: what a run costs, whatever else the shared machine is doing."""

    def __init__(self, db: str, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.db, self.pids = db, pids
        self.start_cpu: dict[int, float] = {}
        self.seen: dict[int, float] = {}
        self.stopped = threading.Event()
        for pid in [*pids, *backends(db)]:
            self.start_cpu[pid] = self.seen[pid] = cpu_seconds(pid)

    def sample(self) -> None:
        for pid in [*self.pids, *backends(self.db)]:
            self.seen[pid] = max(self.seen.get(pid, 0.0), cpu_seconds(pid))

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            self.sample()

    def stop(self) -> float:
        self.stopped.set()
        self.join()
        self.sample()
        return sum(cpu - self.start_cpu.get(pid, 0.0) for pid, cpu in self.seen.items())


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_with_workers(db: str, workers: int) -> dict[str, float]:
    env = env_for(db)
    subprocess.run(["redis-cli", "-u", REDIS, "flushdb"], check=True, capture_output=True)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ky_debitor",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "-n",
                f"bench{i}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
        )
        for i in range(workers)
    ]
    time.sleep(3)
    rss = [0.0] * workers
    try:
        with psycopg.connect(f"{PG}/{db}") as conn:
            fordringer = conn.execute("SELECT count(*) FROM fordringer_fordring").fetchone()[0]
        meter = CpuMeter(db, [p.pid for p in procs])
        meter.start()
        command_cpu = children_cpu()
        started = time.monotonic()
        out = sh(sys.executable, "manage.py", "sagstilknytning", "--kommune", str(KOMMUNE), env=env)
        wall = time.monotonic() - started
        cpu = meter.stop() + children_cpu() - command_cpu
        rss = [peak_rss_mb(p.pid) for p in procs]
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)
    konti = int(
        next(
            line.split()[-1].replace(".", "")
            for line in out.splitlines()
            if line.strip().lower().startswith("debitorkonti")
        )
    )
    print(out.strip())
    return {"wall": wall, "cpu": cpu, "konti": konti, "fordringer": fordringer, "rss": max(rss)}


def taellinger_fra(db: str) -> int:
    """Turn off the triggers that keep the overview figures (``ky_debitor.taellinger``) on a
    clone, to measure what they cost; returns how many."""
    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        udloesere = conn.execute(
            "SELECT t.tgrelid::regclass::text, t.tgname FROM pg_trigger t "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname LIKE '%%\\_taelling'"
        ).fetchall()
        for tabel, navn in udloesere:
            conn.execute(f'ALTER TABLE {tabel} DISABLE TRIGGER "{navn}"')
    return len(udloesere)


def sql_bound(db: str) -> dict[str, float]:
    with psycopg.connect(f"{PG}/{db}") as conn:
        meter = CpuMeter(db, [])
        meter.start()
        started = time.monotonic()
        conn.execute(SQL_BOUND)
        conn.commit()
        return {"wall": time.monotonic() - started, "cpu": meter.stop()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--konti", type=int, default=200_000)
    parser.add_argument("--genbrug", action="store_true", help="reuse the template database")
    parser.add_argument(
        "--skabelon",
        default="ky_bench_st_skabelon",
        help="template database (an existing one with kommune 751 is reused with --genbrug)",
    )
    parser.add_argument(
        "--workers",
        default="1,2",
        help="comma-separated worker counts to measure (default 1,2)",
    )
    parser.add_argument(
        "--gentag",
        type=int,
        default=1,
        help="measure each worker count and the SQL bound this many times, each on a fresh "
        "clone, and compare medians (the machine may be shared: wall times vary by ±15 %%)",
    )
    parser.add_argument(
        "--taellinger",
        action="store_true",
        help="measure each worker count also with the overview figures' triggers turned off",
    )
    args = parser.parse_args()
    template = args.skabelon
    counts = [int(n) for n in args.workers.split(",")]
    if not args.genbrug:
        print(f"Genererer {args.konti} konti … {generate(template, args.konti):.1f} s")
    results: dict[int, list[dict[str, float]]] = {workers: [] for workers in counts}
    uden: dict[int, list[dict[str, float]]] = {workers: [] for workers in counts}
    bounds: list[dict[str, float]] = []
    for _ in range(args.gentag):  # interleaved, so a slow spell of the machine hits all alike
        for workers in counts:
            db = f"{template}_{workers}"
            clone(template, db)
            results[workers].append(run_with_workers(db, workers))
            admin(f"DROP DATABASE IF EXISTS {db}")
            if args.taellinger:
                clone(template, f"{db}_ut")
                print(f"Tællingernes udløsere slået fra: {taellinger_fra(f'{db}_ut')}")
                uden[workers].append(run_with_workers(f"{db}_ut", workers))
                admin(f"DROP DATABASE IF EXISTS {db}_ut")
        clone(template, f"{template}_sql")
        bounds.append(sql_bound(f"{template}_sql"))
        admin(f"DROP DATABASE IF EXISTS {template}_sql")

    print("\nworkers  wall (s)  CPU (s)  konti/s  fordringer/s  peak RSS pr. worker (MB)")
    for workers, runs in results.items():
        for r in runs:
            print(
                f"{workers:>7}  {r['wall']:>8.1f}  {r['cpu']:>7.1f}  "
                f"{r['konti'] / r['wall']:>7.0f}  {r['fordringer'] / r['wall']:>12.0f}  "
                f"{r['rss']:>8.0f}"
            )
    for workers, runs in uden.items():
        for r, med in zip(runs, results[workers], strict=False):
            print(
                f"{workers:>7}  uden tællinger: {r['wall']:.1f} s, CPU {r['cpu']:.1f} s; med "
                f"dem {med['wall'] / r['wall']:.2f}x tiden, {med['cpu'] / r['cpu']:.2f}x CPU"
            )
    for b in bounds:
        print(
            f"SQL-grænse (mængdebaseret pas over samme rækker): {b['wall']:.1f} s, "
            f"CPU {b['cpu']:.1f} s"
        )
    bound = {k: statistics.median(b[k] for b in bounds) for k in ("wall", "cpu")}
    median = {
        workers: {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu")}
        for workers, runs in results.items()
    }
    print(
        f"Medianer over {args.gentag} måling{'er' if args.gentag > 1 else ''}: SQL-grænsen "
        f"{bound['wall']:.1f} s (CPU {bound['cpu']:.1f} s); "
        + " og ".join(
            f"{workers} worker{'s' if workers > 1 else ''} {m['wall']:.1f} s = "
            f"{m['wall'] / bound['wall']:.1f}x (CPU {m['cpu'] / bound['cpu']:.1f}x)"
            for workers, m in median.items()
        )
        + f" grænsen; belastning {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
