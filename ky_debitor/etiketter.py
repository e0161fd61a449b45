"""One table of the Danish labels people read for the codes the system stores.

Every code a person sees — a konto's status, a reason code, a run's result — is shown through
``etiket(kode)``: in screens (the ``etiket`` template filter), the admin, reports and command
output alike, so a code reads the same everywhere. The apps own their vocabularies (Django
choices, the matching rules' names) and register them here when Django starts
(``AppConfig.ready``); this module imports none of them (DESIGN §3).

A code that means different things in two vocabularies (``AFVENTER`` is a payout awaiting
approval and a message awaiting delivery) is looked up in its own table by name; without a
name the first registration wins. An unknown code is returned as it is, so a missing label
shows up in the tests that look for codes in what people read.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

_TABELLER: dict[str, dict[str, str]] = {}
_ALLE: dict[str, str] = {}


def registrer(tabel: str, etiketter: Iterable[tuple[str, str]]) -> None:
    """Register the vocabulary ``tabel``: pairs of code and Danish label."""
    par = {str(kode): str(label) for kode, label in etiketter}
    _TABELLER.setdefault(tabel, {}).update(par)
    for kode, label in par.items():
        _ALLE.setdefault(kode, label)


def registrer_valg(*valg: type[models.Choices]) -> None:
    """Register Django choices by their class name, with their ``.label`` as the label."""
    for klasse in valg:
        registrer(klasse.__name__, klasse.choices)


def etiket(kode: object, tabel: str | None = None) -> str:
    """The Danish label of ``kode`` (in the vocabulary ``tabel`` when given); empty for no
    code, the code itself when no vocabulary knows it."""
    if kode is None or kode == "":
        return ""
    tekst = str(kode)
    kilde = _TABELLER.get(tabel, {}) if tabel else _ALLE
    return kilde.get(tekst, _ALLE.get(tekst, tekst))


def etiketter(tabel: str) -> dict[str, str]:
    """Every code ``etiket(kode, tabel)`` knows, with that label: the lookup as one table,
    for a database that shows the labels itself (``rapporter.sqllinjer``)."""
    return {kode: etiket(kode, tabel) for kode in {*_ALLE, *_TABELLER.get(tabel, {})}}


def valg(tabel: str) -> list[tuple[str, str]]:
    """The vocabulary ``tabel`` as (code, label) pairs, e.g. for a filter's choices."""
    return list(_TABELLER.get(tabel, {}).items())


def koder() -> frozenset[str]:
    """Every registered code: what the tests look for in the text people read."""
    return frozenset(_ALLE)
