"""The set-based writes keep every value exactly, whatever characters or types it holds."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import NamedTuple

import pytest
from django.utils import timezone

from fordringer.models import Debitorkonto, Fordring
from ky_debitor.audit import audit_rows_create
from ky_debitor.bulk import blandt, ider_tag, rows_copy, rows_update
from ky_debitor.models import AuditEvent
from tests.factories import DebitorkontoFactory, FordringFactory

pytestmark = pytest.mark.django_db

AWKWARD = [
    'Citat "med" anførselstegn',
    "Skråstreg \\ og \\\\ dobbelt",
    "Komma, {krøllede} og (parenteser)",
    "NULL",
    "",
    "  mellemrum  ",
    "Æøå ÆØÅ, tabulator\tog emoji 🙂",
    "Apostrof ' og ; semikolon",
]


def test_rows_update_keeps_awkward_text_exactly() -> None:
    fordringer = FordringFactory.create_batch(len(AWKWARD))
    rows_update(
        Fordring,
        columns=["tekst", "hovedstol", "periode_fra"],
        rows=[
            (f.pk, tekst, Decimal("1234.56") + n, dt.date(2020, 1, 1) + dt.timedelta(days=n))
            for n, (f, tekst) in enumerate(zip(fordringer, AWKWARD, strict=True))
        ],
    )
    for n, f in enumerate(fordringer):
        f.refresh_from_db()
        assert f.tekst == AWKWARD[n]
        assert f.hovedstol == Decimal("1234.56") + n
        assert f.periode_fra == dt.date(2020, 1, 1) + dt.timedelta(days=n)


def test_rows_update_sets_nulls_and_aware_timestamps() -> None:
    konti = DebitorkontoFactory.create_batch(3)
    tid = timezone.now().replace(microsecond=123456)
    rows_update(
        Debitorkonto,
        columns=["tilknyttet_tid", "sag"],
        rows=[(konti[0].pk, tid, None), (konti[1].pk, None, None), (konti[2].pk, tid, None)],
    )
    efter = {
        k.pk: k.tilknyttet_tid for k in Debitorkonto.objects.filter(pk__in=[k.pk for k in konti])
    }
    assert efter == {konti[0].pk: tid, konti[1].pk: None, konti[2].pk: tid}


def test_rows_update_by_another_key_updates_every_matching_row() -> None:
    konto = DebitorkontoFactory.create()
    FordringFactory.create_batch(3, konto=konto)
    andre = FordringFactory.create()
    rows_update(Fordring, key="konto", columns=["kmd_aktiv_reference"], rows=[(konto.pk, 'B"1')])
    assert set(
        Fordring.objects.filter(konto=konto).values_list("kmd_aktiv_reference", flat=True)
    ) == {'B"1'}
    andre.refresh_from_db()
    assert andre.kmd_aktiv_reference == ""


def test_blandt_finds_exactly_the_listed_rows() -> None:
    konti = DebitorkontoFactory.create_batch(5)
    valgte = [konti[0].pk, konti[3].pk]
    assert set(
        Debitorkonto.objects.filter(blandt("pk", valgte)).values_list("pk", flat=True)
    ) == set(valgte)
    numre = [konti[1].kontonummer, 'K"x']
    assert list(
        Debitorkonto.objects.filter(blandt("kontonummer", numre)).values_list("pk", flat=True)
    ) == [konti[1].pk]
    assert not Debitorkonto.objects.filter(blandt("pk", [])).exists()


class Kandidat(NamedTuple):
    bevillingsnummer: str
    afvist: str


def test_json_written_by_copy_reads_back_as_the_standard_library_writes_it() -> None:
    data = {
        "tekst": AWKWARD,
        "kandidater": [Kandidat("B-1", ""), Kandidat('B"2', "referencen passer ikke")],
        "par": (1, None, True),
        7: "heltal som nøgle",
        "beloeb": 12.5,
    }
    audit_rows_create(
        [
            dict(
                user=None,
                kommune_id=None,
                handling="test.json",
                objekt_type="test",
                objekt_id="1",
                beskrivelse="JSON gennem COPY",
                data=data,
                system="test",
            )
        ]
    )
    gemt = AuditEvent.objects.get(handling="test.json").data
    assert gemt == json.loads(json.dumps(data))


def test_ids_taken_ahead_name_the_copied_rows_and_a_later_insert_never_reuses_them() -> None:
    """The interest run names its entries before it writes them (the audit row lists them)."""
    konto = DebitorkontoFactory.create()
    ider = ider_tag(Fordring, 3)
    assert len(set(ider)) == 3
    rows_copy(
        Fordring,
        columns=["id", "kommune_id", "konto_id", "fordringsid", "kilde", "hovedstol", "restance"],
        rows=[
            (pk, konto.kommune_id, konto.pk, f"F-{pk}", "KY", Decimal("10.00"), Decimal("10.00"))
            for pk in ider
        ],
    )
    assert sorted(Fordring.objects.filter(konto=konto).values_list("pk", "fordringsid")) == sorted(
        (pk, f"F-{pk}") for pk in ider
    )
    senere = FordringFactory.create(konto=konto)
    assert senere.pk not in ider
    assert ider_tag(Fordring, 0) == []
