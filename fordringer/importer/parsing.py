"""Reading Danish CSV files and parsing their fields, fast (DESIGN §6).

Files are semicolon-separated, UTF-8 with or without BOM, or Windows-1252 when the bytes are not
UTF-8 and plausibly Windows-1252 (``kodning.py`` decides, strictly). A line without a quote
character is split with ``str.split`` (the same result the ``csv`` module gives for such a
line, several times faster); a line with quotes goes through ``csv.reader`` in strict mode,
which also joins a quoted field that spans several lines. Row numbers are physical line numbers
(the header is line 1).

Field parsers keep the happy path free of exceptions: each keeps a cache of raw text → parsed
value (dates and amounts repeat a lot) and only a miss calls the slow parser, which raises
``RaekkeFejl`` with a Danish reason. Parsed values are strings ready for the staging tables;
``NULL`` stands for SQL NULL.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TextIO

from fordringer.cpr import cpr_normaliser
from ky_debitor.errors import ApplicationError
from ky_debitor.money import parse_beloeb

from .kodning import UTF16, KodningsFejl, find_kodning

# Stands for SQL NULL in staging rows. A NUL character can never be data: rows holding one are
# rejected while reading.
NULL = "\x00"

_CHUNK = 1 << 20
_MAKS_LINJER_I_FELT = 50  # physical lines one quoted record may span
_MAKS_CACHE = 300_000  # entries per value cache; keeps memory bounded on very varied files

# Receives a bad row: its number, the Danish reason, and its fields as far as they could be read
# (empty for a bad header).
Fejlsink = Callable[[int, str, Sequence[str]], None]


class RaekkeFejl(Exception):
    """A field is bad; the message is the Danish reason shown after ``fil:række:``."""

    def __init__(self, aarsag: str) -> None:
        super().__init__(aarsag)
        self.aarsag = aarsag


def laes_overskrift(fh: TextIO) -> list[str] | None:
    """The header row's column names (trimmed, lower case), or None for an empty file."""
    linje = fh.readline()
    if not linje.strip():
        return None
    felter = next(csv.reader([linje.rstrip("\r\n")], delimiter=";"), [])
    return [navn.strip().lstrip("\ufeff").strip().lower() for navn in felter]


