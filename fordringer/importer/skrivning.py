"""Writing a validated extract: set-based upserts from the staging tables (DESIGN §4.2, §6).

Master data (borgere, sager, bevillinger, konti, fordringer) is inserted when new and its
mutable fields updated only where they differ (``IS DISTINCT FROM``), so a second run of the
same files touches no row. The ledger is only ever appended to: a HOVEDSTOL entry for each new
fordring and one credit entry per dækning not yet booked (``ekstern_id`` = daekningsid);
running totals (``restance``, ``daekket``) move with them, and dækninger and afskrivninger on
unlinked KMD Aktiv konti are parked as ``ledger.skal_parkeres`` decides for a single entry.
The same SQL runs on PostgreSQL and SQLite.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Max

from fordringer.choices import (
    IMPORT_KREDIT_ARTER,
    PARKERBARE_ARTER,
    Kilde,
    KontoStatus,
    PosteringArt,
    Renteregime,
    Tilknytning,
)
from fordringer.eindkomst.services import eindkomst_afstem
from fordringer.models import Fordring, Parkering
from fordringer.rente.services import renteregime_stempl

from .kontrol import (
    BEVILLING,
    BORGER,
    FORDRING,
    INDBETALING,
    KONTO,
    NYE_DAEKNINGER,
    POSTERING,
    SAG,
)
from .resultat import ImportResultat

logger = logging.getLogger(__name__)

PARKERING = Parkering._meta.db_table


@dataclass(frozen=True)
class Kontekst:
    nu: dt.datetime
    idag: dt.date
    aktoer: str


def _koer(cursor: CursorWrapper, sql: str, params: tuple[Any, ...] = ()) -> int:
    start = time.perf_counter()
    cursor.execute(sql, params)
    antal = max(cursor.rowcount, 0)
    logger.debug("%.2f s, %d rækker: %s", time.perf_counter() - start, antal, sql.split()[:3])
    return antal


def skriv(cursor: CursorWrapper, kontekst: Kontekst, resultat: ImportResultat) -> None:
    """Upsert every staging table and book the ledger; counts go into ``resultat``."""
    nu = connection.ops.adapt_datetimefield_value(kontekst.nu)
    idag = connection.ops.adapt_datefield_value(kontekst.idag)
    op, opd = resultat.oprettet, resultat.opdateret

    op["borgere"], opd["borgere"] = _borgere(cursor)
    op["sager"], opd["sager"] = _sager(cursor)
    op["bevillinger"], opd["bevillinger"] = _bevillinger(cursor)
    op["debitorkonti"], opd["debitorkonti"] = _konti(cursor)

    opd["fordringer"] = _fordringer_opdater(cursor)
    foer = Fordring.objects.aggregate(hoejeste=Max("pk"))["hoejeste"] or 0
    op["fordringer"], hovedstol = _fordringer_opret(cursor, nu, idag, kontekst.aktoer)
    # New claims that arrive with a ydelsestype get its interest regime (DESIGN §7); the rest
    # get theirs when they are linked.
    renteregime_stempl(Fordring.objects.filter(pk__gt=foer), idag=kontekst.idag)
    _koer(
        cursor,
        f"""
        CREATE TEMPORARY TABLE imp_nye_daekninger AS
        SELECT n.linje, n.kommune_id, n.daekningsid, n.art, n.beloeb, n.valoerdato,
            n.indbetalingsid, f.id AS fordring_id, f.ydelsestype_id, k.id AS konto_id, k.kilde,
            k.tilknytning, k.borger_id
        FROM ({NYE_DAEKNINGER}) n
        JOIN {FORDRING} f ON f.kommune_id = n.kommune_id AND f.fordringsid = n.fordringsid
        JOIN {KONTO} k ON k.id = f.konto_id
        """,
    )
    if connection.vendor == "postgresql":
        _koer(cursor, "ANALYZE imp_nye_daekninger")
    op["indbetalinger"], opd["indbetalinger"] = _indbetalinger(cursor)
    kredit, op["parkeringer"] = _kreditposteringer(cursor, nu, kontekst.aktoer)
    op["posteringer"] = hovedstol + kredit
    # A dækning booked straight to income (not parked) gets its eIndkomst line now, as the
    # ledger gives it to every other booking.
    cursor.execute(
        """
        SELECT DISTINCT n.fordring_id FROM imp_nye_daekninger n
        WHERE n.art = %s AND n.ydelsestype_id IS NOT NULL
            AND NOT (n.kilde = %s AND n.tilknytning = %s)
        """,
        (PosteringArt.DAEKNING.value, Kilde.KMD_AKTIV.value, Tilknytning.INGEN.value),
    )
    eindkomst_afstem(fordring_ids=[r[0] for r in cursor.fetchall()], idag=kontekst.idag)


def _taelling(cursor: CursorWrapper, sql: str, params: tuple[Any, ...]) -> tuple[int, int]:
    """Run a PostgreSQL statement whose CTEs insert into two tables and count both."""
    start = time.perf_counter()
    cursor.execute(sql, params)
    foerste, anden = cursor.fetchone()
    logger.debug(
        "%.2f s, %d + %d rækker: %s", time.perf_counter() - start, foerste, anden, sql.split()[:6]
    )
    return int(foerste), int(anden)


def _borgere(cursor: CursorWrapper) -> tuple[int, int]:
    """One borger per kommune and CPR named in sager, bevillinger or konti.

    The name comes from the konti file before sager before bevillinger (the last row wins
    within a file); an empty name never blanks a known one.
    """
    _koer(
        cursor,
        """
        CREATE TEMPORARY TABLE imp_borgere AS
        SELECT kommune_id, cpr, navn FROM (
            SELECT kommune_id, cpr, navn, row_number() OVER (
                PARTITION BY kommune_id, cpr ORDER BY navn = '', kilde, linje DESC
            ) AS nr
            FROM (
                SELECT kommune_id, cpr, navn, 1 AS kilde, linje FROM imp_debitorkonti
                UNION ALL SELECT kommune_id, cpr, navn, 2, linje FROM imp_sager
                UNION ALL SELECT kommune_id, cpr, navn, 3, linje FROM imp_bevillinger
            ) alle
        ) valgt
        WHERE nr = 1
        """,
    )
    opdateret = _koer(
        cursor,
        f"""
        UPDATE {BORGER} AS t SET navn = s.navn FROM imp_borgere s
        WHERE t.kommune_id = s.kommune_id AND t.cpr = s.cpr AND s.navn <> '' AND t.navn <> s.navn
        """,
    )
    oprettet = _koer(
        cursor,
        f"""
        INSERT INTO {BORGER} (kommune_id, cpr, navn)
        SELECT s.kommune_id, s.cpr, s.navn FROM imp_borgere s
        WHERE NOT EXISTS (
            SELECT 1 FROM {BORGER} b WHERE b.kommune_id = s.kommune_id AND b.cpr = s.cpr
        )
        """,
    )
    return oprettet, opdateret


def _sager(cursor: CursorWrapper) -> tuple[int, int]:
    opdateret = _koer(
        cursor,
        f"""
        UPDATE {SAG} AS t SET status = s.status FROM imp_sager s
        WHERE t.kommune_id = s.kommune_id AND t.sagsnummer = s.sagsnummer
            AND t.status <> s.status
        """,
    )
    oprettet = _koer(
        cursor,
        f"""
        INSERT INTO {SAG} (kommune_id, sagsnummer, borger_id, ydelseskode, ydelsestype_id,
            status, oprettet_ved_tilknytning)
        SELECT s.kommune_id, s.sagsnummer, b.id, s.ydelseskode, s.ydelsestype_id, s.status,
            FALSE
        FROM imp_sager s
        JOIN {BORGER} b ON b.kommune_id = s.kommune_id AND b.cpr = s.cpr
        WHERE NOT EXISTS (
            SELECT 1 FROM {SAG} g
            WHERE g.kommune_id = s.kommune_id AND g.sagsnummer = s.sagsnummer
        )
        ORDER BY s.linje
        """,
    )
    return oprettet, opdateret


_BEVILLING_MED_SAG = f"""
    SELECT s.kommune_id, s.bevillingsnummer, s.ydelseskode, s.periode_fra, s.periode_til,
        s.tilbagebetalingspligt = 1 AS tilbagebetalingspligt, s.loebende = 1 AS loebende,
        s.cpr, s.linje, g.id AS sag_id
    FROM imp_bevillinger s
    LEFT JOIN {SAG} g ON g.kommune_id = s.kommune_id AND g.sagsnummer = s.sagsnummer
        AND s.sagsnummer <> ''
