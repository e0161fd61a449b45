"""Money: Danish kroner as ``Decimal`` with two places, parsed and shown the Danish way.

``1.234,56`` is one thousand two hundred and thirty-four kroner and fifty-six øre; ``-0,50`` is
minus fifty øre. Floats never touch money.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models

from .errors import ApplicationError
from .visning import tal

OERE = Decimal("0.01")
NUL = Decimal("0.00")
MAX_DIGITS = 14


class MoneyField(models.DecimalField):
    """A DKK amount: 14 digits, 2 decimals."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_digits", None)
        kwargs.pop("decimal_places", None)
        return name, path, args, kwargs


def afrund(beloeb: Decimal) -> Decimal:
    """Round half-up to the øre, as Danish interest and fee rules do."""
    return beloeb.quantize(OERE, rounding=ROUND_HALF_UP)


def fra_oere(oere: int) -> Decimal:
    """Whole øre (as the overview figures keep amounts) as kroner."""
    return (Decimal(oere) / 100).quantize(OERE)


def parse_beloeb(tekst: str) -> Decimal:
    """Parse a Danish amount (``1.234,56``, ``-50,00``, ``12``) into a ``Decimal``.

    Raises ``ApplicationError`` with a Danish message when the text is not an amount or has
    more than two decimals.
    """
    raw = tekst.strip().replace("\xa0", "").replace(" ", "")
    if not raw:
        raise ApplicationError("Beløb mangler.")
    sign = ""
    if raw[0] in "+-":
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:]
    heltal, komma, decimaler = raw.partition(",")
    if "." in heltal:
        grupper = heltal.split(".")
        if not grupper[0] or len(grupper[0]) > 3 or any(len(g) != 3 for g in grupper[1:]):
            raise ApplicationError(f"Ugyldigt beløb '{tekst}': tusindtalsskilletegn står forkert.")
        heltal = "".join(grupper)
    if not heltal.isdigit() or not heltal.isascii():
        raise ApplicationError(f"Ugyldigt beløb '{tekst}': brug formatet 1.234,56.")
    if komma and (not decimaler.isdigit() or not decimaler.isascii() or len(decimaler) > 2):
        raise ApplicationError(f"Ugyldigt beløb '{tekst}': højst to decimaler efter komma.")
    try:
        value = Decimal(f"{sign}{heltal}.{decimaler or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - guarded by the checks above
        raise ApplicationError(f"Ugyldigt beløb '{tekst}'.") from exc
    if value.adjusted() >= MAX_DIGITS - 2:
        raise ApplicationError(f"Ugyldigt beløb '{tekst}': beløbet er for stort.")
    return value.quantize(OERE) + NUL  # normalises -0,00 to 0,00


def format_beloeb(beloeb: Decimal | None) -> str:
    """Show an amount the Danish way: ``1.234,56`` (``-0,50`` for minus fifty øre)."""
    if beloeb is None:
        return ""
    return tal(afrund(Decimal(beloeb)), 2)
