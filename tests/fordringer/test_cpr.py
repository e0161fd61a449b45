"""CPR numbers: with or without dash, first six digits a real date, no modulus-11 check."""

import pytest

from fordringer.cpr import cpr_formater, cpr_maskeret, cpr_normaliser
from ky_debitor.errors import ApplicationError


@pytest.mark.parametrize(
    ("tekst", "forventet"),
    [
        ("010190-1234", "0101901234"),
        ("0101901234", "0101901234"),
        (" 290200-4321 ", "2902004321"),  # 29 February 2000
        ("311299-0001", "3112990001"),
    ],
)
def test_cpr_with_and_without_dash(tekst, forventet):
    assert cpr_normaliser(tekst) == forventet


def test_modulus_11_is_not_required():
    # 0101901235 fails modulus 11; numbers issued since 2007 need not satisfy it.
    assert cpr_normaliser("0101901235") == "0101901235"


@pytest.mark.parametrize(
    "tekst", ["", "123", "01019012345", "3202901234", "0113901234", "010190+1234", "01019O1234"]
)
def test_bad_cpr_is_refused_in_danish(tekst):
    with pytest.raises(ApplicationError, match="Ugyldigt CPR-nummer"):
        cpr_normaliser(tekst)


def test_display_forms():
    assert cpr_formater("0101901234") == "010190-1234"
    assert cpr_maskeret("0101901234") == "010190-****"
