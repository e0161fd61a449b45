"""Benchmark: writing Detaljer_Debitor, the biggest report, for a kommune with 1.1 M fordringer.

Run by hand, never by the tests:

    .venv/bin/python bench/rapport.py [--konti 200000] [--fordringer 1100000]
    .venv/bin/python bench/rapport.py --behold --variant csv_python openpyxl xlsxwriter

Creates a fresh PostgreSQL database (``ky_bench_rap``), migrates it, and writes with
``INSERT … SELECT generate_series`` one kommune (København) with ``--konti`` borgere, each with
one debitorkonto (KY and KMD Aktiv, a mix of statuses and frigivelsestyper), and
``--fordringer`` fordringer spread evenly over those konti (5 or 6 consecutive ones per konto
at the default sizes). The values vary the way the writers care about: texts with ``;``,
``"``, a leading ``=`` / ``-`` / ``@``, a line break, ``&`` and ``<``; NULL periods; amounts up
to six digits (thousands separators); ydelsestyper known and unknown (NULL). Each fordring has
its HOVEDSTOL posting, every second one a DAEKNING (a negative amount) and every fortieth
dækning is reversed (TILBAGEFOERSEL); every third has two RENTE entries (the second reversed on
every tenth of those) and every twentieth a GEBYR of 250,00 (reversed on every tenth of those),
so *Dækninger i perioden*, *Renter* and *Gebyrer* run against a realistic ledger (about 2.3
entries per claim). The tables are then vacuumed and analysed (no autovacuum or hint-bit writes
during the runs).
``--behold`` keeps a database that already holds fordringer, so the fill is done once.

Then, each in its own process (so each has its own peak RSS), the report is written to a
temporary file under /tmp; only the writing is timed (rows stream from the database cursor
into the file, so the query is part of it):

* ``csv``: ``rapporter.services.udtraek_skriv(format="csv")`` — the product path;
* ``xlsx``: the same with ``format="xlsx"`` — the product path;
* ``csv_python``: ``rapporter.eksport.skriv_csv`` — the row-by-row Python writer;
* ``openpyxl``: openpyxl's write-only mode, the xlsx writer of commit 126a6c6
  (``rapporter.eksport.skriv_xlsx`` then), kept here so the baseline stays put while the
  product writer changes;
* ``xlsxwriter``: the same workbook through xlsxwriter's ``constant_memory`` mode (bold header,
  ``#,##0.00`` for amounts, ``dd-mm-yyyy`` for dates, formula-like text quote-prefixed, a new
  sheet at 1,048,576 rows); skipped when xlsxwriter is not installed
  (``.venv/bin/pip install xlsxwriter==3.3.1``).

Each prints seconds, peak RSS, file size and rows written; the ratios openpyxl / xlsx,
xlsxwriter / xlsx and csv_python / csv follow.

Goal: Detaljer_Debitor with 1.1 M rows as xlsx in at most 60 s and as csv in at most 15 s, with
a peak RSS of at most 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VARIANTER = ("csv", "xlsx", "csv_python", "openpyxl", "xlsxwriter")
ENDELSE = {v: "csv" if v.startswith("csv") else "xlsx" for v in VARIANTER}


def _admin(server: str, sql: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _eksisterende(server: str, db: str) -> tuple[int, int] | None:
    """(konti, fordringer) of an existing, filled bench database; None when there is none."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
            return None
    try:
        with psycopg.connect(f"{server}/{db}", autocommit=True) as conn:
            konti = conn.execute("SELECT count(*) FROM fordringer_debitorkonto").fetchone()
            fordringer = conn.execute("SELECT count(*) FROM fordringer_fordring").fetchone()
    except psycopg.Error:
        return None  # not migrated
    assert konti is not None and fordringer is not None
    return (konti[0], fordringer[0]) if fordringer[0] else None


# --- Setup ---------------------------------------------------------------------------------------

