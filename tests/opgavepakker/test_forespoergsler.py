"""A fixed number of queries per screen, whatever the number of tasks (10 or 1,000)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fordringer.choices import Kilde
from fordringer.models import Borger, Debitorkonto, Fordring
from opgavepakker.models import Opgave, OpgaveType
from opgavepakker.services import pakker_sikr

# "start" counts the konti with parked dækninger of the closing income year in one more.
MAKS = {"start": 13, "liste": 15, "skaerm": 16}


def flere_opgaver(kommune: Any, fra: int, til: int) -> None:
    """Konti with one claim and an open task each, in bulk (factories would take minutes)."""
    pakke = pakker_sikr(kommune.pk)["FLERE_BEVILLINGER_MED"]
    borgere = Borger.objects.bulk_create(
        [
            Borger(kommune=kommune, cpr=f"0101{i % 100:02d}{i:04d}", navn=f"Borger {i}")
            for i in range(fra, til)
        ]
    )
    konti = Debitorkonto.objects.bulk_create(
        [
            Debitorkonto(kommune=kommune, borger=b, kontonummer=f"M{i:06d}", kilde=Kilde.KMD_AKTIV)
            for i, b in zip(range(fra, til), borgere, strict=True)
        ]
    )
    Fordring.objects.bulk_create(
        [
            Fordring(
                kommune=kommune,
                konto=k,
                fordringsid=f"MF{k.kontonummer}",
                kilde=Kilde.KMD_AKTIV,
                hovedstol=Decimal("100.00"),
                restance=Decimal("100.00"),
            )
            for k in konti
        ]
    )
    Opgave.objects.bulk_create(
        [
            Opgave(
                kommune=kommune,
                pakke=pakke,
                konto=k,
                type=OpgaveType.OPRET_FORDRINGSSAG,
                aarsag="FLERE_BEVILLINGER",
            )
            for k in konti
        ]
    )


def antal(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as forespoergsler:
        svar = client.get(url)
    assert svar.status_code == 200, url
    return len(forespoergsler)


@pytest.mark.django_db
def test_start_page_task_list_and_task_screen_cost_the_same_with_10_and_1000_tasks(
    client, alice, pia, koebenhavn, django_assert_max_num_queries
):
    flere_opgaver(koebenhavn, 0, 10)
    foerste = Opgave.objects.order_by("pk").first()
    assert foerste is not None
    sider = {
        "start": reverse("mine_opgaver"),
        "liste": f"{reverse('opgave_liste')}?pakke={foerste.pakke_id}&sorter=-restance",
        "skaerm": reverse("opgave", args=[foerste.pk]),
    }
    maalt: dict[str, list[int]] = {navn: [] for navn in sider}
    for bruger in (alice, pia):
        client.force_login(bruger)
        for navn, url in sider.items():
            maalt[navn].append(antal(client, url))

    flere_opgaver(koebenhavn, 10, 1000)
    assert Opgave.objects.count() == 1000
    for i, bruger in enumerate((alice, pia)):
        client.force_login(bruger)
        for navn, url in sider.items():
            with django_assert_max_num_queries(MAKS[navn]):
                efter = antal(client, url)
            assert efter == maalt[navn][i], f"{navn}: {maalt[navn][i]} → {efter} forespørgsler"
    print({navn: tal for navn, tal in maalt.items()})
