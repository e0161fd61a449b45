"""CPR numbers: validated, stored normalised (10 digits), shown masked.

The first six digits must be a real date (DDMMYY) in some century; the modulus-11 check is *not*
applied, since numbers issued since 2007 need not satisfy it (DESIGN §6).
"""

from __future__ import annotations

import datetime as dt

from ky_debitor.errors import ApplicationError


def _is_date(ddmmyy: str) -> bool:
    day, month, yy = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    for century in (1900, 2000):
        try:
            dt.date(century + yy, month, day)
        except ValueError:
            continue
        return True
    return False


def cpr_normaliser(tekst: str) -> str:
    """``010190-1234`` or ``0101901234`` → ``0101901234``; a Danish error otherwise."""
    raw = tekst.strip()
    if len(raw) == 11 and raw[6] == "-":
        raw = raw[:6] + raw[7:]
    if len(raw) != 10 or not raw.isdigit() or not raw.isascii():
        raise ApplicationError(f"Ugyldigt CPR-nummer '{tekst}': skal være 10 cifre (DDMMÅÅ-XXXX).")
    if not _is_date(raw[:6]):
        raise ApplicationError(
            f"Ugyldigt CPR-nummer '{tekst}': de første seks cifre er ikke en dato."
        )
    return raw


def cpr_formater(cpr: str) -> str:
    return f"{cpr[:6]}-{cpr[6:]}"


def cpr_maskeret(cpr: str) -> str:
    return f"{cpr[:6]}-****"


_CVR_VAEGTE = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_gyldig(tekst: str) -> bool:
    """Eight digits that pass the CVR register's modulus-11 check."""
    return (
        len(tekst) == 8
        and tekst.isdigit()
        and tekst.isascii()
        and sum(int(c) * v for c, v in zip(tekst, _CVR_VAEGTE, strict=True)) % 11 == 0
    )


def identifikation_normaliser(tekst: str) -> str:
    """A recipient's CPR number (``010190-1234``, stored as 10 digits) or CVR number (8 digits,
    ``DK`` and spaces allowed); a Danish error for anything else."""
    raw = tekst.strip()
    cvr = raw.upper().removeprefix("DK").replace(" ", "")
    if cvr_gyldig(cvr):
        return cvr
    try:
        return cpr_normaliser(raw)
    except ApplicationError:
        raise ApplicationError(
            f"'{tekst}' er hverken et gyldigt CPR-nummer (DDMMÅÅ-XXXX) eller et gyldigt "
            "CVR-nummer (8 cifre)."
        ) from None
