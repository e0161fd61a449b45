"""A file of by-hand reported amounts (``cpr;indkomstaar;beloeb;tekst``): all rows or none,
every bad row named with its number and reason (DESIGN §4.9), the encoding decided strictly
(DESIGN §8), the same file refused a second time."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from fordringer.importer.manuel import ManuelImportFejl, eindkomst_manuel_importer
from fordringer.models import EIndkomstManuel
from ky_debitor.errors import ConflictError
from ky_debitor.models import AuditEvent
from tests.factories import BorgerFactory, FordringFactory, kommune

IDAG = dt.date(2026, 12, 5)
OVERSKRIFT = "cpr;indkomstaar;beloeb;tekst\r\n"


@pytest.fixture
def borgere(db):
    erik = BorgerFactory.create(cpr="0502824567", navn="Erik Eriksen")
    FordringFactory.create(konto__borger=erik)  # data from 2024
    BorgerFactory.create(cpr="1111751234", navn="Åse Østergård")
    BorgerFactory.create(kommune=kommune(461), cpr="0101701111", navn="Ole Odense")


def fil(tekst: str, kodning: str = "utf-8", navn: str = "manuelt.csv") -> io.BytesIO:
    indhold = io.BytesIO(tekst.encode(kodning))
    indhold.name = navn
    return indhold


def importer(user, tekst: str, **kw):
    return eindkomst_manuel_importer(user=user, fil=fil(tekst, **kw), idag=IDAG)


def test_every_row_is_stored_with_kilde_import_and_audited(borgere, bent):
    resultat = importer(
        bent,
        "\ufeff"
        + OVERSKRIFT
        + "050282-4567;2026;1.234,56;Indberettet 12-03-2026\r\n"
        + "1111751234;2025;200,00;Åse, rettet af Søren\r\n",
    )
    assert (resultat.antal, resultat.total, resultat.aar) == (2, Decimal("1434.56"), (2025, 2026))
    rows = {r.cpr: r for r in EIndkomstManuel.objects.all()}
    assert rows["0502824567"].beloeb == Decimal("1234.56")
    assert rows["1111751234"].tekst == "Åse, rettet af Søren"
    assert {r.kilde for r in rows.values()} == {"IMPORT"}
    assert AuditEvent.objects.filter(handling="eindkomst.manuel.opret").count() == 2
    fil_event = AuditEvent.objects.get(handling="eindkomst.manuel.importer")
    assert fil_event.bruger == bent and fil_event.data["antal"] == 2
    assert "i alt 1.434,56 kr." in fil_event.beskrivelse


def test_windows_1252_and_no_tekst_column_are_read(borgere, bent):
    importer(bent, "beloeb;cpr;indkomstaar\r\n200,00;1111751234;2026\r\n", kodning="cp1252")
    importer(bent, OVERSKRIFT + "1111751234;2026;50,00;Søren\r\n", kodning="cp1252")
    assert sorted(EIndkomstManuel.objects.values_list("beloeb", "tekst")) == [
        (Decimal("50.00"), "Søren"),
        (Decimal("200.00"), ""),
    ]


def test_one_bad_row_rejects_the_whole_file_with_its_number(borgere, bent):
    with pytest.raises(ManuelImportFejl) as fejl:
        importer(
            bent,
            OVERSKRIFT
            + "0502824567;2026;100,00;\r\n"
            + "1111751234;2026;-50,00;forkert fortegn\r\n"
            + "0502824567;2026;25,00;\r\n",
        )
    assert fejl.value.fejl == [
        "Række 3: Beløbet skal være større end 0,00 kr. (angivet: -50,00 kr.). Er et beløb "
        "indberettet forkert, så annullér det i stedet."
    ]
    assert fejl.value.message.startswith("Filen er afvist: 1 fejl. Intet er gemt. Række 3:")
    assert not EIndkomstManuel.objects.exists()
    assert not AuditEvent.objects.filter(handling__startswith="eindkomst.").exists()


def test_every_bad_row_is_listed_in_row_order(borgere, bent):
    with pytest.raises(ManuelImportFejl) as fejl:
        importer(
            bent,
            OVERSKRIFT
            + "0101701111;2026;100,00;Odenses borger\r\n"
            + "0502824567;2013;100,00;\r\n"
            + "0502824567;2026;0,00;\r\n"
            + "0502824567;2026;12,345;\r\n"
            + "0502824567;2026;100,00\r\n"
            + "3202824567;2026;100,00;\r\n",
        )
    assert fejl.value.fejl == [
        "Række 2: Ingen borger med CPR-nummer 010170-1111 i kommunen.",
        "Række 3: Indkomståret 2013 ligger uden for kommunens data: vælg et år fra 2024 til 2026.",
        "Række 4: Beløbet skal være større end 0,00 kr. (angivet: 0,00 kr.). Er et beløb "
        "indberettet forkert, så annullér det i stedet.",
        "Række 5: Ugyldigt beløb '12,345': højst to decimaler efter komma.",
        "Række 6: Rækken har 3 felter, men overskriften har 4",
        "Række 7: Ugyldigt CPR-nummer '3202824567': de første seks cifre er ikke en dato.",
    ]
    assert not EIndkomstManuel.objects.exists()


@pytest.mark.parametrize(
    ("tekst", "kodning", "fejl"),
    [
        ("", "utf-8", "Række 1: Filen er tom (overskriftsrækken mangler)"),
        (OVERSKRIFT, "utf-8", "Række 2: Filen har ingen rækker under overskriften."),
        ("cpr;aar;beloeb\r\n", "utf-8", "Række 1: Ukendt kolonne 'aar'"),
        # "Søren" encoded twice (UTF-8 read as Windows-1252): refused as double-encoded.
        (
            OVERSKRIFT + "0502824567;2026;100,00;S\u00c3\u00b8ren\r\n",
            "utf-8",
            "Række 2: Teksten '\u00c3\u00b8'",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_its_row(borgere, bent, tekst, kodning, fejl):
    with pytest.raises(ManuelImportFejl) as afvist:
        importer(bent, tekst, kodning=kodning)
    assert afvist.value.fejl[0].startswith(fejl)
    assert not EIndkomstManuel.objects.exists()


def test_the_same_file_twice_is_refused(borgere, bent):
    tekst = OVERSKRIFT + "0502824567;2026;200,00;\r\n"
    importer(bent, tekst)
    with pytest.raises(ConflictError, match=r"allerede indlæst .* af bent\. Intet er gemt\."):
        importer(bent, tekst, navn="samme-igen.csv")
    assert EIndkomstManuel.objects.count() == 1