"""


def _bevillinger(cursor: CursorWrapper) -> tuple[int, int]:
    # An empty sagsnummer does not unlink a sag KY has since attached (sagsoprettelse).
    opdateret = _koer(
        cursor,
        f"""
        UPDATE {BEVILLING} AS t SET periode_til = s.periode_til,
            tilbagebetalingspligt = s.tilbagebetalingspligt, loebende = s.loebende,
            sag_id = COALESCE(s.sag_id, t.sag_id)
        FROM ({_BEVILLING_MED_SAG}) s
        WHERE t.kommune_id = s.kommune_id AND t.bevillingsnummer = s.bevillingsnummer
            AND (t.periode_til IS DISTINCT FROM s.periode_til
                OR t.tilbagebetalingspligt <> s.tilbagebetalingspligt
                OR t.loebende <> s.loebende
                OR (s.sag_id IS NOT NULL AND t.sag_id IS DISTINCT FROM s.sag_id))
        """,
    )
    oprettet = _koer(
        cursor,
        f"""
        INSERT INTO {BEVILLING} (kommune_id, bevillingsnummer, borger_id, ydelseskode,
            periode_fra, periode_til, tilbagebetalingspligt, loebende, sag_id)
        SELECT s.kommune_id, s.bevillingsnummer, b.id, s.ydelseskode, s.periode_fra,
            s.periode_til, s.tilbagebetalingspligt, s.loebende, s.sag_id
        FROM ({_BEVILLING_MED_SAG}) s
        JOIN {BORGER} b ON b.kommune_id = s.kommune_id AND b.cpr = s.cpr
        WHERE NOT EXISTS (
            SELECT 1 FROM {BEVILLING} v
            WHERE v.kommune_id = s.kommune_id AND v.bevillingsnummer = s.bevillingsnummer
        )
        ORDER BY s.linje
        """,
    )
    return oprettet, opdateret


def _konti(cursor: CursorWrapper) -> tuple[int, int]:
    """Konti: new ones as the file has them; stored ones get the file's frigivelsestype, and its
    status only where the file closes an open konto or reopens a closed one. Every other status
    is KY's to derive (``kontostatus``, after the writing), so a second run changes nothing."""
    lukket = KontoStatus.LUKKET.value
    opdateret = _koer(
        cursor,
        f"""
        UPDATE {KONTO} AS t SET
            status = CASE WHEN (t.status = %s) = (s.status = %s) THEN t.status ELSE s.status END,
            frigivelsestype = s.frigivelsestype
        FROM imp_debitorkonti s
        WHERE t.kommune_id = s.kommune_id AND t.kontonummer = s.kontonummer
            AND ((t.status = %s) <> (s.status = %s) OR t.frigivelsestype <> s.frigivelsestype)
        """,
        (lukket, lukket, lukket, lukket),
    )
    oprettet = _koer(
        cursor,
        f"""
        INSERT INTO {KONTO} (kommune_id, kontonummer, borger_id, kilde, status, frigivelsestype,
            bevilling_id, sag_id, tilknytning, tilknyttet_af_id, tilknyttet_tid)
        SELECT s.kommune_id, s.kontonummer, b.id, s.kilde, s.status, s.frigivelsestype,
            NULL, NULL, %s, NULL, NULL
        FROM imp_debitorkonti s
        JOIN {BORGER} b ON b.kommune_id = s.kommune_id AND b.cpr = s.cpr
        WHERE NOT EXISTS (
            SELECT 1 FROM {KONTO} k
            WHERE k.kommune_id = s.kommune_id AND k.kontonummer = s.kontonummer
        )
        ORDER BY s.linje
        """,
        (Tilknytning.INGEN.value,),
    )
    return oprettet, opdateret