def laes_raekker(fh: TextIO, fejl: Fejlsink) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row number, fields)`` for every non-empty data line after the header.

    Bad CSV (an unterminated quote, a NUL character) is reported through ``fejl`` and skipped.
    """
    linje = 1
    rest = ""
    venter: list[str] = []  # physical lines of a quoted record not yet complete
    start = 0
    while True:
        chunk = fh.read(_CHUNK)
        tekst = rest + chunk
        if "\r" in tekst:
            tekst = tekst.replace("\r\n", "\n")
        if chunk:
            cut = tekst.rfind("\n")
            if cut < 0:
                rest = tekst
                continue
            krop, rest = tekst[:cut], tekst[cut + 1 :]
        else:
            krop, rest = tekst, ""
            if not krop and not venter:
                return
        linjer = krop.split("\n")
        if not venter and '"' not in krop and "\x00" not in krop and "\r" not in krop:
            for tekstlinje in linjer:
                linje += 1
                if tekstlinje:
                    yield linje, tekstlinje.split(";")
        else:
            for tekstlinje in linjer:
                linje += 1
                if venter:
                    venter.append(tekstlinje)
                    felter = _parse_citeret(venter)
                    if felter is not None:
                        if isinstance(felter, str):
                            fejl(start, felter, venter[0].split(";"))
                        else:
                            yield start, felter
                        venter = []
                    elif len(venter) > _MAKS_LINJER_I_FELT:
                        fejl(start, "anførselstegn er ikke afsluttet", venter[0].split(";"))
                        venter = []
                    continue
                if tekstlinje.endswith("\r"):
                    tekstlinje = tekstlinje[:-1]
                if not tekstlinje:
                    continue
                if "\x00" in tekstlinje:
                    fejl(linje, "rækken indeholder et NUL-tegn", tekstlinje.split(";"))
                elif '"' in tekstlinje:
                    felter = _parse_citeret([tekstlinje])
                    if felter is None:
                        venter, start = [tekstlinje], linje
                    elif isinstance(felter, str):
                        fejl(linje, felter, tekstlinje.split(";"))
                    else:
                        yield linje, felter
                else:
                    yield linje, tekstlinje.split(";")
        if not chunk:
            if venter:
                fejl(start, "anførselstegn er ikke afsluttet", venter[0].split(";"))
            return


def _parse_citeret(linjer: list[str]) -> list[str] | str | None:
    """Fields of a quoted record, a Danish reason if it is bad CSV, None if it goes on."""
    try:
        return next(csv.reader(["\n".join(linjer)], delimiter=";", strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return None
        if "field larger than field limit" in str(exc):
            return "ugyldig CSV: et felt er for langt"
        return "ugyldig CSV: anførselstegn står forkert"


# --- Field parsers ------------------------------------------------------------------------------

JA_NEJ = {"J": "1", "N": "0", "j": "1", "n": "0", "": "0"}
# The contract's bounds (README "Importing a KMD Aktiv extract"): every date of the extract lies
# in these years.
FOERSTE_AAR, SIDSTE_AAR = 1990, 2100
# An identifier never starts with a sign; a field starting with one of these (or "0") takes the
# slow path through ``noegle``, which tells which.
FORTEGN = "-+\u2212"
IKKE_FOERST_I_ID = FORTEGN + "0"


class Felter:
    """Parsers for the field kinds of the extract, with caches of already parsed values."""

    def __init__(self, *, kommuner: dict[int, int], ydelseskoder: dict[str, int]) -> None:
        self._kommune_id = kommuner
        self._ydelseskoder = {kode.upper(): str(pk) for kode, pk in ydelseskoder.items()}
        self.kommune: dict[str, str] = {}
        self.dato: dict[str, str] = {"": NULL}
        self.oere: dict[str, str] = {}
        self.ydelsestype: dict[str, str] = {"": NULL}
        self.heltal: dict[str, str] = {"": "0"}
        self._cpr_datoer: dict[str, bool] = {}

    def kommune_ny(self, tekst: str) -> str:
        raw = tekst.strip()
        if not raw:
            raise RaekkeFejl("kommunekode mangler")
        kode = int(raw) if raw.isdigit() and raw.isascii() else None
        if kode is None or kode not in self._kommune_id:
            raise RaekkeFejl(f"ukendt kommunekode {raw}")
        self.kommune[tekst] = value = str(self._kommune_id[kode])
        return value

    def dato_ny(self, tekst: str, felt: str) -> str:
        raw = tekst.strip()
        if not raw:
            return NULL
        dag, maaned, aar = raw[:2], raw[3:5], raw[6:]
        gyldig = len(raw) == 10 and raw[2] == raw[5] == "-" and (dag + maaned + aar).isdigit()
        try:
            if not gyldig or not raw.isascii():
                raise ValueError
            value = dt.date(int(aar), int(maaned), int(dag)).isoformat()
        except ValueError:
            raise RaekkeFejl(f"{felt}: ugyldig dato '{raw}' (brug dd-mm-åååå)") from None
        if not FOERSTE_AAR <= int(aar) <= SIDSTE_AAR:
            raise RaekkeFejl(
                f"{felt}: datoen {raw} ligger uden for det tilladte interval "
                f"01-01-{FOERSTE_AAR} til 31-12-{SIDSTE_AAR}"
            )
        self._gem(self.dato, tekst, value)
        return value

    def beloeb_ny(self, tekst: str, felt: str) -> str:
        """Amount in øre as text (``1.234,56`` → ``123456``), via ``parse_beloeb``."""
        try:
            beloeb = parse_beloeb(tekst)
        except ApplicationError as exc:
            raise RaekkeFejl(f"{felt}: {exc.message}") from None
        value = str(int(beloeb * 100))
        self._gem(self.oere, tekst, value)
        return value

    def ydelsestype_ny(self, kode: str) -> str:
        value = self._ydelseskoder.get(kode.strip().upper(), NULL)
        self._gem(self.ydelsestype, kode, value)
        return value

    def heltal_ny(self, tekst: str, felt: str, maks: int) -> str:
        raw = tekst.strip()
        if not raw:
            return "0"
        if not (raw.isdigit() and raw.isascii()) or int(raw) > maks:
            raise RaekkeFejl(f"{felt}: ugyldigt tal '{raw}' (et helt tal fra 0 til {maks})")
        value = str(int(raw))
        self._gem(self.heltal, tekst, value)
        return value

    def cpr(self, tekst: str) -> str:
        """Ten digits, no dash; the first six a real date (``fordringer.cpr`` rules)."""
        cpr = tekst[:6] + tekst[7:] if len(tekst) == 11 and tekst[6] == "-" else tekst
        if len(cpr) == 10 and cpr.isdigit() and cpr.isascii():
            dato = cpr[:6]
            gyldig = self._cpr_datoer.get(dato)
            if gyldig is None:
                gyldig = self._cpr_datoer[dato] = _cpr_dato(dato)
            if gyldig:
                return cpr
        try:
            return cpr_normaliser(tekst)
        except ApplicationError as exc:
            raise RaekkeFejl(exc.message) from None

    @staticmethod
    def _gem(cache: dict[str, str], noegle: str, value: str) -> None:
        if len(cache) >= _MAKS_CACHE:
            cache.clear()
        cache[noegle] = value


def _cpr_dato(ddmmyy: str) -> bool:
    try:
        cpr_normaliser(ddmmyy + "0000")
    except ApplicationError:
        return False
    return True


def noegle(tekst: str, felt: str, *, maks: int = 40) -> str:
    """A required identifier (trimmed, at most ``maks`` characters, positive: no sign and not
    all zeros)."""
    raw = tekst.strip()
    if not raw:
        raise RaekkeFejl(f"{felt} mangler")
    if len(raw) > maks:
        raise RaekkeFejl(f"{felt} er længere end {maks} tegn")
    if raw[0] in FORTEGN or not raw.strip("0"):
        raise RaekkeFejl(
            f"{felt}: '{raw}' er ikke et gyldigt id (et id skal være positivt: uden fortegn og "
            "ikke 0)"
        )
    return raw


def valgfri_noegle(tekst: str, felt: str) -> str:
    """An identifier that may be empty; when given, ``noegle``'s rules hold."""
    return noegle(tekst, felt) if tekst.strip() else ""


