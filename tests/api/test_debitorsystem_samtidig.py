"""One message from the debitorsystem delivered twice at the same moment (PostgreSQL): it is
booked once, and both answers carry that one outcome."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from fordringer.models import IndgaaendeBesked, Postering
from ky_debitor.api_noegler import api_noegle_opret
from ky_debitor.roles import Rolle

from ..factories import BrugerFactory, FordringFactory, kommune
from .conftest import samtidigt

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_deliveries_of_one_message_at_once_book_it_once():
    drift = BrugerFactory.create(kommune=kommune(101), roller=[Rolle.DRIFT])
    _, token = api_noegle_opret(
        user=drift, kommune=kommune(101), rolle=Rolle.DRIFT, navn="Debitorsystem"
    )
    fordring = FordringFactory.create(ydelsestype=None)
    besked = {
        "besked_id": "samtidig-1",
        "fordringsid": fordring.fordringsid,
        "art": "DAEKNING",
        "beloeb": "150.00",
        "valoerdato": "2026-03-01",
    }
    svar = samtidigt(token, reverse("api:debitorsystem_daekning"), besked)

    assert sorted(s for s, _ in svar) == [200, 201], svar
    assert svar[0][1] == svar[1][1]
    assert IndgaaendeBesked.objects.count() == 1
    assert Postering.objects.filter(fordring=fordring, art="DAEKNING").count() == 1
    fordring.refresh_from_db()
    assert fordring.restance == Decimal("850.00")