def _fordringer_opdater(cursor: CursorWrapper) -> int:
    """Stored fordringer: the mutable fields from the file, the restance lowered by the new
    dækninger. Reference and ydelsestype are left alone: the linking sets them."""
    _koer(
        cursor,
        f"""
        CREATE TEMPORARY TABLE imp_fordring_aendringer AS
        SELECT f.id, s.opkraevningstilstand, s.rykkerniveau, s.inddrivelse, 0 AS kredit
        FROM imp_fordringer s
        JOIN {FORDRING} f ON f.kommune_id = s.kommune_id AND f.fordringsid = s.fordringsid
        WHERE f.opkraevningstilstand <> s.opkraevningstilstand
            OR f.rykkerniveau <> s.rykkerniveau OR f.inddrivelse <> (s.inddrivelse = 1)
        UNION ALL
        SELECT f.id, NULL, NULL, NULL, sum(n.beloeb)
        FROM ({NYE_DAEKNINGER}) n
        JOIN {FORDRING} f ON f.kommune_id = n.kommune_id AND f.fordringsid = n.fordringsid
        GROUP BY f.id
        """,
    )
    return _koer(
        cursor,
        f"""
        UPDATE {FORDRING} AS t SET
            opkraevningstilstand = COALESCE(a.opkraevningstilstand, t.opkraevningstilstand),
            rykkerniveau = COALESCE(a.rykkerniveau, t.rykkerniveau),
            inddrivelse = COALESCE(a.inddrivelse = 1, t.inddrivelse),
            restance = t.restance - a.kredit / 100.0
        FROM (
            SELECT id, max(opkraevningstilstand) AS opkraevningstilstand,
                max(rykkerniveau) AS rykkerniveau, max(inddrivelse) AS inddrivelse,
                sum(kredit) AS kredit
            FROM imp_fordring_aendringer GROUP BY id
        ) a
        WHERE t.id = a.id
        """,
    )


