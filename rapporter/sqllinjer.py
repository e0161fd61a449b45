"""A report's CSV lines and sheet rows made by PostgreSQL, for the reports big enough to need it.

``rapporter.eksport`` formats Python values one by one: for Detaljer_Debitor's 1.1 M rows and 18
columns that is 20 M values through Python, about a minute as CSV before any file is written.
Here the same rules are written once more as SQL over the report's own queryset
(``rapporter.kilde.Raekkekilde``): PostgreSQL returns each row as its finished text — a CSV line, or
a ``<row>`` of the sheet — and Python only joins, encodes and compresses. The two forms are
held to the same output by the tests (``tests/rapporter/test_sqllinjer.py``), value by value,
on text built to break them: quotes, semicolons, line breaks, formula characters, control
characters, negative and large amounts, missing dates.

The rules, as in ``rapporter.eksport`` and ``rapporter.xlsx``:

* CSV: amounts ``1.234,56``, dates ``dd-mm-åååå``, text a spreadsheet would read as a formula
  with a leading ``'``; a field with ``;``, ``"`` or a line break quoted, ``"`` doubled.
* xlsx: amounts and dates typed with their style, text inline and escaped, illegal control
  characters as U+FFFD, formula-like text with the quote-prefix style; nothing as ``<c/>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection

from ky_debitor.etiketter import etiketter

from .definitioner import BELOEB, DATO, HELTAL, Kolonne
from .eksport import FORMELTEGN
from .kilde import Felt, Raekkekilde
from .xlsx import BELOEB_STIL, CITAT, DATO_STIL, ULOVLIGE_TEGN

CSV, XLSX = "csv", "xlsx"
HENT = 10_000  # rows per fetch from the server-side cursor


def kan(kilde: Raekkekilde | None) -> bool:
    """Whether the database can make the lines (PostgreSQL and a described report)."""
    return kilde is not None and connection.vendor == "postgresql"


def _vaerdi(felt: Felt, kolonne: str, params: list[Any]) -> str:
    """The column's shown value (one of several sums, label, sign) as an SQL expression."""
    if felt.plads is not None:
        # As Felt.vis: the amount at the place (arrays count from 1 here), 0 without any.
        kolonne = f"COALESCE({kolonne}[{int(felt.plads) + 1}], 0.00)"
    if felt.etiket is not None:
        params.append(json.dumps(etiketter(felt.etiket)))
        # etiket(): the label, else the code itself, and '' for no code.
        return f"COALESCE(%s::jsonb ->> {kolonne}::text, {kolonne}::text, '')"
    if felt.modsat:
        return f"(-{kolonne})"
    return kolonne


def _tegn(c: str) -> str:
    """One character as an SQL literal (control characters by their code)."""
    return f"'{c}'" if c.isprintable() and c not in "'\\%" else f"chr({ord(c)})"


# The fixed character sets of the rules as SQL literals (no parameters: they are repeated).
_FORMELTEGN = ", ".join(_tegn(c) for c in sorted(FORMELTEGN))
# ULOVLIGE_TEGN as a PostgreSQL bracket expression; a text value cannot hold NUL.
_ULOVLIGE = (
    "'[' || chr(1) || '-' || chr(8) || chr(11) || chr(12) || chr(14) || '-' || chr(31) || ']'"
)
assert ULOVLIGE_TEGN.pattern == "[\x00-\x08\x0b\x0c\x0e-\x1f]"


def _formel(tekst: str) -> str:
    return f"left({tekst}, 1) IN ({_FORMELTEGN})"


def _csv_tekst(v: str, type_: str) -> str:
    """The field's text before quoting: amounts and dates formatted, text a spreadsheet would
    read as a formula given a leading ``'``."""
    if type_ == BELOEB:
        return f"COALESCE(translate(to_char({v}, 'FM999,999,999,999,990.00'), ',.', '.,'), '')"
    if type_ == DATO:
        return f"COALESCE(to_char({v}, 'DD-MM-YYYY'), '')"
    if type_ == HELTAL:
        return f"COALESCE({v}::text, '')"
    t = f"COALESCE({v}::text, '')"
    return f"(CASE WHEN {_formel(t)} THEN '''' || {t} ELSE {t} END)"


