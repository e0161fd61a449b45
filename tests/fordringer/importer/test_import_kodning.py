"""The encoding of each file of a KMD Aktiv extract is decided strictly (DESIGN §6).

Clean UTF-8 (with or without BOM) is UTF-8; bytes that are not UTF-8 are Windows-1252 only
when the file is plausible as such. A stray byte in a UTF-8 file, bytes Windows-1252 does not
define, and text that was decoded wrongly once already ("Ã" and a cedilla for "ø") reject the
extract, naming the file and the row, instead of storing mojibake.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fordringer.importer import import_kmd_aktiv
from fordringer.models import Borger
from tests.fordringer.importer.test_import import (  # noqa: F401 - skrivemaade runs each test in both write modes
    afvist,
    antal_raekker,
    fordring,
    grunddata,
    importer,
    skriv_udtraek,
    skrivemaade,
)

pytestmark = pytest.mark.django_db


def med_navne(*navne: str) -> dict[str, list[list[str]]]:
    """The basic extract with the konti's borger names replaced (rows 2, 3 and 4)."""
    data = grunddata()
    for raekke, navn in zip(data["debitorkonti.csv"], navne, strict=False):
        raekke[6] = navn
    return data


def erstat(sti: Path, gammel: bytes, ny: bytes, *, forekomst: int = 1) -> None:
    """Replace the ``forekomst``-th occurrence of ``gammel`` in the file by ``ny``."""
    indhold = sti.read_bytes()
    start = -1
    for _ in range(forekomst):
        start = indhold.index(gammel, start + 1)
    sti.write_bytes(indhold[:start] + ny + indhold[start + len(gammel) :])


def test_a_utf8_file_with_one_stray_byte_is_rejected_naming_the_row(tmp_path):
    mappe = skriv_udtraek(tmp_path, med_navne("Søren Ærø", "Bent Bø", "Bent Bø"))
    # One Windows-1252 "ø" in the UTF-8 file, on the third konto (line 4).
    erstat(mappe / "debitorkonti.csv", "ø".encode(), b"\xf8", forekomst=4)
    foer = antal_raekker()

    fejl = afvist(mappe)

    assert fejl == [
        "debitorkonti.csv:4: byten 0xF8 er ikke gyldig UTF-8, men række 2 er skrevet i UTF-8: "
        "filen blander tegnsæt og kan hverken læses som UTF-8 eller som Windows-1252; gem den "
        "igen som UTF-8"
    ]
    assert antal_raekker() == foer == dict.fromkeys(foer, 0)


def test_a_windows_1252_file_with_a_utf8_letter_is_rejected_as_mixed(tmp_path):
    mappe = skriv_udtraek(tmp_path, med_navne("Søren Ærø", "Bent Bø"), kodning="cp1252")
    erstat(mappe / "debitorkonti.csv", "ø".encode("cp1252"), "ø".encode(), forekomst=3)

    fejl = afvist(mappe)

    assert fejl == [
        "debitorkonti.csv:2: byten 0xF8 er ikke gyldig UTF-8, men række 3 er skrevet i UTF-8: "
        "filen blander tegnsæt og kan hverken læses som UTF-8 eller som Windows-1252; gem den "
        "igen som UTF-8"
    ]


@pytest.mark.parametrize("byte", [b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"])
def test_a_byte_windows_1252_does_not_define_is_rejected_naming_the_row(tmp_path, byte):
    data = grunddata()
    data["fordringer.csv"][2][5] = "Tilbagebetaling for meget udbetalt"
    mappe = skriv_udtraek(tmp_path, data, kodning="cp1252")
    erstat(mappe / "fordringer.csv", b"for meget", b"for " + byte + b"meget")

    fejl = afvist(mappe)

    assert fejl == [
        f"fordringer.csv:4: byten 0x{byte[0]:02X} er hverken gyldig UTF-8 eller et tegn i "
        "Windows-1252; filen kan ikke læses; gem den igen som UTF-8"
    ]


@pytest.mark.parametrize(
    ("forkert", "rigtigt"),
    [
        ("\u00c3\u00b8", "ø"),
        ("\u00c3\u00a5", "å"),
        ("\u00c3\u00a6", "æ"),
        ("\u00c3\u02dc", "Ø"),
        ("\u00c3\u2026", "Å"),
        ("\u00c3\u2020", "Æ"),
        ("\u00e2\u20ac\u201c", "\u2013"),
    ],
)
def test_double_encoded_text_is_rejected_with_a_clear_message(tmp_path, forkert, rigtigt):
    mappe = skriv_udtraek(tmp_path, med_navne("Anne Hansen", f"Bent B{forkert}gh"))
    foer = antal_raekker()

    fejl = afvist(mappe)

    assert fejl == [
        f"debitorkonti.csv:3: teksten '{forkert}' ligner dobbeltkodet UTF-8 (skulle nok have "
        f"været '{rigtigt}'): filen er læst med et forkert tegnsæt og gemt igen; ret teksten i "
        "kilden og gem filen som UTF-8"
    ]
    assert antal_raekker() == foer


def test_double_encoded_text_in_a_windows_1252_file_is_rejected(tmp_path):
    """Saved as Windows-1252 after a wrong reading, "ø" is the two UTF-8 bytes of "Ã" and a
    cedilla beside real Windows-1252 letters: mixed, so rejected."""
    navne = med_navne("Søren Ærø", "Bent B\u00c3\u00b8gh")
    mappe = skriv_udtraek(tmp_path, navne, kodning="cp1252")
    fejl = afvist(mappe)
    assert len(fejl) == 1 and fejl[0].startswith("debitorkonti.csv:2: byten 0xF8")
    assert "række 3 er skrevet i UTF-8" in fejl[0]


@pytest.mark.parametrize("kodning", ["utf-8", "utf-8-sig", "cp1252"])
def test_clean_files_with_danish_and_foreign_letters_are_read_unchanged(tmp_path, kodning):
    """No false alarm: capitals beside punctuation, § and €, and (in UTF-8) names from other
    alphabets are ordinary text."""
    navne = ["ÆØÅ «Ø» \u2013 § 81 Østergård", "Bent Bøgh", "Bent Bøgh"]
    if kodning != "cp1252":
        navne[1] = "Łukasz Šťastný-Ørsted"
    data = med_navne(*navne)
    data["fordringer.csv"][0][5] = "Tilbagebetaling § 81 \u2013 1.234,56 € (ÅÆØ)…"
    importer(skriv_udtraek(tmp_path, data, kodning=kodning))
    assert Borger.objects.get(cpr="0101901234").navn == navne[0]
    assert fordring("F1").tekst == "Tilbagebetaling § 81 \u2013 1.234,56 € (ÅÆØ)…"


def test_a_windows_1252_file_is_still_read_as_such(tmp_path):
    import_kmd_aktiv(skriv_udtraek(tmp_path, med_navne("Søren Ærø Åberg"), kodning="cp1252"))
    assert Borger.objects.get(cpr="0101901234").navn == "Søren Ærø Åberg"
