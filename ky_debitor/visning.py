"""Danish formats for what people read, in one place: dates ``dd-mm-åååå``, moments
``dd-mm-åååå tt:mm`` in Danish time, numbers ``1.234`` and ``1.234,5``, amounts ``1.234,56``
and counted nouns ("1 debitorkonto", "80 debitorkonti").

Used by the template filters (``ky_debitor.templatetags.ky``), the admin's display methods and
the management commands' output; the admin's own widgets get the same date format from
``ky_debitor.formats``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

DATO = "%d-%m-%Y"
TIDSPUNKT = "%d-%m-%Y %H:%M"

__all__ = ["antal", "beloeb", "dato", "tal", "tidspunkt"]


def dato(vaerdi: dt.date | dt.datetime | None) -> str:
    """A date as ``dd-mm-åååå``; an aware datetime is shown in Danish time first."""
    if vaerdi is None or vaerdi == "":
        return ""
    if isinstance(vaerdi, dt.datetime) and timezone.is_aware(vaerdi):
        vaerdi = timezone.localtime(vaerdi)
    return vaerdi.strftime(DATO)


def tidspunkt(vaerdi: dt.datetime | None) -> str:
    """A moment as ``dd-mm-åååå tt:mm`` in Danish time."""
    if vaerdi is None or vaerdi == "":
        return ""
    if timezone.is_aware(vaerdi):
        vaerdi = timezone.localtime(vaerdi)
    return vaerdi.strftime(TIDSPUNKT)


def tal(vaerdi: int | float | Decimal | None, decimaler: int = 0) -> str:
    """A number the Danish way: ``1.234`` (``decimaler=1``: ``2.392,9``); rounded half-up."""
    if vaerdi is None or vaerdi == "":
        return ""
    afrundet = Decimal(str(vaerdi)).quantize(Decimal(1).scaleb(-decimaler), ROUND_HALF_UP)
    tegn = "-" if afrundet < 0 else ""
    heltal, _, decimal = f"{abs(afrundet):.{decimaler}f}".partition(".")
    grupper = []
    while heltal:
        grupper.append(heltal[-3:])
        heltal = heltal[:-3]
    tekst = f"{tegn}{'.'.join(reversed(grupper))}"
    return f"{tekst},{decimal}" if decimal else tekst


def beloeb(vaerdi: Decimal | int | str | None) -> str:
    """An amount in kroner: ``1.234,56``; empty for no amount."""
    if vaerdi is None or vaerdi == "":
        return ""
    return tal(Decimal(vaerdi), 2)


def varighed(sekunder: float | None) -> str:
    """A wait as people say it: "under 10 sekunder", "ca. 40 sekunder", "ca. 3 minutter"."""
    if sekunder is None:
        return ""
    if sekunder < 10:
        return "under 10 sekunder"
    if sekunder < 90:
        return f"ca. {round(sekunder / 10) * 10} sekunder"
    minutter = round(sekunder / 60)
    return f"ca. {minutter} minutter"


def filstoerrelse(byte: int | None) -> str:
    """A file's size the Danish way: "812 kB", "12,3 MB"."""
    if byte is None:
        return ""
    if byte < 1_000_000:
        return f"{tal(max(byte, 1000) / 1000)} kB"
    return f"{tal(byte / 1_000_000, 1)} MB"


def antal(vaerdi: int, ental: str, flertal: str) -> str:
    """A count with its noun in the right number: ``antal(80, "debitorkonto", "debitorkonti")``
    is "80 debitorkonti", ``antal(1, …)`` "1 debitorkonto". Danish plurals are not a suffix
    (konto → konti, besked → beskeder), so both forms are given."""
    return f"{tal(vaerdi)} {ental if vaerdi == 1 else flertal}"
