"""Bounds and immutable fields of the KMD Aktiv import (DESIGN §6).

Every date lies in 1990 to 2100, every identifier is positive, and a value the import does not
update may not change on a row that is already stored: each is a Danish row error that
rejects the whole extract, in both write modes.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from fordringer.importer import import_kmd_aktiv
from tests.fordringer.importer.test_import import (  # noqa: F401 - skrivemaade runs each test in both write modes
    afvist,
    antal_raekker,
    fordring,
    grunddata,
    importer,
    oejebliksbillede,
    skriv_udtraek,
    skrivemaade,
)

pytestmark = pytest.mark.django_db

# (file, row index in grunddata, column index, column name)
DATOKOLONNER = [
    ("bevillinger.csv", 0, 4, "periode_fra"),
    ("bevillinger.csv", 1, 5, "periode_til"),
    ("fordringer.csv", 0, 6, "periode_fra"),
    ("fordringer.csv", 0, 7, "periode_til"),
    ("fordringer.csv", 0, 8, "forfaldsdato"),
    ("daekninger.csv", 0, 5, "valoerdato"),
]


@pytest.mark.parametrize(("fil", "raekke", "kolonne", "navn"), DATOKOLONNER)
@pytest.mark.parametrize("dato", ["01-01-0001", "31-12-1989", "01-01-2101", "31-12-9999"])
def test_a_date_outside_1990_to_2100_is_a_row_error(tmp_path, fil, raekke, kolonne, navn, dato):
    data = grunddata()
    data[fil][raekke][kolonne] = dato
    foer = antal_raekker()

    fejl = afvist(skriv_udtraek(tmp_path, data))

    assert (
        f"{fil}:{raekke + 2}: {navn}: datoen {dato} ligger uden for det tilladte interval "
        "01-01-1990 til 31-12-2100"
    ) in fejl
    assert antal_raekker() == foer


def test_the_bounds_themselves_are_allowed(tmp_path):
    data = grunddata()
    data["bevillinger.csv"][1][4:6] = ["01-01-1990", "31-12-2100"]
    data["fordringer.csv"][0][6:9] = ["01-01-1990", "31-12-2100", "31-12-2100"]
    importer(skriv_udtraek(tmp_path, data))
    forfaldsdato = fordring("F1").forfaldsdato
    assert forfaldsdato is not None and forfaldsdato.year == 2100


# (file, row index, column index, column name)
IDKOLONNER = [
    ("sager.csv", 0, 1, "sagsnummer"),
    ("bevillinger.csv", 0, 1, "bevillingsnummer"),
    ("bevillinger.csv", 0, 8, "sagsnummer"),
    ("debitorkonti.csv", 0, 1, "kontonummer"),
    ("fordringer.csv", 0, 1, "fordringsid"),
    ("fordringer.csv", 0, 2, "kontonummer"),
    ("fordringer.csv", 0, 3, "kmd_aktiv_reference"),
    ("daekninger.csv", 0, 1, "daekningsid"),
    ("daekninger.csv", 0, 2, "fordringsid"),
    ("daekninger.csv", 0, 6, "indbetalingsid"),
]


@pytest.mark.parametrize(("fil", "raekke", "kolonne", "navn"), IDKOLONNER)
@pytest.mark.parametrize("vaerdi", ["-5", "-F1", "0", "000", "+7", "\u22123"])
def test_an_identifier_that_is_not_positive_is_a_row_error(
    tmp_path, fil, raekke, kolonne, navn, vaerdi
):
    data = grunddata()
    data[fil][raekke][kolonne] = vaerdi
    foer = antal_raekker()

    fejl = afvist(skriv_udtraek(tmp_path, data))

    assert (
        f"{fil}:{raekke + 2}: {navn}: '{vaerdi}' er ikke et gyldigt id (et id skal være "
        "positivt: uden fortegn og ikke 0)"
    ) in fejl
    assert antal_raekker() == foer


def test_a_negative_fordringsid_is_the_only_error_of_its_row(tmp_path):
    data = grunddata()
    data["fordringer.csv"][3][1] = "-4"
    data["daekninger.csv"][4][2] = "-4"

    fejl = afvist(skriv_udtraek(tmp_path, data))

    assert fejl == [
        "fordringer.csv:5: fordringsid: '-4' er ikke et gyldigt id (et id skal være positivt: "
        "uden fortegn og ikke 0)",
        "daekninger.csv:6: fordringsid: '-4' er ikke et gyldigt id (et id skal være positivt: "
        "uden fortegn og ikke 0)",
    ]


def test_identifiers_with_leading_zeros_or_inner_dashes_are_allowed(tmp_path):
    data = grunddata()
    data["fordringer.csv"][0][1] = "007"
    data["daekninger.csv"][0][2] = "007"
    data["daekninger.csv"][1][2] = "007"
    data["fordringer.csv"][1][1] = "F-2"
    data["daekninger.csv"][3][2] = "F-2"
    importer(skriv_udtraek(tmp_path, data))
    assert fordring("007").restance == Decimal("900.00")
    assert fordring("F-2").hovedstol == Decimal("500.00")


def test_a_bevilling_period_that_ends_before_it_starts_is_a_row_error(tmp_path):
    data = grunddata()
    data["bevillinger.csv"][0][4:6] = ["01-02-2024", "31-01-2024"]
    fejl = afvist(skriv_udtraek(tmp_path, data))
    assert fejl == ["bevillinger.csv:2: periode_til ligger før periode_fra"]


# --- Values the import does not update ----------------------------------------------------------

# (file, row index, column index, new value, the message after ``fil:række: ``)
LAASTE_FELTER = [
    (
        "sager.csv",
        0,
        3,
        "UDH",
        "sag S1: ydelseskode er allerede indlæst som 'KTH' og kan ikke ændres (i filen 'UDH')",
    ),
    (
        "bevillinger.csv",
        0,
        3,
        "UDH",
        "bevilling B1: ydelseskode er allerede indlæst som 'KTH' og kan ikke ændres "
        "(i filen 'UDH')",
    ),
    (
        "bevillinger.csv",
        0,
        4,
        "01-02-2024",
        "bevilling B1: periode_fra er allerede indlæst som 01-01-2024 og kan ikke ændres "
        "(i filen 01-02-2024)",
    ),
    (
        "debitorkonti.csv",
        0,
        3,
        "KY",
        "debitorkonto K1: kilde er allerede indlæst som 'KMD_AKTIV' og kan ikke ændres "
        "(i filen 'KY')",
    ),
    (
        "fordringer.csv",
        0,
        8,
        "01-06-2024",
        "fordring F1: forfaldsdato er allerede indlæst som 01-05-2024 og kan ikke ændres "
        "(i filen 01-06-2024)",
    ),
    (
        "fordringer.csv",
        2,
        8,
        "01-06-2024",
        "fordring F3: forfaldsdato er allerede indlæst som tom og kan ikke ændres "
        "(i filen 01-06-2024)",
    ),
    (
        "fordringer.csv",
        0,
        6,
        "02-03-2024",
        "fordring F1: periode_fra er allerede indlæst som 01-03-2024 og kan ikke ændres "
        "(i filen 02-03-2024)",
    ),
    (
        "fordringer.csv",
        0,
        7,
        "",
        "fordring F1: periode_til er allerede indlæst som 31-03-2024 og kan ikke ændres "
        "(i filen tom)",
    ),
    (
        "fordringer.csv",
        0,
        5,
        "Ny tekst",
        "fordring F1: tekst er allerede indlæst som 'Kontanthjælp marts' og kan ikke ændres "
        "(i filen 'Ny tekst')",
    ),
    (
        "fordringer.csv",
        0,
        4,
        "UDH",
        "fordring F1: ydelseskode er allerede indlæst som 'KTH' og kan ikke ændres (i filen 'UDH')",
    ),
    (
        "fordringer.csv",
        0,
        3,
        "B2",
        "fordring F1: kmd_aktiv_reference er allerede indlæst som 'B1' og kan ikke ændres "
        "(i filen 'B2')",
    ),
    (
        "daekninger.csv",
        1,
        5,
        "02-07-2024",
        "dækning D2: valoerdato er allerede indlæst som 01-07-2024 og kan ikke ændres "
        "(i filen 02-07-2024)",
    ),
    (
        "daekninger.csv",
        1,
        6,
        "I2",
        "dækning D2: indbetalingsid er allerede indlæst som tom og kan ikke ændres (i filen 'I2')",
    ),
    (
        "daekninger.csv",
        0,
        6,
        "",
        "dækning D1: indbetalingsid er allerede indlæst som 'I1' og kan ikke ændres (i filen tom)",
    ),
]


@pytest.mark.parametrize(("fil", "raekke", "kolonne", "ny", "besked"), LAASTE_FELTER)
def test_a_changed_value_the_import_does_not_update_is_a_row_error(
    tmp_path, fil, raekke, kolonne, ny, besked
):
    data = grunddata()
    importer(skriv_udtraek(tmp_path, data))
    foer = oejebliksbillede()
    data[fil][raekke][kolonne] = ny

    fejl = afvist(skriv_udtraek(tmp_path, data))

    assert fejl == [f"{fil}:{raekke + 2}: {besked}"]
    assert oejebliksbillede() == foer


def test_every_changed_field_of_a_row_is_named(tmp_path):
    data = grunddata()
    importer(skriv_udtraek(tmp_path, data))
    data["fordringer.csv"][0][8] = "02-05-2024"
    data["fordringer.csv"][0][9] = "1.000,00"
    data["fordringer.csv"][0][5] = "Kontanthjælp april"

    fejl = afvist(skriv_udtraek(tmp_path, data))

    assert fejl == [
        "fordringer.csv:2: fordring F1: forfaldsdato er allerede indlæst som 01-05-2024 og "
        "kan ikke ændres (i filen 02-05-2024)",
        "fordringer.csv:2: fordring F1: tekst er allerede indlæst som 'Kontanthjælp marts' og "
        "kan ikke ændres (i filen 'Kontanthjælp april')",
        "fordringer.csv:2: hovedstolen på fordring F1 kan ikke ændres (bogført 1.234,56 kr., "
        "i filen 1.000,00 kr.); en bogført postering ændres aldrig",
    ]


def test_the_same_files_after_a_linking_run_are_accepted_and_change_nothing(tmp_path):
    """The linking run sets references and ydelsestyper the file does not know; those are not
    changes by the file."""
    data = grunddata()
    data["fordringer.csv"][1][5] = "Tilbagebetaling bevilling B1"
    mappe = skriv_udtraek(tmp_path, data)
    importer(mappe)
    call_command("sagstilknytning", stdout=io.StringIO())
    assert fordring("F2").kmd_aktiv_reference == "B1"  # stamped by the run
    foer = oejebliksbillede()

    resultat = import_kmd_aktiv(mappe)

    assert not resultat.aendret
    assert oejebliksbillede() == foer
