"""The template filters show amounts and dates the Danish way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ky_debitor.templatetags.ky import dato, kr, tidspunkt


@pytest.mark.parametrize(
    ("beloeb", "vist"),
    [
        (Decimal("1234.56"), "1.234,56"),
        (Decimal("-250.50"), "-250,50"),
        (Decimal("0"), "0,00"),
        (Decimal("1234567.8"), "1.234.567,80"),
        (None, ""),
    ],
)
def test_kr(beloeb, vist):
    assert kr(beloeb) == vist


def test_dato_and_tidspunkt_are_danish_time():
    # 23:30 UTC on New Year's Eve is already the first of January in Copenhagen.
    nytaarsaften = dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert dato(dt.date(2024, 3, 1)) == "01-03-2024"
    assert dato(nytaarsaften) == "01-01-2025"
    assert tidspunkt(nytaarsaften) == "01-01-2025 00:30"
    assert dato(None) == ""