# The fordring's text by ``g % 50``: the characters CSV quoting and xlsx escaping and the
# formula-injection rule care about, an empty text, and otherwise an ordinary one.
_TEKST = """CASE s.g % 50
    WHEN 0 THEN 'Tilbagebetaling; kontanthjælp ' || s.g
    WHEN 1 THEN 'Udbetalt "for meget" i perioden'
    WHEN 2 THEN '=1+1'
    WHEN 3 THEN '-beløb modregnet i ' || s.g
    WHEN 4 THEN 'Linje 1' || chr(10) || 'Linje 2'
    WHEN 5 THEN 'Husleje & <varme> ' || s.g
    WHEN 6 THEN ''
    WHEN 7 THEN '@SUM(A1:A2)'
    ELSE 'Tilbagebetaling af for meget udbetalt hjælp, krav ' || s.g
END"""

_NAVN = """CASE
    WHEN g % 97 = 0 THEN '=HYPERLINK("http://x";"klik")'
    WHEN g % 89 = 0 THEN 'Hansen; "Lille" Per ' || g
    WHEN g % 83 = 0 THEN '-Ærø & <Co> ' || g
    ELSE (ARRAY['Søren', 'Åse', 'Mette', 'Jørgen', 'Lars', 'Anne'])[1 + g % 6] || ' '
        || (ARRAY['Jensen', 'Nielsen', 'Hansen', 'Ægidius', 'Østergaard'])[1 + g % 5]
        || ' ' || g
END"""


