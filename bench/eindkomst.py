"""Benchmark: the daily eIndkomst batch of a kommune with 200,000 unreported lines.

Run by hand, never by the tests:

    .venv/bin/python bench/eindkomst.py [--konti 200000] [--manuelle 2000]

Creates a fresh PostgreSQL database (``ky_bench_ek``), migrates it, and writes with
``INSERT … SELECT generate_series`` one kommune (København) with ``--konti`` borgere, each with one
KY konto, one claim, one dækning and one eIndkomst line (§ 8 O, income year 2025), plus
``--manuelle`` by-hand amounts to net. Then, each in its own process (so each has its own peak
RSS) and each rolled back afterwards (so both see the same lines):

* ``sql``: ``indberetning.forsendelse.eindkomst_forsendelse_opret`` — the lines claimed with one
  ``INSERT … SELECT``, summed in the database, rows written by ``COPY``;
* ``orm``: the same batch built the obvious way — every line loaded as a model instance, summed
  in Python, the batch's lines and rows written with ``bulk_create`` (batch size 5000).

Goal: the batch in under 60 s with a peak RSS under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _admin(server: str, sql: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def opsaet(konti: int, manuelle: int) -> float:
    """Migrate and fill the database; returns the seconds the rows took."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from fordringer.models import Ydelsestype
    from ky_debitor.models import Kommune

    call_command("migrate", verbosity=0)
    kommune = Kommune.objects.get(kode=101).pk
    kth = Ydelsestype.objects.get(koder__kode="KTH").pk
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO fordringer_borger (cpr, navn, kommune_id) "
            "SELECT lpad(g::text, 10, '0'), 'Borger ' || g, %s FROM generate_series(1, %s) g",
            [kommune, konti],
        )
        c.execute(
            "INSERT INTO fordringer_debitorkonto (kontonummer, kilde, status, frigivelsestype, "
            "tilknytning, borger_id, kommune_id) SELECT 'K' || b.id, 'KY', 'AKTIV', "
            "'IKKE_FRIGIVET', 'INGEN', b.id, b.kommune_id FROM fordringer_borger b"
        )
        c.execute(
            "INSERT INTO fordringer_fordring (fordringsid, kilde, kmd_aktiv_reference, "
            "reference_kilde, ydelseskode, tekst, hovedstol, restance, opkraevningstilstand, "
            "rykkerniveau, inddrivelse, renteregime, kommune_id, konto_id, ydelsestype_id) "
            "SELECT 'F' || k.id, 'KY', '', 'INGEN', 'KTH', '', 1000.00, "
            "1000.00 - (k.id %% 500 + 1), "
            "'OPKRAEV', 0, false, 'INGEN', k.kommune_id, k.id, %s FROM fordringer_debitorkonto k",
            [kth],
        )
        c.execute(
            "INSERT INTO fordringer_postering (art, beloeb, valoerdato, bogfoert, ekstern_id, "
            "tekst, aktoer, fordring_id, kommune_id) SELECT 'DAEKNING', -(f.id % 500 + 1.25), "
            "'2025-03-10', now(), '', '', 'bench', f.id, f.kommune_id FROM fordringer_fordring f"
        )
        c.execute(
            "INSERT INTO fordringer_eindkomstlinje (art, cpr, indkomstaar, beloeb, "
            "efterregulering, oprettet, kommune_id, postering_id, ydelsestype_id) "
            "SELECT 'LL8O', b.cpr, 2025, -p.beloeb, false, now(), p.kommune_id, p.id, %s "
            "FROM fordringer_postering p JOIN fordringer_fordring f ON f.id = p.fordring_id "
            "JOIN fordringer_debitorkonto k ON k.id = f.konto_id "
            "JOIN fordringer_borger b ON b.id = k.borger_id",
            [kth],
        )
        c.execute(
            "INSERT INTO fordringer_eindkomstmanuel (cpr, indkomstaar, beloeb, tekst, kilde, "
            "aktoer, oprettet, kommune_id) SELECT cpr, 2025, 100.00, '', 'ADMIN', 'bench', "
            "now(), kommune_id FROM fordringer_borger ORDER BY id LIMIT %s",
            [manuelle],
        )
    with connection.cursor() as c:
        c.execute("ANALYZE")
    return time.perf_counter() - start