def _csv_felt(p: str, type_: str) -> str:
    """The field as written: text with ``;``, ``"`` or a line break quoted."""
    if type_ in (BELOEB, DATO, HELTAL):
        return p
    return (
        f"(CASE WHEN {p} ~ ('[;\"' || chr(13) || chr(10) || ']') "
        f"THEN '\"' || replace({p}, '\"', '\"\"') || '\"' ELSE {p} END)"
    )


def _xlsx_celle(v: str, type_: str) -> str:
    if type_ == BELOEB:
        return f"COALESCE('<c s=\"{BELOEB_STIL}\"><v>' || {v}::text || '</v></c>', '<c/>')"
    if type_ == DATO:
        return (
            f"COALESCE('<c s=\"{DATO_STIL}\"><v>' || ({v} - DATE '1899-12-30')::text "
            "|| '</v></c>', '<c/>')"
        )
    if type_ == HELTAL:
        return f"COALESCE('<c><v>' || {v}::text || '</v></c>', '<c/>')"
    t = f"{v}::text"
    esc = (
        f"replace(replace(replace(replace(regexp_replace({t}, {_ULOVLIGE}, chr(65533), 'g'), "
        "'&', '&amp;'), '<', '&lt;'), '>', '&gt;'), chr(13), '&#13;')"
    )
    stil = f"(CASE WHEN {_formel(t)} THEN ' s=\"{CITAT}\"' ELSE '' END)"
    return (
        f"COALESCE('<c t=\"inlineStr\"' || {stil} || '><is><t xml:space=\"preserve\">' "
        f"|| {esc} || '</t></is></c>', '<c/>')"
    )


def linje_sql(
    kilde: Raekkekilde, kolonner: Sequence[Kolonne], format: str
) -> tuple[str, list[Any]]:
    """The query returning one finished line per row, in the report's order."""
    qs = kilde.vaerdier()
    indre, indre_params = qs.query.get_compiler(connection=connection).as_sql()
    params: list[Any] = []
    # Shown values computed once per row (OFFSET 0 keeps PostgreSQL from inlining them into
    # every use below), then formatted. A value several columns read (a ``Summer``) is
    # selected once, and the report's query, being ordered, stays a query of its own: it is
    # computed once per row too.
    vist = ", ".join(
        f"{_vaerdi(f, f'q.c{j}', params)} AS v{i}"
        for i, (f, j) in enumerate(zip(kilde.felter, kilde.placeringer, strict=True))
    )
    navne = ", ".join(f"c{i}" for i in range(len(kilde.kilder)))
    fra = f"(SELECT {vist} FROM ({indre}) AS q({navne}) OFFSET 0) AS v"
    if format == CSV:
        # One more layer, so each field's text is made once and then quoted.
        tekster = ", ".join(
            f"{_csv_tekst(f'v.v{i}', k.type)} AS p{i}" for i, k in enumerate(kolonner)
        )
        fra = f"(SELECT {tekster} FROM {fra} OFFSET 0) AS p"
        felter = [_csv_felt(f"p.p{i}", k.type) for i, k in enumerate(kolonner)]
        linje = f"concat_ws(';', {', '.join(felter)}) || chr(13) || chr(10)"
    else:
        celler = [_xlsx_celle(f"v.v{i}", k.type) for i, k in enumerate(kolonner)]
        linje = f"concat('<row>', {', '.join(celler)}, '</row>')"
    sql = f"SELECT {linje} FROM {fra}"
    return sql, [*params, *indre_params]


def linjer(kilde: Raekkekilde, kolonner: Sequence[Kolonne], format: str) -> Iterator[str]:
    """The finished lines, fetched ``HENT`` at a time through a server-side cursor."""
    sql, params = linje_sql(kilde, kolonner, format)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while raekker := cursor.fetchmany(HENT):
            for (linje,) in raekker:
                yield linje