_POSTERING_KOLONNER = """(kommune_id, fordring_id, art, beloeb, valoerdato, bogfoert,
    indbetaling_id, tilbagefoerer_id, ekstern_id, tekst, aktoer)"""


def _fordringer_opret(
    cursor: CursorWrapper, nu: object, idag: object, aktoer: str
) -> tuple[int, int]:
    """New fordringer and their HOVEDSTOL entries; returns how many of each.

    Kilde is the konto's; the restance is the hovedstol less the file's credits on it (a new
    fordring has no other entries). The entry is dated at the due date, else the start of the
    period, else today.
    """
    fordringer = f"""
        INSERT INTO {FORDRING} (kommune_id, fordringsid, konto_id, kilde, kmd_aktiv_reference,
            reference_kilde, ydelseskode, ydelsestype_id, tekst, periode_fra, periode_til,
            forfaldsdato, hovedstol, restance, opkraevningstilstand, rykkerniveau, inddrivelse,
            renteregime)
        SELECT s.kommune_id, s.fordringsid, k.id, k.kilde, s.kmd_aktiv_reference, %s,
            s.ydelseskode, s.ydelsestype_id, s.tekst, s.periode_fra, s.periode_til,
            s.forfaldsdato, s.hovedstol / 100.0, (s.hovedstol - COALESCE(d.kredit, 0)) / 100.0,
            s.opkraevningstilstand, s.rykkerniveau, s.inddrivelse = 1, %s
        FROM imp_fordringer s
        JOIN {KONTO} k ON k.kommune_id = s.kommune_id AND k.kontonummer = s.kontonummer
        LEFT JOIN (
            SELECT kommune_id, fordringsid, sum(beloeb) AS kredit FROM imp_daekninger
            GROUP BY kommune_id, fordringsid
        ) d ON d.kommune_id = s.kommune_id AND d.fordringsid = s.fordringsid
        WHERE NOT EXISTS (
            SELECT 1 FROM {FORDRING} f
            WHERE f.kommune_id = s.kommune_id AND f.fordringsid = s.fordringsid
        )
        ORDER BY s.linje
    """
    fordring_params = (Tilknytning.IMPORT.value, Renteregime.INGEN.value)
    hovedstol = f"""
        INSERT INTO {POSTERING} {_POSTERING_KOLONNER}
        SELECT f.kommune_id, f.id, %s, f.hovedstol, COALESCE(f.forfaldsdato, f.periode_fra, %s),
            %s, NULL, NULL, '', %s, %s
    """
    art = PosteringArt.HOVEDSTOL
    hovedstol_params = (art.value, idag, nu, art.label, aktoer)
    if connection.vendor == "postgresql":
        return _taelling(
            cursor,
            f"""
            WITH ny AS (
                {fordringer} RETURNING id, kommune_id, hovedstol, forfaldsdato, periode_fra
            ), hovedstol AS (
                {hovedstol} FROM ny f ORDER BY f.id RETURNING 1
            )
            SELECT (SELECT count(*) FROM ny), (SELECT count(*) FROM hovedstol)
            """,
            fordring_params + hovedstol_params,
        )
    cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {FORDRING}")
    vandmaerke = cursor.fetchone()[0]
    oprettet = _koer(cursor, fordringer, fordring_params)
    posteret = _koer(
        cursor,
        f"""
        {hovedstol} FROM {FORDRING} f
        WHERE f.id > %s AND NOT EXISTS (
            SELECT 1 FROM {POSTERING} p WHERE p.fordring_id = f.id AND p.art = %s
        )
        ORDER BY f.id
        """,
        (*hovedstol_params, vandmaerke, art.value),
    )
    return oprettet, posteret