def valg(tekst: str, felt: str, tilladte: dict[str, str]) -> str:
    """One of a fixed set of codes; the reason lists the allowed ones."""
    raw = tekst.strip()
    if raw in tilladte:
        return tilladte[raw]
    if not raw:
        raise RaekkeFejl(f"{felt} mangler")
    koder = ", ".join(k for k in tilladte if k)
    raise RaekkeFejl(f"{felt}: ugyldig værdi '{raw}' (tilladt: {koder})")


def ja_nej(tekst: str, felt: str) -> str:
    raw = tekst.strip()
    if raw in JA_NEJ:
        return JA_NEJ[raw]
    raise RaekkeFejl(f"{felt}: ugyldig værdi '{raw}' (brug J eller N)")


def fri_tekst(tekst: str, felt: str, maks: int) -> str:
    raw = tekst.strip()
    if len(raw) > maks:
        raise RaekkeFejl(f"{felt} er længere end {maks} tegn")
    return raw


def laes_csv(
    sti: Path, kolonner: tuple[str, ...], valgfri: tuple[str, ...], fejl: Fejlsink
) -> Iterator[tuple[int, Sequence[str]]]:
    """Rows of one file with their fields in the order ``kolonner + valgfri``.

    The header must hold every column of ``kolonner``, may hold those of ``valgfri`` (an absent
    one reads as empty) and nothing else, in any order. Header problems are reported on line 1
    and the file then yields nothing; a row with the wrong number of fields is reported and
    skipped.
    """
    try:
        kodning = find_kodning(sti)
    except KodningsFejl as exc:
        fejl(exc.linje, exc.aarsag, ())
        return
    if kodning == UTF16:
        fejl(1, "filen er gemt som UTF-16; gem den som CSV (UTF-8 eller Windows-1252)", ())
        return
    try:
        with sti.open(encoding=kodning, newline="") as fh:
            overskrift = laes_overskrift(fh)
            if overskrift is None:
                fejl(1, "filen er tom (overskriftsrækken mangler)", ())
                return
            orden = _kolonneorden(overskrift, kolonner, valgfri, fejl)
            if orden is None:
                return
            antal = len(overskrift)

            def daarlig(linje: int, aarsag: str, felter: Sequence[str]) -> None:
                # Pass on the fields in contract order as far as the bad row allows.
                if orden is _SAMME_ORDEN:
                    fejl(linje, aarsag, felter)
                elif orden is not None and len(felter) >= antal:
                    fejl(linje, aarsag, orden(list(felter[:antal])))
                else:
                    fejl(linje, aarsag, ())

            for linje, felter in laes_raekker(fh, daarlig):
                if len(felter) != antal:
                    daarlig(
                        linje,
                        f"rækken har {len(felter)} felter, men overskriften har {antal}",
                        felter,
                    )
                elif orden is _SAMME_ORDEN:
                    yield linje, felter
                else:
                    yield linje, orden(felter)
    except UnicodeDecodeError:
        fejl(1, "filen kan hverken læses som UTF-8 eller som Windows-1252", ())


def _samme_orden(felter: list[str]) -> Sequence[str]:
    return felter


_SAMME_ORDEN = _samme_orden


def _kolonneorden(
    overskrift: list[str], kolonner: tuple[str, ...], valgfri: tuple[str, ...], fejl: Fejlsink
) -> Callable[[list[str]], Sequence[str]] | None:
    """How to put a row's fields in contract order, or None after reporting a bad header."""
    gyldig = True
    for navn in overskrift:
        if overskrift.count(navn) > 1:
            fejl(1, f"kolonnen '{navn}' står flere gange i overskriften", ())
            gyldig = False
            break
    for navn in overskrift:
        if navn not in kolonner and navn not in valgfri:
            fejl(1, f"ukendt kolonne '{navn}'", ())
            gyldig = False
    for navn in kolonner:
        if navn not in overskrift:
            fejl(1, f"kolonnen '{navn}' mangler", ())
            gyldig = False
    if not gyldig:
        return None
    alle = kolonner + valgfri
    if overskrift == list(alle):
        return _SAMME_ORDEN
    positioner = [overskrift.index(navn) if navn in overskrift else None for navn in alle]
    if None not in positioner:
        hent = itemgetter(*positioner)
        return lambda felter: hent(felter)
    # An optional column is absent: fill it with an empty field.
    felt_med_tomt = len(overskrift)
    hent = itemgetter(*(felt_med_tomt if p is None else p for p in positioner))
    return lambda felter: hent([*felter, ""])