def orm_forsendelse(kommune_id: int):  # type: ignore[no-untyped-def]
    """The alternative: every line as a model instance, summed in Python."""
    from collections import defaultdict
    from decimal import Decimal

    from django.db import transaction
    from django.db.models import Sum

    from fordringer.choices import BeskedType
    from fordringer.eindkomst.netto import Raekke, modregn
    from fordringer.models import (
        EIndkomstForsendelse,
        EIndkomstForsendelseLinje,
        EIndkomstForsendelseRaekke,
        EIndkomstLinje,
        EIndkomstManuel,
        Ydelsestype,
    )
    from fordringer.udbakke.services import udgaaende_besked_opret
    from ky_debitor.models import Kommune

    with transaction.atomic():
        kommune = Kommune.objects.select_for_update().get(pk=kommune_id)
        linjer = list(
            EIndkomstLinje.objects.for_kommune(kommune_id)
            .filter(sendt_i__isnull=True)
            .order_by("oprettet", "id")
        )
        summer: dict[tuple[str, int, str, int], Decimal] = defaultdict(Decimal)
        for linje in linjer:
            summer[(linje.cpr, linje.indkomstaar, linje.art, linje.ydelsestype_id)] += linje.beloeb
        manuel = {
            (r["cpr"], r["indkomstaar"]): r["s"]
            for r in EIndkomstManuel.objects.for_kommune(kommune_id)
            .values("cpr", "indkomstaar")
            .annotate(s=Sum("beloeb"))
        }
        grupper: dict[tuple[str, int], list[Raekke]] = defaultdict(list)
        for (cpr, aar, art, yt), s in summer.items():
            grupper[(cpr, aar)].append(Raekke(cpr, aar, art, yt, s))
        koder = dict(Ydelsestype.objects.values_list("id", "kode"))
        f = EIndkomstForsendelse.objects.create(
            kommune_id=kommune_id,
            noegle=f"eindkomst-{kommune.kode}-{linjer[0].pk}-{linjer[-1].pk}",
            periode_fra=linjer[0].oprettet,
            periode_til=linjer[-1].oprettet,
            antal=len(linjer),
            total=0,
        )
        raekker, payload = [], []
        for noegle, gruppe in grupper.items():
            for n in modregn(gruppe, manuel_rest=manuel.get(noegle, Decimal("0.00"))):
                r = n.raekke
                raekker.append(
                    EIndkomstForsendelseRaekke(
                        forsendelse=f,
                        cpr=r.cpr,
                        indkomstaar=r.indkomstaar,
                        art=r.art,
                        ydelsestype_id=r.ydelsestype_id,
                        linjer=r.linjer,
                        modregnet=n.modregnet,
                        beloeb=n.beloeb,
                    )
                )
                if n.beloeb:
                    payload.append(
                        {
                            "cpr": r.cpr,
                            "indkomstaar": r.indkomstaar,
                            "art": r.art,
                            "beloeb": f"{n.beloeb:.2f}",
                            "ydelsestype": koder[r.ydelsestype_id],
                        }
                    )
        EIndkomstForsendelseLinje.objects.bulk_create(
            [EIndkomstForsendelseLinje(forsendelse=f, linje=linje) for linje in linjer],
            batch_size=5000,
        )
        EIndkomstForsendelseRaekke.objects.bulk_create(raekker, batch_size=5000)
        f.antal_raekker = len(raekker)
        f.total = sum((r.beloeb for r in raekker), Decimal("0.00"))
        f.modregnet = sum((r.modregnet for r in raekker), Decimal("0.00"))
        f.besked = udgaaende_besked_opret(
            kommune_id=kommune_id,
            type=BeskedType.EINDKOMST,
            noegle=f.noegle,
            payload={"kommune": kommune.kode, "antal": f.antal, "raekker": payload},
        )
        f.save()
        return f


class _RulTilbage(Exception):
    pass


def maal(variant: str) -> dict[str, object]:
    """Run one variant in this process, rolled back; time, peak RSS and the batch's figures."""
    import django

    django.setup()
    from django.db import transaction

    from fordringer.indberetning.forsendelse import eindkomst_forsendelse_opret
    from ky_debitor.models import Kommune

    kommune_id = Kommune.objects.get(kode=101).pk
    foer = _rss_mb()
    udfald: dict[str, object] = {}
    try:
        with transaction.atomic():
            start = time.perf_counter()
            if variant == "sql":
                f = eindkomst_forsendelse_opret(kommune_id=kommune_id)
            else:
                f = orm_forsendelse(kommune_id)
            udfald["sekunder"] = round(time.perf_counter() - start, 2)
            assert f is not None
            udfald |= {
                "antal": f.antal,
                "antal_raekker": f.antal_raekker,
                "total": str(f.total),
                "modregnet": str(f.modregnet),
            }
            raise _RulTilbage
    except _RulTilbage:
        pass
    udfald |= {"rss_foer_mb": round(foer, 1), "rss_top_mb": round(_rss_mb(), 1)}
    return udfald


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--konti", type=int, default=200_000)
    parser.add_argument("--manuelle", type=int, default=2_000)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="ky_bench_ek")
    parser.add_argument("--variant", choices=["sql", "orm"], help=argparse.SUPPRESS)
    parser.add_argument("--opsaet", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{args.server}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky_debitor.settings")

    if args.variant:
        print(json.dumps(maal(args.variant)))
        return
    if args.opsaet:
        print(json.dumps({"sekunder": round(opsaet(args.konti, args.manuelle), 1)}))
        return

    _admin(args.server, f"DROP DATABASE IF EXISTS {args.db}")
    _admin(args.server, f"CREATE DATABASE {args.db}")
    selv = [sys.executable, __file__, "--server", args.server, "--db", args.db]

    def koer(*ekstra: str) -> dict[str, object]:
        ud = subprocess.run([*selv, *ekstra], check=True, capture_output=True, text=True)
        return json.loads(ud.stdout.strip().splitlines()[-1])

    data = koer("--opsaet", "--konti", str(args.konti), "--manuelle", str(args.manuelle))
    print(
        f"{args.konti:,} konti, lines and {args.manuelle:,} by-hand amounts written in "
        f"{data['sekunder']} s"
    )
    resultat = {v: koer("--variant", v) for v in ("sql", "orm")}
    for v, r in resultat.items():
        print(
            f"{v}: {r['sekunder']} s, peak RSS {r['rss_top_mb']} MB "
            f"(after start-up {r['rss_foer_mb']} MB); {r['antal']:,} lines, "
            f"{r['antal_raekker']:,} rows, total {r['total']}, netted {r['modregnet']}"
        )
    sql, orm = resultat["sql"], resultat["orm"]
    print(
        f"orm / sql: time {float(orm['sekunder']) / float(sql['sekunder']):.1f}x, "  # type: ignore[arg-type]
        f"peak RSS {float(orm['rss_top_mb']) / float(sql['rss_top_mb']):.1f}x"  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