def _indbetalinger(cursor: CursorWrapper) -> tuple[int, int]:
    """One indbetaling per indbetalingsid: amount = covered = the sum of its dækninger.

    New dækninger on a stored indbetaling raise what it covers, and its amount only as far as
    needed (an indbetaling never covers more than its amount). The borger is the konti's when
    they agree, else unknown.
    """
    pr_indbetaling = """
        SELECT kommune_id, indbetalingsid, sum(beloeb) AS kredit, min(valoerdato) AS valoerdato,
            CASE WHEN min(borger_id) = max(borger_id) THEN min(borger_id) END AS borger_id
        FROM imp_nye_daekninger WHERE indbetalingsid <> ''
        GROUP BY kommune_id, indbetalingsid
    """
    opdateret = _koer(
        cursor,
        f"""
        UPDATE {INDBETALING} AS t SET daekket = t.daekket + a.kredit / 100.0,
            beloeb = CASE WHEN t.daekket + a.kredit / 100.0 > t.beloeb
                THEN t.daekket + a.kredit / 100.0 ELSE t.beloeb END,
            valoerdato = CASE WHEN a.valoerdato < t.valoerdato THEN a.valoerdato
                ELSE t.valoerdato END
        FROM ({pr_indbetaling}) a
        WHERE t.kommune_id = a.kommune_id AND t.indbetalingsid = a.indbetalingsid
        """,
    )
    oprettet = _koer(
        cursor,
        f"""
        INSERT INTO {INDBETALING} (kommune_id, indbetalingsid, borger_id, beloeb, daekket,
            valoerdato)
        SELECT a.kommune_id, a.indbetalingsid, a.borger_id, a.kredit / 100.0, a.kredit / 100.0,
            a.valoerdato
        FROM ({pr_indbetaling}) a
        WHERE NOT EXISTS (
            SELECT 1 FROM {INDBETALING} i
            WHERE i.kommune_id = a.kommune_id AND i.indbetalingsid = a.indbetalingsid
        )
        """,
    )
    return oprettet, opdateret


def _kreditposteringer(cursor: CursorWrapper, nu: object, aktoer: str) -> tuple[int, int]:
    """One credit entry per new dækning, and its parking where ``ledger.skal_parkeres`` would
    park it: a dækning or afskrivning on a KMD Aktiv konto that is not linked, or on a claim
    without ydelsestype, waits (DESIGN §5). Returns (entries, parkings)."""
    tekster: list[object] = []
    for art in IMPORT_KREDIT_ARTER:
        tekster += [art.value, art.label]
    kredit = f"""
        INSERT INTO {POSTERING} {_POSTERING_KOLONNER}
        SELECT n.kommune_id, n.fordring_id, n.art, -n.beloeb / 100.0, n.valoerdato, %s, i.id,
            NULL, n.daekningsid, CASE n.art WHEN %s THEN %s WHEN %s THEN %s WHEN %s THEN %s END,
            %s
        FROM imp_nye_daekninger n
        LEFT JOIN {INDBETALING} i ON i.kommune_id = n.kommune_id
            AND i.indbetalingsid = n.indbetalingsid AND n.indbetalingsid <> ''
        ORDER BY n.linje
    """
    kredit_params = (nu, *tekster, aktoer)
    parker = f"""
        INSERT INTO {PARKERING} (kommune_id, postering_id, konto_id, beloeb, parkeret, frigivet)
        SELECT n.kommune_id, p.id, n.konto_id, n.beloeb / 100.0, %s, NULL
    """
    parkeres = """
        n.art IN (%s, %s) AND n.kilde = %s AND (n.tilknytning = %s OR n.ydelsestype_id IS NULL)
        ORDER BY p.id
    """
    parker_params = (
        nu,
        *(art.value for art in PARKERBARE_ARTER),
        Kilde.KMD_AKTIV.value,
        Tilknytning.INGEN.value,
    )
    if connection.vendor == "postgresql":
        return _taelling(
            cursor,
            f"""
            WITH p AS ({kredit} RETURNING id, kommune_id, ekstern_id),
            parkeret AS (
                {parker} FROM p
                JOIN imp_nye_daekninger n
                    ON n.kommune_id = p.kommune_id AND n.daekningsid = p.ekstern_id
                WHERE {parkeres} RETURNING 1
            )
            SELECT (SELECT count(*) FROM p), (SELECT count(*) FROM parkeret)
            """,
            kredit_params + parker_params,
        )
    posteret = _koer(cursor, kredit, kredit_params)
    parkeret = _koer(
        cursor,
        f"""
        {parker} FROM imp_nye_daekninger n
        JOIN {POSTERING} p ON p.kommune_id = n.kommune_id AND p.ekstern_id = n.daekningsid
            AND NOT (p.ekstern_id = '')
        WHERE {parkeres}
        """,
        parker_params,
    )
    return posteret, parkeret
