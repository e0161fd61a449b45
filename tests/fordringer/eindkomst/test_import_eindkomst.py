"""The KMD Aktiv import books dækninger straight to income where nothing waits; they get their
eIndkomst lines like every other booking (and like a release, once the konto is linked)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from fordringer.importer import import_kmd_aktiv
from fordringer.models import Debitorkonto, EIndkomstLinje
from fordringer.tilknytning.services import debitorkonto_tilknyt
from tests.factories import BevillingFactory
from tests.fordringer.importer.test_import import ANNE, BENT, grunddata, skriv_udtraek

pytestmark = pytest.mark.django_db


def linjer() -> list[tuple[str, str, int, D]]:
    return [
        (linje.cpr, linje.art, linje.indkomstaar, linje.beloeb)
        for linje in EIndkomstLinje.objects.order_by("pk")
    ]


@time_machine.travel(dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC))
def test_import_and_link_write_the_lines_the_ledger_calls_for(tmp_path, alice):
    """Bent's KY claim F4 (kontanthjælp, paid out January 2024) got 10,00 on 01-06-2024: a
    same-year repayment, -10,00 on his 2024 income. Anne's D1 (234,56 of 01-06-2024 on F1,
    paid out March 2024) waits on her unlinked konto K1 until it is linked: then -234,56 on
    her 2024 income. A later import brings 100,00 of 01-08-2025 on F1: § 8 O 2025, +100,00."""
    data = grunddata()
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    assert linjer() == [(BENT, "KORREKTION", 2024, D("-10.00"))]

    k1 = Debitorkonto.objects.get(kontonummer="K1")
    debitorkonto_tilknyt(
        konto=k1,
        bevilling=BevillingFactory.create(borger=k1.borger, ydelseskode="KTH"),
        sag=None,
        user=alice,
        manual=True,
    )
    anne = ANNE.replace("-", "")
    assert linjer()[1:] == [(anne, "KORREKTION", 2024, D("-234.56"))]

    data["daekninger.csv"].append(["101", "D6", "F1", "DAEKNING", "100,00", "01-08-2025", ""])
    import_kmd_aktiv(skriv_udtraek(tmp_path, data))
    assert linjer()[2:] == [(anne, "LL8O", 2025, D("100.00"))]
