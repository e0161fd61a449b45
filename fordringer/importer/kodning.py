"""Deciding the encoding of one file of the extract, strictly (DESIGN §6).

A file is UTF-8 (with or without BOM) when all of it is valid UTF-8. Otherwise it is read as
Windows-1252 only when that is plausible: none of the five bytes Windows-1252 leaves undefined,
and no UTF-8 encoded letter or punctuation mark beside the bytes that are not UTF-8 (that is a
file of mixed encodings, typically a UTF-8 file with one stray byte). Text that was decoded with
the wrong encoding once and saved again ("Ã" and a cedilla for "ø") is rejected in either
encoding. A rejection names the physical line (the header is line 1) of the first bad byte or
text, so nothing garbled is ever stored.

"UTF-8 encoded letter or punctuation" means the characters Danish extracts hold beyond ASCII:
U+0080 to U+024F (Latin-1 and Latin Extended) and U+2000 to U+213F (dashes, quotes, €, ™). A valid
UTF-8 sequence for anything else (say Arabic) in a Windows-1252 file is far more likely an
ordinary pair of characters such as "Ø»".
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from pathlib import Path

UTF8 = "utf-8-sig"
WINDOWS_1252 = "cp1252"
UTF16 = "utf-16"

_CHUNK = 1 << 22
# The five bytes Windows-1252 does not define.
_UDEFINEREDE = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
# A UTF-8 sequence for a character in U+0080 to U+024F or U+2000 to U+213F.
_UTF8_TEGN_RE = re.compile(rb"[\xc2-\xc8][\x80-\xbf]|\xc9[\x80-\x8f]|\xe2[\x80-\x84][\x80-\xbf]")
# ``re`` scans character classes slowly; candidates for ``_UTF8_TEGN_RE`` are found instead by
# mapping each byte to its class (L lead, E the lead E2, c continuation) and searching for the
# class sequences with ``bytes.find``.
_KLASSER = bytes(
    ord("L")
    if 0xC2 <= b <= 0xC9
    else ord("E")
    if b == 0xE2
    else ord("c")
    if 0x80 <= b <= 0xBF
    else ord(".")
    for b in range(256)
)
# The same characters, read wrongly as Windows-1252 and encoded as UTF-8 again: "Â" to "É" or
# "â" (C3 82 to C3 89, C3 A2), then a character that stands for a continuation byte (encoded
# C2, C5, C6, CB or E2 …). A candidate is confirmed on its line by ``_DOBBELT_RE`` and by
# decoding it back (``_dobbeltkodet``).
_DOBBELT_KANDIDAT_RE = re.compile(rb"\xc3[\x82-\x89\xa2][\xc2\xc5\xc6\xcb\xe2]")
_FORTSAETTELSE = "".join(
    bytes([b]).decode(WINDOWS_1252, errors="ignore") or chr(b) for b in range(0x80, 0xC0)
)
_DOBBELT_RE = re.compile(
    f"[\u00c2-\u00c9][{re.escape(_FORTSAETTELSE)}]"
    f"|\u00e2[{re.escape(_FORTSAETTELSE[:5])}][{re.escape(_FORTSAETTELSE)}]"
)
_SOM_BYTE = {tegn: b for b, tegn in zip(range(0x80, 0xC0), _FORTSAETTELSE, strict=True)}


class KodningsFejl(Exception):
    """The file cannot be read safely; ``linje`` is the physical line of the first bad byte."""

    def __init__(self, linje: int, aarsag: str) -> None:
        super().__init__(aarsag)
        self.linje = linje
        self.aarsag = aarsag


def find_kodning(sti: Path) -> str:
    """``utf-8-sig`` or ``cp1252`` for the file at ``sti`` (``utf-16`` only to report that
    Excel's "Unicode text" is not the agreed format); raises ``KodningsFejl`` otherwise."""
    with sti.open("rb") as fh:
        start = fh.read(3)
    if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return UTF16
    ugyldig = _foerste(sti, _foerste_ugyldige_utf8)
    if ugyldig is None:
        return UTF8
    linje, byte = ugyldig
    utf8 = (1, 0) if start == codecs.BOM_UTF8 else _foerste(sti, _foerste_utf8_tegn)
    if utf8 is not None:
        raise KodningsFejl(
            linje,
            f"byten 0x{byte:02X} er ikke gyldig UTF-8, men række {utf8[0]} er skrevet i UTF-8: "
            "filen blander tegnsæt og kan hverken læses som UTF-8 eller som Windows-1252; "
            "gem den igen som UTF-8",
        )
    udefineret = _foerste(sti, _foerste_udefinerede)
    if udefineret is not None:
        raise KodningsFejl(
            udefineret[0],
            f"byten 0x{udefineret[1]:02X} er hverken gyldig UTF-8 eller et tegn i "
            "Windows-1252; filen kan ikke læses; gem den igen som UTF-8",
        )
    return WINDOWS_1252


def _linjer(sti: Path) -> Iterator[tuple[int, bytes]]:
    """Whole lines of the file in large blocks, each with the line number it starts on.

    Cutting at a newline never splits a UTF-8 sequence or a double-encoded character.
    """
    linje, rest = 1, b""
    with sti.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            blok = rest + chunk
            cut = blok.rfind(b"\n") + 1
            if not cut:
                rest = blok
                continue
            blok, rest = blok[:cut], blok[cut:]
            yield linje, blok
            linje += blok.count(b"\n")
    if rest:
        yield linje, rest


def _foerste(sti: Path, find: Callable[[bytes, int], int | None]) -> tuple[int, int] | None:
    """Line and value of the first byte ``find`` points at in a block of lines (it is given
    the block and the line it starts on), or None."""
    for linje, blok in _linjer(sti):
        if blok.isascii():
            continue
        i = find(blok, linje)
        if i is not None:
            return linje + blok.count(b"\n", 0, i), blok[i]
    return None


def _foerste_ugyldige_utf8(blok: bytes, linje: int) -> int | None:
    """The first byte that is not UTF-8; valid UTF-8 is checked for double-encoded text."""
    try:
        blok.decode("utf-8")
    except UnicodeDecodeError as exc:
        return int(exc.start)
    for kandidat in _DOBBELT_KANDIDAT_RE.finditer(blok):
        start = blok.rfind(b"\n", 0, kandidat.start()) + 1
        slut = blok.find(b"\n", kandidat.start())
        _tjek_tekst(blok[start : slut if slut >= 0 else None].decode("utf-8"), linje, blok, start)
    return None


def _foerste_utf8_tegn(blok: bytes, linje: int) -> int | None:
    klasser = blok.translate(_KLASSER)
    foerste: int | None = None
    for moenster in (b"Lc", b"Ecc"):
        i = klasser.find(moenster)
        while i >= 0 and (foerste is None or i < foerste):
            if _UTF8_TEGN_RE.match(blok, i):
                foerste = i
                break
            i = klasser.find(moenster, i + 1)
    return foerste


def _foerste_udefinerede(blok: bytes, linje: int) -> int | None:
    fund = [i for byte in _UDEFINEREDE if (i := blok.find(byte)) >= 0]
    return min(fund) if fund else None


def _tjek_tekst(tekst: str, linje: int, blok: bytes, start: int) -> None:
    """Raise ``KodningsFejl`` if the line ``tekst`` (at byte ``start`` of ``blok``) holds
    double-encoded text."""
    for fund in _DOBBELT_RE.finditer(tekst):
        rigtigt = _dobbeltkodet(fund.group())
        if rigtigt is not None:
            raise KodningsFejl(
                linje + blok.count(b"\n", 0, start),
                f"teksten '{fund.group()}' ligner dobbeltkodet UTF-8 (skulle nok have været "
                f"'{rigtigt}'): filen er læst med et forkert tegnsæt og gemt igen; ret teksten "
                "i kilden og gem filen som UTF-8",
            )


def _dobbeltkodet(tekst: str) -> str | None:
    """The character ``tekst`` stands for if it is the UTF-8 bytes of one character read as
    Windows-1252, else None."""
    data = bytes(_SOM_BYTE.get(tegn, ord(tegn)) for tegn in tekst)
    if not _UTF8_TEGN_RE.fullmatch(data):
        return None
    return data.decode("utf-8")
