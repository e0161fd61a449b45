"""Overview figures kept current by the writes that change them.

The start page and Mine opgaver show counts and sums over every konto, claim, parkering and
task of a kommune. Computing them on each view is a scan of a million rows at a big kommune's
size; instead every figure is the sum of its rows in ``Taellingsdelta``, and those rows are
written by database triggers on the counted tables, in the same transaction as the change
(``Taeller`` below describes one; each app installs its own in a migration). So the figures
are exact whoever writes (a screen, the API, a linking run, an import by ``COPY``) and reading
them is one small query.

On PostgreSQL the triggers run once per statement over its transition tables (a bulk write
adds one row per kommune and figure, not one per row); on SQLite once per row. Rows are only
ever added, so concurrent writers never wait for each other on a counter; ``komprimer``
(Celery beat, and ``manage.py taellinger``) replaces a kommune's rows by their sums.

A figure that joins two tables (a parked sum per opgavepakke: parkeringer of konti with an
open task) is changed from both sides. Each side's trigger first locks the konti it touches
(``laas_konti``), then reads the other side in a fresh snapshot, so of two concurrent
transactions on one konto the second sees what the first committed and nothing is counted
twice or lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, QuerySet, Sum

from .models import Taellingsdelta

TABEL = "ky_debitor_taellingsdelta"
KONTO_TABEL = "fordringer_debitorkonto"


def oere(udtryk: str) -> str:
    """SQL for an amount in kroner (two decimals) as whole øre, on PostgreSQL and SQLite."""
    return f"CAST(ROUND({udtryk} * 100) AS BIGINT)"


@dataclass(frozen=True)
class Taeller:
    """Triggers on one table that keep some figures current.

    ``kolonner``: the columns the contributions read (``id`` first). ``aendret``: when an
    UPDATE matters, over ``{ny}`` and ``{gammel}`` (other updates add nothing). ``bidrag``:
    SELECTs of ``(kommune_id, noegle, del_id, vaerdi)`` over ``{r}``, the changed rows with a
    sign column ``f`` (+1 for a row as it is now, -1 for a row as it was). ``laas_konti``: lock
    the debitorkonti named in ``konto_id`` first (see the module's note).
    """

    navn: str
    tabel: str
    noegler: tuple[str, ...]  # the figures it adds to
    kolonner: tuple[str, ...]
    aendret: str
    bidrag: tuple[str, ...]
    laas_konti: bool = False
    fyld: bool = True  # counts from the table's rows as they are (a figure counted once)
    # SQL that differs between the databases: (name, PostgreSQL, SQLite), used as ``{name}``
    udtryk: tuple[tuple[str, str, str], ...] = ()

    def _indsaet(self, r: str, vendor: str) -> list[str]:
        felter = {navn: pg if vendor == "postgresql" else lite for navn, pg, lite in self.udtryk}
        return [
            f"INSERT INTO {TABEL} (kommune_id, noegle, del_id, vaerdi) "
            f"SELECT kommune_id, noegle, del_id, SUM(vaerdi) FROM ({b.format(r=r, **felter)}) b "
            "GROUP BY kommune_id, noegle, del_id HAVING SUM(vaerdi) <> 0;"
            for b in self.bidrag
        ]

    def fyld_sql(self, vendor: str, kommune_id: int | None = None) -> list[str]:
        """The figures of the table's rows as they are now (for a new install or a repair),
        the same contributions as the triggers add; of every kommune, or of one."""
        if not self.fyld:
            return []
        hvor = f" WHERE kommune_id = {int(kommune_id)}" if kommune_id is not None else ""
        kol = ", ".join(self.kolonner)
        return self._indsaet(f"(SELECT 1 AS f, {kol} FROM {self.tabel}{hvor})", vendor)

    # --- PostgreSQL: one function, three statement-level triggers ---------------------------

    def _pg_raekker(self, op: str) -> str:
        kol = ", ".join(self.kolonner)
        if op == "INSERT":
            return f"(SELECT 1 AS f, {kol} FROM nye)"
        if op == "DELETE":
            return f"(SELECT -1 AS f, {kol} FROM gamle)"
        n = ", ".join(f"n.{k}" for k in self.kolonner)
        g = ", ".join(f"g.{k}" for k in self.kolonner)
        par = "nye n JOIN gamle g ON g.id = n.id WHERE " + self.aendret.format(ny="n", gammel="g")
        return f"(SELECT 1 AS f, {n} FROM {par} UNION ALL SELECT -1 AS f, {g} FROM {par})"

    def _pg_gren(self, op: str) -> str:
        r = self._pg_raekker(op)
        trin = []
        if self.laas_konti:
            # Not when this transaction holds the whole konto table (a bulk import): then no
            # other transaction can lock a konto, and locking every row would only cost.
            trin.append(
                "IF NOT EXISTS (SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() "
                f"AND locktype = 'relation' AND relation = '{KONTO_TABEL}'::regclass "
                "AND granted AND mode IN ('ExclusiveLock', 'AccessExclusiveLock')) THEN\n"
                f"PERFORM 1 FROM (SELECT k.id FROM {KONTO_TABEL} k WHERE k.id IN "
                f"(SELECT konto_id FROM {r} r) ORDER BY k.id FOR NO KEY UPDATE) laas;\n"
                "END IF;"
            )
        return "\n".join(trin + self._indsaet(r, "postgresql"))

    def postgresql(self) -> list[str]:
        funktion = f"{self.navn}_taelling"
        krop = (
            f"IF TG_OP = 'INSERT' THEN\n{self._pg_gren('INSERT')}\n"
            f"ELSIF TG_OP = 'DELETE' THEN\n{self._pg_gren('DELETE')}\n"
            f"ELSE\n{self._pg_gren('UPDATE')}\nEND IF;"
        )
        sql = [
            f"CREATE OR REPLACE FUNCTION {funktion}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{krop}\nRETURN NULL;\nEND;\n$$;"
        ]
        henvisning = {
            "INSERT": "NEW TABLE AS nye",
            "UPDATE": "OLD TABLE AS gamle NEW TABLE AS nye",
            "DELETE": "OLD TABLE AS gamle",
        }
        for op, ref in henvisning.items():
            sql.append(
                f"CREATE TRIGGER {self.navn}_{op.lower()} AFTER {op} ON {self.tabel} "
                f"REFERENCING {ref} FOR EACH STATEMENT EXECUTE FUNCTION {funktion}();"
            )
        return sql

    # --- SQLite: three row-level triggers ------------------------------------------------------

    def _sqlite_raekke(self, fortegn: int, navn: str) -> str:
        kol = ", ".join(f"{navn}.{k} AS {k}" for k in self.kolonner)
        return f"SELECT {fortegn} AS f, {kol}"

    def sqlite(self) -> list[str]:
        ny, gammel = self._sqlite_raekke(1, "NEW"), self._sqlite_raekke(-1, "OLD")
        varianter = {
            "INSERT": ("", f"({ny})"),
            "DELETE": ("", f"({gammel})"),
            "UPDATE": (
                " WHEN " + self.aendret.format(ny="NEW", gammel="OLD"),
                f"({ny} UNION ALL {gammel})",
            ),
        }
        return [
            f"CREATE TRIGGER {self.navn}_{op.lower()} AFTER {op} ON {self.tabel} "
            f"FOR EACH ROW{naar} BEGIN\n" + "\n".join(self._indsaet(r, "sqlite")) + "\nEND;"
            for op, (naar, r) in varianter.items()
        ]

    def opret(self, vendor: str) -> list[str]:
        return self.postgresql() if vendor == "postgresql" else self.sqlite()

    def fjern(self, vendor: str) -> list[str]:
        sql = [
            f"DROP TRIGGER IF EXISTS {self.navn}_{op} ON {self.tabel};"
            if vendor == "postgresql"
            else f"DROP TRIGGER IF EXISTS {self.navn}_{op};"
            for op in ("insert", "update", "delete")
        ]
        if vendor == "postgresql":
            sql.append(f"DROP FUNCTION IF EXISTS {self.navn}_taelling();")
        noegler = ", ".join(f"'{n}'" for n in self.noegler)
        return [*sql, f"DELETE FROM {TABEL} WHERE noegle IN ({noegler});"]


def aendret(*kolonner: str) -> str:
    """An UPDATE matters when one of these columns changed."""
    return " OR ".join(f"{{ny}}.{k} IS DISTINCT FROM {{gammel}}.{k}" for k in kolonner)


def installer(schema_editor: object, taellere: Iterable[Taeller], *, fjern: bool = False) -> None:
    """Create the triggers and count what is already there (or drop them and their figures),
    in a migration's ``RunPython``."""
    forbindelse = schema_editor.connection  # type: ignore[attr-defined]
    vendor = forbindelse.vendor
    with forbindelse.cursor() as cursor:
        for taeller in taellere:
            sql = (
                taeller.fjern(vendor) if fjern else taeller.opret(vendor) + taeller.fyld_sql(vendor)
            )
            for saetning in sql:
                cursor.execute(saetning)


# --- Reading and compacting -------------------------------------------------------------------


def taellinger(user: object) -> dict[tuple[str, int], int]:
    """Every figure of the user's kommune (all kommuner for a platform operator), by
    ``(noegle, del_id)``; one query. A figure with no rows is absent (read it as 0)."""
    return _summer(Taellingsdelta.objects.for_user(user))


def kommune_taellinger(kommune_id: int) -> dict[tuple[str, int], int]:
    """Every figure of one kommune (for a report or a task that runs for a kommune)."""
    return _summer(Taellingsdelta.objects.for_kommune(kommune_id))


def _summer(raekker: QuerySet[Taellingsdelta]) -> dict[tuple[str, int], int]:
    return {
        (noegle, del_id): int(s)
        for noegle, del_id, s in raekker.values_list("noegle", "del_id")
        .annotate(s=Sum("vaerdi"))
        .values_list("noegle", "del_id", "s")
    }


def komprimer() -> int:
    """Replace the rows of every figure by one row holding their sum; returns rows removed.

    On PostgreSQL one statement (rows committed meanwhile are either summed or left, never
    lost); on SQLite the rows up to the highest id seen, in one transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH slettet AS (DELETE FROM {TABEL} "
                "RETURNING kommune_id, noegle, del_id, vaerdi), "
                f"ny AS (INSERT INTO {TABEL} (kommune_id, noegle, del_id, vaerdi) "
                "SELECT kommune_id, noegle, del_id, SUM(vaerdi) FROM slettet "
                "GROUP BY kommune_id, noegle, del_id HAVING SUM(vaerdi) <> 0 RETURNING 1) "
                "SELECT (SELECT COUNT(*) FROM slettet) - (SELECT COUNT(*) FROM ny)"
            )
            return int(cursor.fetchone()[0])
    with transaction.atomic():
        graense = Taellingsdelta.objects.aggregate(m=Max("id"))["m"]
        if graense is None:
            return 0
        raekker = Taellingsdelta.objects.filter(id__lte=graense)
        summer = [
            Taellingsdelta(kommune_id=k, noegle=n, del_id=d, vaerdi=s)
            for k, n, d, s in raekker.values_list("kommune_id", "noegle", "del_id")
            .annotate(s=Sum("vaerdi"))
            .values_list("kommune_id", "noegle", "del_id", "s")
            if s
        ]
        fjernet, _ = raekker.delete()
        Taellingsdelta.objects.bulk_create(summer)
        return fjernet - len(summer)


def genopbyg(kommune_id: int, vaerdier: dict[tuple[str, int], int]) -> None:
    """Set a kommune's figures to ``vaerdier`` (counted from the tables by the caller, under a
    lock that keeps writers out): for repair after a change made with the triggers off."""
    Taellingsdelta.objects.for_kommune(kommune_id).delete()
    Taellingsdelta.objects.bulk_create(
        Taellingsdelta(kommune_id=kommune_id, noegle=n, del_id=d, vaerdi=v)
        for (n, d), v in vaerdier.items()
        if v
    )
