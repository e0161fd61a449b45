"""Danish amounts are parsed and shown right, and bad ones get a Danish message."""

from decimal import Decimal

import pytest

from ky_debitor.errors import ApplicationError
from ky_debitor.money import afrund, format_beloeb, parse_beloeb


@pytest.mark.parametrize(
    ("tekst", "forventet"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("-0,50", Decimal("-0.50")),
        ("-50,00", Decimal("-50.00")),
        ("12", Decimal("12.00")),
        ("0,5", Decimal("0.50")),
        ("1.000.000,00", Decimal("1000000.00")),
        (" 7,05 ", Decimal("7.05")),
        ("-0,00", Decimal("0.00")),
    ],
)
def test_danish_amounts_parse(tekst, forventet):
    value = parse_beloeb(tekst)
    assert value == forventet
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "tekst", ["", "1,234", "1.23,00", "12.5", "abc", "1,2,3", "١٢", "1.2345,00", "--5"]
)
def test_bad_amounts_are_refused_in_danish(tekst):
    with pytest.raises(ApplicationError) as exc:
        parse_beloeb(tekst)
    assert "eløb" in exc.value.message


@pytest.mark.parametrize(
    ("beloeb", "tekst"),
    [
        (Decimal("1234.56"), "1.234,56"),
        (Decimal("-0.50"), "-0,50"),
        (Decimal("0"), "0,00"),
        (Decimal("1000000"), "1.000.000,00"),
        (Decimal("999.995"), "1.000,00"),
    ],
)
def test_amounts_are_shown_the_danish_way(beloeb, tekst):
    assert format_beloeb(beloeb) == tekst


def test_rounding_is_half_up_to_the_oere():
    assert afrund(Decimal("0.005")) == Decimal("0.01")
    assert afrund(Decimal("2.675")) == Decimal("2.68")
    assert afrund(Decimal("-2.675")) == Decimal("-2.68")


def test_format_and_parse_round_trip():
    for raw in ["0.01", "12.34", "1234567.89", "-98765.43"]:
        assert parse_beloeb(format_beloeb(Decimal(raw))) == Decimal(raw)
