"""The KMD Aktiv import: all-or-nothing, idempotent, the ledger booked (DESIGN §4, §6)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from fordringer.choices import Kilde, KontoStatus, PosteringArt, SagStatus
from fordringer.importer import ImportFejl, ImportResultat, import_kmd_aktiv
from fordringer.importer.parsing import laes_raekker
from fordringer.models import (
    Bevilling,
    Borger,
    Debitorkonto,
    Fordring,
    Indbetaling,
    Parkering,
    Postering,
    Sag,
)
from ky_debitor.models import AuditEvent
from tests.factories import FordringFactory

pytestmark = pytest.mark.django_db

KOLONNER = {
    "sager.csv": "kommunekode;sagsnummer;cpr;ydelseskode;status;navn",
    "bevillinger.csv": "kommunekode;bevillingsnummer;cpr;ydelseskode;periode_fra;periode_til;"
    "tilbagebetalingspligt;loebende;sagsnummer;navn",
    "debitorkonti.csv": "kommunekode;kontonummer;cpr;kilde;status;frigivelsestype;navn",
    "fordringer.csv": "kommunekode;fordringsid;kontonummer;kmd_aktiv_reference;ydelseskode;tekst;"
    "periode_fra;periode_til;forfaldsdato;hovedstol;opkraevningstilstand;rykkerniveau;inddrivelse",
    "daekninger.csv": "kommunekode;daekningsid;fordringsid;art;beloeb;valoerdato;indbetalingsid",
}
MODELLER = (Borger, Sag, Bevilling, Debitorkonto, Fordring, Indbetaling, Postering, Parkering)

ANNE, BENT = "010190-1234", "0202854321"


# On PostgreSQL every test runs both ways: foreign keys checked row by row, and bulk mode
# (``fordringer/importer/masseindlaesning.py``), which must store exactly the same.
SKRIVEMAADER = ["raekkevis", "masse"] if connection.vendor == "postgresql" else ["raekkevis"]


@pytest.fixture(autouse=True, params=SKRIVEMAADER)
def skrivemaade(request, settings):
    settings.KY_IMPORT_MASSE_GRAENSE = 0 if request.param == "masse" else 10**12
    return request.param


def felter(raekke: str) -> list[str]:
    return raekke.split(";")


def grunddata() -> dict[str, list[list[str]]]:
    """A small, valid extract for København: Anne (linked data) and Bent."""
    return {
        "sager.csv": [["101", "S1", ANNE, "KTH", "AABEN", "Anne Hansen"]],
        "bevillinger.csv": [
            ["101", "B1", ANNE, "KTH", "01-01-2024", "31-12-2024", "J", "N", "S1", "Anne Hansen"],
            ["101", "B2", BENT, "UDH", "01-02-2024", "", "N", "J", "", ""],
        ],
        "debitorkonti.csv": [
            ["101", "K1", ANNE, "KMD_AKTIV", "AKTIV", "IKKE_FRIGIVET", "Anne Hansen"],
            ["101", "K2", BENT, "KMD_AKTIV", "VENTER_PAA_DAEKNING", "IKKE_FRIGIVET", "Bent Bo"],
            ["101", "K3", BENT, "KY", "AKTIV", "FRIGIVET", "Bent Bo"],
        ],
        "fordringer.csv": [
            felter(
                "101;F1;K1;B1;KTH;Kontanthjælp marts;01-03-2024;31-03-2024;01-05-2024;1.234,56;"
                "OPKRAEV;0;N"
            ),
            felter("101;F2;K1;;XYZ;Ukendt kode;01-04-2024;;;500,00;BERO;2;J"),
            felter("101;F3;K2;B2;UDH;;;;;12;OPKRAEV;;"),
            felter("101;F4;K3;;KTH;KY-fordring;01-01-2024;;01-02-2024;100,00;OPKRAEV;0;N"),
        ],
        "daekninger.csv": [
            ["101", "D1", "F1", "DAEKNING", "-234,56", "01-06-2024", "I1"],
            ["101", "D2", "F1", "AFSKRIVNING", "100,00", "01-07-2024", ""],
            ["101", "D3", "F3", "DAEKNING", "2,00", "15-05-2024", "I1"],
            ["101", "D4", "F2", "NEDREGULERING", "-0,50", "01-06-2024", ""],
            ["101", "D5", "F4", "DAEKNING", "10,00", "01-06-2024", "I2"],
        ],
    }


def skriv_udtraek(
    mappe: Path,
    filer: dict[str, list[list[str]]],
    *,
    kodning: str = "utf-8",
    overskrifter: dict[str, str] | None = None,
) -> Path:
    """Write the files the way Danish Excel does: semicolons, CRLF, quotes only when needed."""
    mappe.mkdir(parents=True, exist_ok=True)
    for navn, raekker in filer.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(((overskrifter or {}).get(navn) or KOLONNER[navn]).split(";"))
        writer.writerows(raekker)
        (mappe / navn).write_bytes(buffer.getvalue().encode(kodning))
    return mappe


def importer(mappe: Path) -> str:
    """Run the command; return its stdout."""
    out = io.StringIO()
    call_command("importer_kmd_aktiv", str(mappe), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def afvist(mappe: Path) -> list[str]:
    """Run the command expecting rejection; assert exit code 1; return the stderr lines."""
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("importer_kmd_aktiv", str(mappe), stdout=io.StringIO(), stderr=err)
    assert info.value.returncode == 1
    assert "Intet er gemt" in str(info.value)
    return err.getvalue().splitlines()


def antal_raekker() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELLER}


def oejebliksbillede() -> dict[str, list[dict[str, object]]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELLER}


def fordring(fordringsid: str) -> Fordring:
    return Fordring.objects.get(kommune__kode=101, fordringsid=fordringsid)


# --- A valid extract ----------------------------------------------------------------------------


def test_valid_extract_creates_everything_and_books_the_ledger(tmp_path, koebenhavn):
    resultat = import_kmd_aktiv(skriv_udtraek(tmp_path, grunddata()))

    assert isinstance(resultat, ImportResultat)
    assert resultat.raekker == 1 + 2 + 3 + 4 + 5
    assert resultat.oprettet == {
        "borgere": 2,
        "sager": 1,
        "bevillinger": 2,
        "debitorkonti": 3,
        "fordringer": 4,
        "indbetalinger": 2,
        "posteringer": 4 + 5,
        "parkeringer": 3,
    }
    anne = Borger.objects.get(kommune=koebenhavn, cpr="0101901234")
    assert anne.navn == "Anne Hansen"
    assert Borger.objects.get(cpr="0202854321").navn == "Bent Bo"
    sag = Sag.objects.get(sagsnummer="S1")
    assert (sag.borger, sag.status, sag.ydelsestype.kode) == (anne, "AABEN", "KONTANTHJAELP")
    b1 = Bevilling.objects.get(bevillingsnummer="B1")
    assert (b1.sag, b1.tilbagebetalingspligt, b1.loebende) == (sag, True, False)
    assert b1.periode_til == dt.date(2024, 12, 31)
    b2 = Bevilling.objects.get(bevillingsnummer="B2")
    assert (b2.sag, b2.periode_til, b2.loebende) == (None, None, True)
    k2 = Debitorkonto.objects.get(kontonummer="K2")
    assert (k2.status, k2.tilknytning, k2.sag) == (KontoStatus.VENTER_PAA_DAEKNING, "INGEN", None)

    f1 = fordring("F1")
    assert f1.ydelsestype is not None
    assert (f1.hovedstol, f1.restance) == (Decimal("1234.56"), Decimal("900.00"))
    assert (f1.kilde, f1.kmd_aktiv_reference, f1.ydelsestype.kode) == (
        Kilde.KMD_AKTIV,
        "B1",
        "KONTANTHJAELP",
    )
    linjer = list(f1.posteringer.order_by("id").values_list("art", "beloeb", "valoerdato"))
    assert linjer == [
        ("HOVEDSTOL", Decimal("1234.56"), dt.date(2024, 5, 1)),
        ("DAEKNING", Decimal("-234.56"), dt.date(2024, 6, 1)),
        ("AFSKRIVNING", Decimal("-100.00"), dt.date(2024, 7, 1)),
    ]
    assert f1.posteringer.aggregate(s=Sum("beloeb"))["s"] == f1.restance
    assert set(Postering.objects.values_list("aktoer", flat=True)) == {"importer_kmd_aktiv"}
    f2 = fordring("F2")
    assert (f2.ydelseskode, f2.ydelsestype, f2.opkraevningstilstand) == ("XYZ", None, "BERO")
    assert (f2.rykkerniveau, f2.inddrivelse, f2.restance) == (2, True, Decimal("499.50"))
    # No due date: the HOVEDSTOL entry is dated at the start of the period.
    assert f2.posteringer.get(art="HOVEDSTOL").valoerdato == dt.date(2024, 4, 1)
    assert fordring("F4").kilde == Kilde.KY


def test_amounts_dates_and_cpr_are_parsed_the_danish_way(tmp_path, db):
    data = grunddata()
    data["fordringer.csv"][0][9] = "1.234.567,89"
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))

    assert fordring("F1").hovedstol == Decimal("1234567.89")
    assert fordring("F3").hovedstol == Decimal("12.00")
    hovedstol = fordring("F3").posteringer.get(art="HOVEDSTOL")
    assert hovedstol.valoerdato == timezone.localdate()
    assert Postering.objects.get(ekstern_id="D4").beloeb == Decimal("-0.50")
    assert Postering.objects.get(ekstern_id="D1").beloeb == Decimal("-234.56")
    assert fordring("F1").periode_til == dt.date(2024, 3, 31)
    # "010190-1234" and "0101901234" are one borger.
    assert set(Borger.objects.values_list("cpr", flat=True)) == {"0101901234", "0202854321"}


def test_unknown_ydelseskode_is_kept_and_known_ones_set_the_ydelsestype(tmp_path, db):
    import_kmd_aktiv(skriv_udtraek(tmp_path, grunddata()))
    f3 = fordring("F3").ydelsestype
    assert f3 is not None and f3.kode == "UDDANNELSESHJAELP"
    assert (fordring("F2").ydelseskode, fordring("F2").ydelsestype_id) == ("XYZ", None)


@pytest.mark.parametrize("kodning", ["utf-8-sig", "cp1252"])
def test_bom_and_windows_1252_files_are_read(tmp_path, db, kodning):
    data = grunddata()
    data["debitorkonti.csv"][0][6] = "Søren Ærø Åberg"
    data["fordringer.csv"][0][5] = "Tilbagebetaling af hjælp § 81 \u2013 særlig"
    import_kmd_aktiv(skriv_udtraek(tmp_path, data, kodning=kodning))
    assert Borger.objects.get(cpr="0101901234").navn == "Søren Ærø Åberg"
    assert fordring("F1").tekst == "Tilbagebetaling af hjælp § 81 \u2013 særlig"


def test_columns_in_any_order_and_without_the_optional_navn(tmp_path, db):
    data = grunddata()
    data["sager.csv"] = [["AABEN", "S1", "101", ANNE, "KTH"]]
    data["debitorkonti.csv"] = [r[:6] for r in data["debitorkonti.csv"]]
    import_kmd_aktiv(
        skriv_udtraek(
            tmp_path,
            data,
            overskrifter={
                "sager.csv": "status;sagsnummer;kommunekode;cpr;ydelseskode",
                "debitorkonti.csv": KOLONNER["debitorkonti.csv"].removesuffix(";navn"),
            },
        )
    )
    assert Sag.objects.get(sagsnummer="S1").status == SagStatus.AABEN
    assert Borger.objects.get(cpr="0101901234").navn == "Anne Hansen"  # from bevillinger.csv


def test_quoted_fields_with_semicolons_newlines_and_special_characters(tmp_path, db):
    data = grunddata()
    data["fordringer.csv"][0][5] = 'Tilbagebetaling; "for meget"\nudbetalt'
    data["fordringer.csv"][1][5] = "C:\\sti\tmed tabulator"
    data["fordringer.csv"][2][1] = "F 3"
    data["daekninger.csv"][2][2] = "F 3"
    data["daekninger.csv"][3][2] = "F9"  # line 5 of the file, after a two-line record
    data["fordringer.csv"][3][9] = "nul"  # line 6: the quoted record spans lines 2 and 3
    with pytest.raises(ImportFejl) as info:
        import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    assert info.value.fejl == [
        "fordringer.csv:6: hovedstol: Ugyldigt beløb 'nul': brug formatet 1.234,56.",
        "daekninger.csv:5: fordring F9 findes ikke",
    ]
    data["fordringer.csv"][3][9] = "100,00"
    data["daekninger.csv"][3][2] = "F2"
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    assert fordring("F1").tekst == 'Tilbagebetaling; "for meget"\nudbetalt'
    assert fordring("F2").tekst == "C:\\sti\tmed tabulator"
    assert fordring("F 3").restance == Decimal("10.00")


def test_bad_quoting_is_a_bad_row_and_reading_goes_on(tmp_path, db):
    data = grunddata()
    skriv_udtraek(tmp_path, data)
    fordringer = (tmp_path / "fordringer.csv").read_text(encoding="utf-8").splitlines()
    fordringer[2] = fordringer[2].replace("Ukendt kode", '"Ukendt" kode')
    fordringer.append('101;F9;K1;;KTH;"uafsluttet;;;;1,00;OPKRAEV;0;N')
    (tmp_path / "fordringer.csv").write_text("\r\n".join(fordringer), encoding="utf-8")
    with pytest.raises(ImportFejl) as info:
        import_kmd_aktiv(tmp_path)
    assert info.value.fejl == [
        "fordringer.csv:3: ugyldig CSV: anførselstegn står forkert",
        "fordringer.csv:6: anførselstegn er ikke afsluttet",
    ]


def test_fast_line_splitting_agrees_with_the_csv_module():
    tekst = 'a;b;c\r\nd;"e;f";g\r\n\r\nh;"i\r\nj";k\r\n"l""m";n;o\nx;y;z\r\np;q;r\r\n;;\r\n'
    fejl: list[tuple[int, str]] = []
    fra_os = [
        felter for _, felter in laes_raekker(io.StringIO(tekst), lambda *f: fejl.append(f[:2]))
    ]
    fra_csv = [r for r in csv.reader(io.StringIO(tekst, newline=""), delimiter=";") if r]
    assert fra_os == [[felt.replace("\r\n", "\n") for felt in r] for r in fra_csv]
    assert fejl == []


# --- All or nothing -----------------------------------------------------------------------------


def test_one_bad_row_among_thousands_stores_nothing_and_names_file_and_row(tmp_path, db):
    data = grunddata()
    for n in range(3000):
        data["fordringer.csv"].append(
            ["101", f"X{n}", "K1", "", "KTH", "", "", "", "", "10,00", "OPKRAEV", "0", "N"]
        )
    data["fordringer.csv"][2000][0] = "999"  # line 2002 of the file
    foer = antal_raekker()

    fejl = afvist(skriv_udtraek(tmp_path, data))

    assert fejl == ["fordringer.csv:2002: ukendt kommunekode 999"]
    assert antal_raekker() == foer == dict.fromkeys(foer, 0)
    assert not AuditEvent.objects.filter(handling="import.kmd_aktiv").exists()


def test_every_bad_row_of_every_file_is_reported_in_file_order(tmp_path, db):
    data = grunddata()
    data["sager.csv"].append(["101", "S2", "321190-1234", "KTH", "AABEN", ""])
    data["bevillinger.csv"][1][5] = "31-01-2024"  # before periode_fra
    data["debitorkonti.csv"][1][3] = "OPUS"
    data["fordringer.csv"][0][6] = "31-02-2024"
    data["fordringer.csv"][1][9] = "0,00"
    data["fordringer.csv"][3][2] = "K9"
    data["daekninger.csv"][0][4] = "0"
    data["daekninger.csv"][4][2] = "F404"
    data["daekninger.csv"].append(["101", "D1", "F1", "DAEKNING", "1,00", "01-06-2024", ""])

    fejl = afvist(skriv_udtraek(tmp_path, data))

    assert fejl == [
        "sager.csv:3: Ugyldigt CPR-nummer '321190-1234': de første seks cifre er ikke en dato.",
        "bevillinger.csv:3: periode_til ligger før periode_fra",
        "debitorkonti.csv:3: kilde: ugyldig værdi 'OPUS' (tilladt: KMD_AKTIV, KY)",
        "fordringer.csv:2: periode_fra: ugyldig dato '31-02-2024' (brug dd-mm-åååå)",
        "fordringer.csv:3: hovedstol skal være større end 0,00 kr.",
        "fordringer.csv:5: debitorkonto K9 findes ikke",
        "daekninger.csv:2: beloeb må ikke være 0,00 kr.",
        "daekninger.csv:6: fordring F404 findes ikke",
        "daekninger.csv:7: daekningsid D1 står også i række 2",
    ]
    assert antal_raekker() == dict.fromkeys(antal_raekker(), 0)


def test_unknown_kommunekode_is_a_bad_row(tmp_path, db):
    data = grunddata()
    data["debitorkonti.csv"][2][0] = "100"
    with pytest.raises(ImportFejl) as info:
        import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    assert "debitorkonti.csv:4: ukendt kommunekode 100" in info.value.fejl


def test_missing_and_unknown_columns_name_the_file(tmp_path, db):
    data = grunddata()
    overskrifter = {
        "fordringer.csv": KOLONNER["fordringer.csv"].replace("hovedstol", "beloeb"),
        "sager.csv": KOLONNER["sager.csv"].replace("status", "tilstand"),
    }
    fejl = afvist(skriv_udtraek(tmp_path, data, overskrifter=overskrifter))
    assert fejl[:2] == [
        "sager.csv:1: ukendt kolonne 'tilstand'",
        "sager.csv:1: kolonnen 'status' mangler",
    ]
    assert "fordringer.csv:1: kolonnen 'hovedstol' mangler" in fejl
    assert "fordringer.csv:1: ukendt kolonne 'beloeb'" in fejl


def test_a_row_with_the_wrong_number_of_fields_is_a_bad_row(tmp_path, db):
    data = grunddata()
    data["daekninger.csv"][1].append("ekstra")
    with pytest.raises(ImportFejl) as info:
        import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    assert info.value.fejl == ["daekninger.csv:3: rækken har 8 felter, men overskriften har 7"]


def test_missing_files_mean_nothing_of_that_kind_but_one_must_exist(tmp_path, db):
    data = grunddata()
    del data["sager.csv"]
    data["bevillinger.csv"][0][8] = ""
    resultat = import_kmd_aktiv(skriv_udtraek(tmp_path / "uden_sager", data))
    assert resultat.oprettet["sager"] == 0
    assert "sager.csv" not in resultat.laest

    (tmp_path / "tom").mkdir()
    with pytest.raises(ImportFejl) as info:
        import_kmd_aktiv(tmp_path / "tom")
    assert "mappen indeholder ingen af filerne sager.csv, bevillinger.csv" in info.value.fejl[0]


def test_fordring_with_reversed_period_is_accepted(tmp_path, db):
    data = grunddata()
    data["fordringer.csv"][0][6:8] = ["31-03-2024", "01-03-2024"]
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    f1 = fordring("F1")
    assert f1.periode_til is not None and f1.periode_fra is not None
    assert f1.periode_til < f1.periode_fra


def test_over_covered_fordring_is_rejected_naming_the_row_that_breaks_it(tmp_path, db):
    data = grunddata()
    data["daekninger.csv"].append(["101", "D6", "F1", "DAEKNING", "900,00", "01-08-2024", ""])
    data["daekninger.csv"].append(["101", "D7", "F1", "DAEKNING", "0,01", "01-09-2024", ""])
    fejl = afvist(skriv_udtraek(tmp_path, data))
    assert fejl == [
        "daekninger.csv:8: fordring F1 overdækkes: dækninger i alt 1.234,57 kr. overstiger "
        "restancen 1.234,56 kr."
    ]


def test_bevilling_must_name_a_sag_of_the_same_borger(tmp_path, db):
    data = grunddata()
    data["bevillinger.csv"][1][8] = "S1"  # Anne's sag on Bent's bevilling
    data["bevillinger.csv"].append(
        ["101", "B3", BENT, "UDH", "01-02-2024", "", "N", "J", "S99", ""]
    )
    fejl = afvist(skriv_udtraek(tmp_path, data))
    assert fejl == [
        "bevillinger.csv:3: sag S1 tilhører en anden borger",
        "bevillinger.csv:4: sag S99 findes ikke",
    ]


# --- Ledger: parking and payments ---------------------------------------------------------------


def test_daekninger_and_afskrivninger_on_unlinked_kmd_aktiv_konti_are_parked(tmp_path, db):
    import_kmd_aktiv(skriv_udtraek(tmp_path, grunddata()))
    parkeret = dict(Parkering.objects.values_list("postering__ekstern_id", "beloeb"))
    # D4 is a nedregulering, D5 lies on a KY konto: neither waits.
    assert parkeret == {
        "D1": Decimal("234.56"),
        "D2": Decimal("100.00"),
        "D3": Decimal("2.00"),
    }
    assert Parkering.objects.get(postering__ekstern_id="D3").konto.kontonummer == "K2"
    assert not Parkering.objects.filter(frigivet__isnull=False).exists()


def test_indbetalinger_are_the_sum_of_their_daekninger(tmp_path, db):
    import_kmd_aktiv(skriv_udtraek(tmp_path, grunddata()))
    i1 = Indbetaling.objects.get(indbetalingsid="I1")
    assert (i1.beloeb, i1.daekket) == (Decimal("236.56"), Decimal("236.56"))
    assert i1.valoerdato == dt.date(2024, 5, 15)
    assert i1.borger is None  # it covers claims of two borgere
    i2 = Indbetaling.objects.get(indbetalingsid="I2")
    assert (i2.beloeb, i2.borger.cpr) == (Decimal("10.00"), "0202854321")
    assert set(Postering.objects.get(ekstern_id="D1").indbetaling.posteringer.all()) == set(
        Postering.objects.filter(ekstern_id__in=["D1", "D3"])
    )
    assert Postering.objects.get(ekstern_id="D2").indbetaling is None


# --- Idempotent re-imports ----------------------------------------------------------------------


def test_the_same_import_twice_changes_nothing(tmp_path, db):
    mappe = skriv_udtraek(tmp_path, grunddata())
    importer(mappe)
    foer = oejebliksbillede()

    resultat = import_kmd_aktiv(mappe)

    assert oejebliksbillede() == foer
    assert not resultat.aendret
    assert AuditEvent.objects.filter(handling="import.kmd_aktiv").count() == 2


def test_reimport_with_a_new_daekning_books_and_parks_only_that(tmp_path, db):
    data = grunddata()
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    data["daekninger.csv"].append(["101", "D6", "F1", "DAEKNING", "100,00", "01-08-2024", "I1"])

    resultat = import_kmd_aktiv(skriv_udtraek(tmp_path, data))

    assert resultat.oprettet["posteringer"] == 1
    assert resultat.oprettet["parkeringer"] == 1
    assert resultat.opdateret == dict.fromkeys(resultat.opdateret, 0) | {
        "fordringer": 1,
        "indbetalinger": 1,
    }
    assert fordring("F1").restance == Decimal("800.00")
    assert Parkering.objects.get(postering__ekstern_id="D6").beloeb == Decimal("100.00")
    i1 = Indbetaling.objects.get(indbetalingsid="I1")
    assert (i1.beloeb, i1.daekket) == (Decimal("336.56"), Decimal("336.56"))


def test_reimport_updates_mutable_fields_and_only_those(tmp_path, db):
    data = grunddata()
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    data["sager.csv"][0][4] = "LUKKET"
    data["bevillinger.csv"][1][5:9] = ["30-06-2024", "J", "N", ""]
    # The konti file names the borger before sager and bevillinger (which still say
    # "Anne Hansen").
    data["debitorkonti.csv"][0][4:7] = ["LUKKET", "FRIGIVET", "Anne B. Hansen"]
    data["fordringer.csv"][0][10:13] = ["INDDRIVELSE", "3", "J"]

    resultat = import_kmd_aktiv(skriv_udtraek(tmp_path, data))

    assert resultat.opdateret == {
        "borgere": 1,
        "sager": 1,
        "bevillinger": 1,
        "debitorkonti": 1,
        "fordringer": 1,
        "indbetalinger": 0,
        "posteringer": 0,
        "parkeringer": 0,
    }
    assert sum(resultat.oprettet.values()) == 0
    assert Sag.objects.get(sagsnummer="S1").status == SagStatus.LUKKET
    b2 = Bevilling.objects.get(bevillingsnummer="B2")
    assert (b2.periode_til, b2.tilbagebetalingspligt, b2.loebende) == (
        dt.date(2024, 6, 30),
        True,
        False,
    )
    k1 = Debitorkonto.objects.get(kontonummer="K1")
    assert (k1.status, k1.frigivelsestype, k1.borger.navn) == (
        "LUKKET",
        "FRIGIVET",
        "Anne B. Hansen",
    )
    f1 = fordring("F1")
    assert (f1.opkraevningstilstand, f1.rykkerniveau, f1.inddrivelse, f1.tekst) == (
        "INDDRIVELSE",
        3,
        True,
        "Kontanthjælp marts",
    )


def test_reimport_cannot_change_the_ledger(tmp_path, db):
    data = grunddata()
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    foer = oejebliksbillede()
    data["fordringer.csv"][0][9] = "1.300,00"
    data["daekninger.csv"][1][4] = "99,00"
    data["debitorkonti.csv"][0][2] = BENT

    fejl = afvist(skriv_udtraek(tmp_path, data))

    assert fejl == [
        "debitorkonti.csv:2: debitorkonto K1 findes allerede for en anden borger "
        "(CPR-nummeret kan ikke ændres)",
        "fordringer.csv:2: hovedstolen på fordring F1 kan ikke ændres (bogført 1.234,56 kr., "
        "i filen 1.300,00 kr.); en bogført postering ændres aldrig",
        "daekninger.csv:3: dækning D2 er allerede bogført med en anden fordring, art eller "
        "beløb; en bogført postering ændres aldrig",
    ]
    assert oejebliksbillede() == foer


def test_new_daekning_on_a_stored_fordring_cannot_exceed_its_restance(tmp_path, db):
    stored = FordringFactory.create(fordringsid="F77", hovedstol=Decimal("50.00"))
    data = {
        "daekninger.csv": [
            ["101", "D1", "F77", "DAEKNING", "30,00", "01-06-2024", ""],
            ["101", "D2", "F77", "DAEKNING", "30,00", "02-06-2024", ""],
        ]
    }
    with pytest.raises(ImportFejl) as info:
        import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    assert info.value.fejl == [
        "daekninger.csv:3: fordring F77 overdækkes: dækninger i alt 60,00 kr. overstiger "
        "restancen 50,00 kr."
    ]
    del data["daekninger.csv"][1]
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    stored.refresh_from_db()
    assert stored.restance == Decimal("20.00")
    assert Parkering.objects.get().konto == stored.konto


# --- Audit and the command's output -------------------------------------------------------------


def test_one_audit_event_per_run_with_counts(tmp_path, koebenhavn):
    out = importer(skriv_udtraek(tmp_path, grunddata()))

    event = AuditEvent.objects.get(handling="import.kmd_aktiv")
    assert (event.aktoer, event.bruger, event.kommune) == ("importer_kmd_aktiv", None, koebenhavn)
    assert (event.objekt_type, event.objekt_id) == ("ky_debitor.kommune", str(koebenhavn.pk))
    assert event.data["oprettet"]["fordringer"] == 4
    assert event.data["laest"]["daekninger.csv"] == 5
    assert "Læst 15 rækker fra 5 filer." in out
    assert "fordringer: 4 oprettet, 0 opdateret" in out


def test_ledger_rows_from_the_import_are_plain_postings(tmp_path, db):
    import_kmd_aktiv(skriv_udtraek(tmp_path, grunddata()))
    hovedstol = Postering.objects.filter(art=PosteringArt.HOVEDSTOL)
    assert hovedstol.count() == Fordring.objects.count()
    assert set(hovedstol.values_list("tekst", flat=True)) == {"Hovedstol"}
    assert set(hovedstol.values_list("ekstern_id", flat=True)) == {""}


def test_a_utf16_file_is_rejected_with_a_clear_reason(tmp_path, db):
    skriv_udtraek(tmp_path, grunddata(), kodning="utf-16")
    with pytest.raises(ImportFejl) as info:
        import_kmd_aktiv(tmp_path)
    assert info.value.fejl[0] == (
        "sager.csv:1: filen er gemt som UTF-16; gem den som CSV (UTF-8 eller Windows-1252)"
    )


def test_new_daekning_on_an_indbetaling_with_room_left_uses_the_room(tmp_path, db):
    import_kmd_aktiv(skriv_udtraek(tmp_path, grunddata()))
    Indbetaling.objects.filter(indbetalingsid="I2").update(beloeb=Decimal("50.00"))
    data = grunddata()
    data["daekninger.csv"].append(["101", "D6", "F4", "DAEKNING", "15,00", "01-08-2024", "I2"])
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    i2 = Indbetaling.objects.get(indbetalingsid="I2")
    assert (i2.beloeb, i2.daekket) == (Decimal("50.00"), Decimal("25.00"))

    data["daekninger.csv"].append(["101", "D7", "F1", "DAEKNING", "40,00", "01-05-2024", "I2"])
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    i2.refresh_from_db()
    assert (i2.beloeb, i2.daekket) == (Decimal("65.00"), Decimal("65.00"))
    assert i2.valoerdato == dt.date(2024, 5, 1)