def opsaet(konti: int, fordringer: int) -> float:
    """Migrate and fill the database; returns the seconds the rows took."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ky_debitor.models import Kommune

    call_command("migrate", verbosity=0)
    kommune = int(Kommune.objects.get(kode=101).pk)
    konti, fordringer = int(konti), int(fordringer)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO fordringer_borger (cpr, navn, kommune_id) "
            f"SELECT lpad(g::text, 10, '0'), {_NAVN}, {kommune} "
            f"FROM generate_series(1, {konti}) g"
        )
        # Konto n belongs to borger n (cpr = n); every third is a KMD Aktiv konto.
        c.execute(
            "INSERT INTO fordringer_debitorkonto (kontonummer, kilde, status, frigivelsestype, "
            "tilknytning, borger_id, kommune_id) "
            "SELECT lpad(n::text, 10, '0'), "
            "CASE WHEN n % 3 = 0 THEN 'KMD_AKTIV' ELSE 'KY' END, "
            "CASE n % 10 WHEN 6 THEN 'VENTER_PAA_DAEKNING' WHEN 7 THEN 'VENTER_PAA_DAEKNING' "
            "WHEN 8 THEN 'AFVENTER_FRIGIVELSE' WHEN 9 THEN 'LUKKET' ELSE 'AKTIV' END, "
            "CASE WHEN n % 7 = 0 THEN 'FRIGIVET' WHEN n % 11 = 0 THEN 'BLOKERET' "
            "ELSE 'IKKE_FRIGIVET' END, "
            "'INGEN', id, kommune_id "
            "FROM (SELECT id, kommune_id, cpr::bigint AS n FROM fordringer_borger) b "
            "ORDER BY n"
        )
        # The fordringer of a konto are consecutive: fordring g sits on konto
        # 1 + (g - 1) * konti / fordringer (5 or 6 each at the default sizes; konto ids are
        # contiguous in a fresh database) and has that konto's kilde. Ydelseskode 'UKENDT'
        # maps to no ydelsestype.
        c.execute(
            "INSERT INTO fordringer_fordring (fordringsid, kilde, kmd_aktiv_reference, "
            "reference_kilde, ydelseskode, tekst, periode_fra, periode_til, forfaldsdato, "
            "hovedstol, restance, opkraevningstilstand, rykkerniveau, inddrivelse, renteregime, "
            "kommune_id, konto_id, ydelsestype_id) "
            "SELECT 'F' || lpad(s.g::text, 9, '0'), s.kilde, "
            "CASE WHEN s.kilde = 'KMD_AKTIV' THEN 'B' || (100000 + s.n) ELSE '' END, "
            "CASE WHEN s.kilde = 'KMD_AKTIV' THEN 'IMPORT' ELSE 'INGEN' END, "
            f"s.kode, {_TEKST}, "
            "CASE WHEN s.g % 7 = 0 THEN NULL ELSE s.forfald - 61 END, "
            "CASE WHEN s.g % 5 = 0 THEN NULL ELSE s.forfald - 31 END, "
            "s.forfald, s.hovedstol, "
            "CASE s.g % 4 WHEN 0 THEN 0 WHEN 1 THEN s.hovedstol "
            "ELSE round(s.hovedstol * 0.37, 2) END, "
            "CASE s.g % 20 WHEN 0 THEN 'BERO' WHEN 1 THEN 'INDDRIVELSE' "
            "WHEN 2 THEN 'AFSLUTTET' ELSE 'OPKRAEV' END, "
            f"s.g % 3, s.g % 20 = 1, 'INGEN', {kommune}, s.konto_id, yk.ydelsestype_id "
            "FROM (SELECT g, n, k.kilde, k.id AS konto_id, "
            "  CASE WHEN k.kilde = 'KMD_AKTIV' AND g % 17 = 0 THEN 'UKENDT' "
            "  ELSE (ARRAY['KTH', 'UDH', 'SHY', 'OVG', 'LED', 'REV', 'RFY', 'FLX', 'ENK', "
            "  'SST'])[1 + g % 10] END AS kode, "
            "  DATE '2019-01-01' + (g * 37 % 2500)::int AS forfald, "
            "  CASE WHEN g % 13 = 0 THEN 123456.78 + g % 1000 "
            "  ELSE ((g * 7919) % 2500000 + 100) / 100.0 END::numeric(12, 2) AS hovedstol "
            f"  FROM (SELECT g::bigint AS g, 1 + (g::bigint - 1) * {konti} / {fordringer} AS n "
            f"        FROM generate_series(1, {fordringer}) g) t "
            "  JOIN fordringer_debitorkonto k "
            "    ON k.id = (SELECT min(id) FROM fordringer_debitorkonto) + t.n - 1) s "
            "LEFT JOIN fordringer_ydelseskode yk ON yk.kode = s.kode "
            "ORDER BY s.g"
        )
        c.execute(
            "INSERT INTO fordringer_postering (art, beloeb, valoerdato, bogfoert, ekstern_id, "
            "tekst, aktoer, fordring_id, kommune_id) SELECT 'HOVEDSTOL', f.hovedstol, "
            "f.forfald, now(), '', '', 'bench', f.id, f.kommune_id "
            "FROM (SELECT id, kommune_id, hovedstol, "
            "      coalesce(forfaldsdato, DATE '2019-01-01') - 90 AS forfald "
            "      FROM fordringer_fordring) f"
        )
        c.execute(
            "INSERT INTO fordringer_postering (art, beloeb, valoerdato, bogfoert, ekstern_id, "
            "tekst, aktoer, fordring_id, kommune_id) SELECT 'DAEKNING', "
            "CASE WHEN f.id % 26 = 0 THEN -12345.67 ELSE -(f.id % 5000 + 1.25) END, "
            "DATE '2025-01-01' + (f.id % 365)::int, now(), '', '', 'bench', f.id, f.kommune_id "
            "FROM fordringer_fordring f WHERE f.id % 2 = 0"
        )
        c.execute(
            "INSERT INTO fordringer_postering (art, beloeb, valoerdato, bogfoert, ekstern_id, "
            "tekst, aktoer, fordring_id, kommune_id, tilbagefoerer_id) SELECT 'TILBAGEFOERSEL', "
            "-p.beloeb, p.valoerdato + 3, now(), '', '', 'bench', p.fordring_id, p.kommune_id, "
            "p.id FROM fordringer_postering p WHERE p.art = 'DAEKNING' AND p.fordring_id % 80 = 0"
        )
        # Interest: two monthly RENTE entries on every third claim, every tenth claim's second
        # one reversed; a GEBYR (250,00) on every twentieth claim, every tenth of those
        # reversed. Reversals point at their entry, as the ledger books them.
        c.execute(
            "INSERT INTO fordringer_postering (art, beloeb, valoerdato, bogfoert, ekstern_id, "
            "tekst, aktoer, fordring_id, kommune_id) SELECT 'RENTE', "
            "((f.id * 31 + m) % 40000 + 1) / 100.0, DATE '2025-01-31' + 28 * m, now(), '', '', "
            "'bench', f.id, f.kommune_id "
            "FROM fordringer_fordring f CROSS JOIN generate_series(0, 1) m WHERE f.id % 3 = 0"
        )
        c.execute(
            "INSERT INTO fordringer_postering (art, beloeb, valoerdato, bogfoert, ekstern_id, "
            "tekst, aktoer, fordring_id, kommune_id) SELECT 'GEBYR', 250.00, "
            "DATE '2025-03-15', now(), '', '', 'bench', f.id, f.kommune_id "
            "FROM fordringer_fordring f WHERE f.id % 20 = 1"
        )
        c.execute(
            "INSERT INTO fordringer_postering (art, beloeb, valoerdato, bogfoert, ekstern_id, "
            "tekst, aktoer, fordring_id, kommune_id, tilbagefoerer_id) SELECT 'TILBAGEFOERSEL', "
            "-p.beloeb, p.valoerdato + 3, now(), '', '', 'bench', p.fordring_id, p.kommune_id, "
            "p.id FROM fordringer_postering p "
            "WHERE (p.art = 'RENTE' AND p.valoerdato > DATE '2025-01-31' "
            "       AND p.fordring_id % 30 = 0) "
            "   OR (p.art = 'GEBYR' AND p.fordring_id % 200 = 1)"
        )
    with connection.cursor() as c:
        # VACUUM, not only ANALYZE: sets hint bits and the visibility map now, so neither the
        # first variant nor an autovacuum in the middle of a run pays for the bulk insert.
        c.execute(
            "VACUUM (ANALYZE) fordringer_borger, fordringer_debitorkonto, fordringer_fordring, "
            "fordringer_postering"
        )
        c.execute("ANALYZE")
    return time.perf_counter() - start


# --- The variants --------------------------------------------------------------------------------


# The two library baselines are written out here rather than imported from rapporter.eksport:
# the product writer may change under this benchmark (it is what ``xlsx`` times), the baselines
# must stay what they are. Both follow the product's rules: a front sheet, a bold frozen
# header, column widths, an autofilter, ``#,##0.00`` for amounts, ``dd-mm-yyyy`` for dates,
# text that a spreadsheet would read as a formula written as text with Excel's quote prefix,
# control characters an xlsx file cannot hold replaced by U+FFFD, and a new sheet (same
# header) once a sheet holds 1,048,576 rows.

BELOEBSFORMAT = "#,##0.00"
DATOFORMAT = "dd-mm-yyyy"
XLSX_MAX_RAEKKER = 1_048_576  # Excel's rows per sheet, header row included


def skriv_openpyxl(
    kolonner: Sequence[Any],
    raekker: Iterable[Sequence[Any]],
    fil: str,
    *,
    arktitel: str,
    forside: Sequence[tuple[str, str]],
) -> int:
    """openpyxl's write-only mode: ``rapporter.eksport.skriv_xlsx`` as of commit 126a6c6."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from rapporter.definitioner import BELOEB, DATO
    from rapporter.eksport import _kolonnebredde, arknavn, er_formel

    def tekstcelle(ark: Any, tekst: str) -> Any:
        celle = WriteOnlyCell(ark, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", tekst))
        celle.data_type = "s"
        if er_formel(tekst):
            celle.quotePrefix = True
        return celle

    def skal_vaere_tekstcelle(tekst: str) -> bool:
        return (
            er_formel(tekst)
            or tekst in ERROR_CODES
            or ILLEGAL_CHARACTERS_RE.search(tekst) is not None
        )

    wb = Workbook(write_only=True)
    om = wb.create_sheet("Om udtrækket")
    om.column_dimensions["A"].width = 22
    om.column_dimensions["B"].width = 80
    fed = Font(bold=True)
    for label, value in forside:
        celle = tekstcelle(om, label)
        celle.font = fed
        om.append([celle, tekstcelle(om, value)])

    basis = arknavn(arktitel)
    sidste_kolonne = get_column_letter(len(kolonner))

    def nyt_ark(nummer: int) -> Any:
        ark = wb.create_sheet(basis if nummer == 1 else f"{basis[:26]} ({nummer})")
        ark.freeze_panes = "A2"
        for i, k in enumerate(kolonner, 1):
            ark.column_dimensions[get_column_letter(i)].width = _kolonnebredde(k)
        header = []
        for k in kolonner:
            celle = tekstcelle(ark, k.overskrift)
            celle.font = fed
            header.append(celle)
        ark.append(header)
        return ark

    def typede_celler(ark: Any) -> list[Any]:
        # One styled cell per column, reused for every row (openpyxl serialises a cell the
        # moment it is appended).
        celler: list[Any] = []
        for k in kolonner:
            if k.type in (BELOEB, DATO):
                celle = WriteOnlyCell(ark)
                celle.number_format = BELOEBSFORMAT if k.type == BELOEB else DATOFORMAT
                celler.append(celle)
            else:
                celler.append(None)
        return celler

    arknr = 1
    ark = nyt_ark(arknr)
    celler = typede_celler(ark)
    i_ark, n = 1, 0
    for raekke in raekker:
        if i_ark >= XLSX_MAX_RAEKKER:
            ark.auto_filter.ref = f"A1:{sidste_kolonne}{i_ark}"
            arknr += 1
            ark, i_ark = nyt_ark(arknr), 1
            celler = typede_celler(ark)
        vaerdier = list(raekke)
        for i, v in enumerate(vaerdier):
            if isinstance(v, str):
                if skal_vaere_tekstcelle(v):
                    vaerdier[i] = tekstcelle(ark, v)
            elif v is not None and celler[i] is not None:
                celle = celler[i]
                celle.value = v
                vaerdier[i] = celle
        ark.append(vaerdier)
        i_ark += 1
        n += 1
    ark.auto_filter.ref = f"A1:{sidste_kolonne}{i_ark}"
    wb.save(fil)
    return n


def skriv_xlsxwriter(
    kolonner: Sequence[Any],
    raekker: Iterable[Sequence[Any]],
    fil: str,
    *,
    arktitel: str,
    forside: Sequence[tuple[str, str]],
) -> int:
    """The same workbook through xlsxwriter's ``constant_memory`` mode. Every cell is written
    by type: ``write_string`` never makes a formula or a link of text."""
    import xlsxwriter

    from rapporter.definitioner import BELOEB, DATO, HELTAL
    from rapporter.eksport import _kolonnebredde, arknavn, er_formel

    wb = xlsxwriter.Workbook(fil, {"constant_memory": True})
    fed = wb.add_format({"bold": True})
    citat = wb.add_format({"quote_prefix": True})
    formater = {
        BELOEB: wb.add_format({"num_format": BELOEBSFORMAT}),
        DATO: wb.add_format({"num_format": DATOFORMAT}),
    }
    om = wb.add_worksheet("Om udtrækket")
    om.set_column(0, 0, 22)
    om.set_column(1, 1, 80)
    for r, (label, vaerdi) in enumerate(forside):
        om.write_string(r, 0, label, fed)
        om.write_string(r, 1, vaerdi)

    basis = arknavn(arktitel)
    sidste = len(kolonner) - 1
    typer = [k.type for k in kolonner]
    talformat = [formater.get(t) for t in typer]

    def nyt_ark(nummer: int) -> Any:
        ark = wb.add_worksheet(basis if nummer == 1 else f"{basis[:26]} ({nummer})")
        ark.freeze_panes(1, 0)
        for i, k in enumerate(kolonner):
            ark.set_column(i, i, _kolonnebredde(k))
        for i, k in enumerate(kolonner):
            ark.write_string(0, i, k.overskrift, fed)
        return ark

    arknr, i_ark, n = 1, 1, 0
    ark = nyt_ark(arknr)
    for raekke in raekker:
        if i_ark >= XLSX_MAX_RAEKKER:
            ark.autofilter(0, 0, i_ark - 1, sidste)
            arknr += 1
            ark, i_ark = nyt_ark(arknr), 1
        for c, v in enumerate(raekke):
            if v is None:
                continue
            if isinstance(v, str):
                tekst = _ULOVLIGE_TEGN.sub("\ufffd", v) if _ULOVLIGE_TEGN.search(v) else v
                ark.write_string(i_ark, c, tekst, citat if er_formel(v) else None)
            elif typer[c] == DATO:
                ark.write_datetime(i_ark, c, v, talformat[c])
            elif typer[c] in (BELOEB, HELTAL):
                ark.write_number(i_ark, c, float(v), talformat[c])
            else:
                ark.write(i_ark, c, v)
        i_ark += 1
        n += 1
    ark.autofilter(0, 0, i_ark - 1, sidste)
    wb.close()
    return n


# The characters XML 1.0 cannot hold (the C0 controls but tab, line feed, carriage return).
_ULOVLIGE_TEGN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _skrivere() -> dict[str, Callable[[Any, Any, str], int]]:
    def produkt(format_: str) -> Callable[[Any, Any, str], int]:
        def skriv(rapport: Any, kommune: Any, sti: str) -> int:
            from rapporter.services import udtraek_skriv

            return udtraek_skriv(
                rapport=rapport, kommune=kommune, filtre={}, format=format_, fil=sti
            )

        return skriv

    def csv_python(rapport: Any, kommune: Any, sti: str) -> int:
        from rapporter.eksport import skriv_csv

        with open(sti, "w", encoding="utf-8-sig", newline="") as fil:
            return skriv_csv(rapport.kolonner, rapport.raekker(kommune.pk, {}), fil)

    def bibliotek(skriv: Callable[..., int]) -> Callable[[Any, Any, str], int]:
        def skriv_rapport(rapport: Any, kommune: Any, sti: str) -> int:
            return skriv(
                rapport.kolonner,
                rapport.raekker(kommune.pk, {}),
                sti,
                arktitel=rapport.arknavn,
                forside=[("Rapport", "x")],
            )

        return skriv_rapport

    return {
        "csv": produkt("csv"),
        "xlsx": produkt("xlsx"),
        "csv_python": csv_python,
        "openpyxl": bibliotek(skriv_openpyxl),
        "xlsxwriter": bibliotek(skriv_xlsxwriter),
    }


def maal(variant: str, gem: bool) -> dict[str, object]:
    """Write the report once with ``variant`` in this process: time, peak RSS, size, rows."""
    if variant in ("openpyxl", "xlsxwriter"):
        try:
            __import__(variant)
        except ImportError:
            return {"sprunget_over": f"{variant} is not installed"}
    import django

    django.setup()
    from ky_debitor.models import Kommune
    from rapporter.definitioner import rapport_hent

    rapport = rapport_hent("detaljer_debitor")
    kommune = Kommune.objects.get(kode=101)
    skriv = _skrivere()[variant]
    mappe = tempfile.mkdtemp(prefix="ky_bench_rap_")
    sti = os.path.join(mappe, f"detaljer_debitor_{variant}.{ENDELSE[variant]}")
    foer = _rss_mb()
    try:
        start = time.perf_counter()
        n = skriv(rapport, kommune, sti)
        sekunder = time.perf_counter() - start
        top = _rss_mb()
        stoerrelse = os.path.getsize(sti)
    finally:
        if not gem:
            shutil.rmtree(mappe, ignore_errors=True)
    return {
        "sekunder": round(sekunder, 2),
        "rss_foer_mb": round(foer, 1),
        "rss_top_mb": round(top, 1),
        "fil_mb": round(stoerrelse / 1024**2, 1),
        "raekker": n,
        "forventet": rapport.antal(kommune.pk, {}),
        "fil": sti if gem else "",
    }


# --- Driver --------------------------------------------------------------------------------------


def _git_commit() -> str:
    try:
        ud = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return ud.stdout.strip()


def _forhold(a: dict[str, Any] | None, b: dict[str, Any] | None, navn: str) -> str:
    if not a or not b or "sekunder" not in a or "sekunder" not in b:
        return f"{navn}: not measured"
    return (
        f"{navn}: time {a['sekunder'] / b['sekunder']:.2f}x, "
        f"peak RSS {a['rss_top_mb'] / b['rss_top_mb']:.2f}x, "
        f"file {a['fil_mb'] / max(b['fil_mb'], 0.1):.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--konti", type=int, default=200_000)
    parser.add_argument("--fordringer", type=int, default=1_100_000)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="ky_bench_rap")
    parser.add_argument(
        "--variant",
        nargs="+",
        choices=VARIANTER,
        default=list(VARIANTER),
        help="the variants to run (default: all)",
    )
    parser.add_argument(
        "--behold",
        action="store_true",
        help="keep the database when it already holds fordringer (skip the fill)",
    )
    parser.add_argument(
        "--gem", action="store_true", help="keep the written files (their paths are printed)"
    )
    parser.add_argument("--maal", choices=VARIANTER, help=argparse.SUPPRESS)
    parser.add_argument("--opsaet", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{args.server}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky_debitor.settings")

    if args.maal:
        print(json.dumps(maal(args.maal, args.gem)))
        return
    if args.opsaet:
        print(json.dumps({"sekunder": round(opsaet(args.konti, args.fordringer), 1)}))
        return

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"commit {_git_commit()}, load average {load}, {os.cpu_count()} cores")
    selv = [sys.executable, __file__, "--server", args.server, "--db", args.db]

    def koer(*ekstra: str) -> dict[str, Any]:
        ud = subprocess.run([*selv, *ekstra], capture_output=True, text=True)
        if ud.returncode:
            print(ud.stderr[-3000:], file=sys.stderr)
            return {"fejl": f"exit {ud.returncode}"}
        return json.loads(ud.stdout.strip().splitlines()[-1])

    der = _eksisterende(args.server, args.db) if args.behold else None
    if der:
        print(f"kept {args.db}: {der[0]:,} konti, {der[1]:,} fordringer")
        if der != (args.konti, args.fordringer):
            print("  (not the --konti/--fordringer asked for; drop --behold to refill)")
    else:
        _admin(args.server, f"DROP DATABASE IF EXISTS {args.db}")
        _admin(args.server, f"CREATE DATABASE {args.db}")
        data = koer("--opsaet", "--konti", str(args.konti), "--fordringer", str(args.fordringer))
        if "fejl" in data:
            sys.exit("setup failed")
        print(
            f"{args.konti:,} konti and {args.fordringer:,} fordringer (with their posteringer) "
            f"written and vacuumed in {data['sekunder']} s"
        )

    resultat: dict[str, dict[str, Any]] = {}
    for v in args.variant:
        resultat[v] = r = koer("--maal", v, *(["--gem"] if args.gem else []))
        if "sekunder" in r:
            print(
                f"  {v}: {r['sekunder']} s, peak RSS {r['rss_top_mb']} MB "
                f"(after start-up {r['rss_foer_mb']} MB), {r['raekker']:,} rows"
                + (f" -> {r['fil']}" if r["fil"] else ""),
                flush=True,
            )
        else:
            print(f"  {v}: {r.get('sprunget_over') or r.get('fejl')}", flush=True)

    print()
    print(f"{'variant':<12} {'seconds':>8} {'peak RSS MB':>12} {'file MB':>8} {'rows':>11}")
    for v, r in resultat.items():
        if "sekunder" in r:
            print(
                f"{v:<12} {r['sekunder']:>8.2f} {r['rss_top_mb']:>12.1f} "
                f"{r['fil_mb']:>8.1f} {r['raekker']:>11,}"
            )
        else:
            print(f"{v:<12} {'skipped: ' + str(r.get('sprunget_over') or r.get('fejl'))}")
    optalt = {r["raekker"] for r in resultat.values() if "raekker" in r}
    forventet = {r["forventet"] for r in resultat.values() if "forventet" in r}
    if len(optalt | forventet) > 1:
        print(f"ROW COUNTS DIFFER: written {sorted(optalt)}, report count {sorted(forventet)}")
    elif optalt:
        print(f"every variant wrote the report's {optalt.pop():,} rows")
    print(_forhold(resultat.get("openpyxl"), resultat.get("xlsx"), "openpyxl / xlsx"))
    print(_forhold(resultat.get("xlsxwriter"), resultat.get("xlsx"), "xlsxwriter / xlsx"))
    print(_forhold(resultat.get("csv_python"), resultat.get("csv"), "csv_python / csv"))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at the end {load}")


if __name__ == "__main__":
    main()
