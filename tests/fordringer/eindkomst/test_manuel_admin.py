"""The administration's by-hand eIndkomst amounts: a read-only list with masked CPR numbers,
and "Tilføj" that records through the service (same checks, kilde Administration, audited),
never a bare row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fordringer.models import EIndkomstManuel
from ky_debitor.models import AuditEvent
from tests import personas

from .afstemning_data import borger_med_ll8o

ADD = "admin:fordringer_eindkomstmanuel_add"


@pytest.fixture(autouse=True)
def idag():
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def bogholder_i_admin(db):
    bent = personas.bent(is_staff=True)
    borger_med_ll8o(bogholder=bent)
    c = Client()
    c.force_login(bent)
    return c


def test_add_goes_through_the_service(bogholder_i_admin):
    c = bogholder_i_admin
    data = {"cpr": "0502824567", "indkomstaar": "2026", "beloeb": "99,95", "tekst": "Via admin"}
    svar = c.post(reverse(ADD), data, follow=True)
    assert svar.status_code == 200
    side = svar.content.decode()
    assert "99,95 kr. for 050282-**** i indkomståret 2026 er registreret" in side
    assert "0502824567" not in side
    row = EIndkomstManuel.objects.get()
    assert (row.beloeb, row.kilde) == (Decimal("99.95"), "ADMIN")
    assert AuditEvent.objects.get(handling="eindkomst.manuel.opret").objekt_id == str(row.pk)
    assert not AuditEvent.objects.filter(handling="admin.opret").exists()


def test_bad_input_in_the_admin_is_the_services_danish_message(bogholder_i_admin):
    data = {"cpr": "0502824567", "indkomstaar": "2013", "beloeb": "-1,00", "tekst": ""}
    svar = bogholder_i_admin.post(reverse(ADD), data)
    assert svar.status_code == 400
    assert "Indkomståret 2013 ligger uden for kommunens data" in svar.content.decode()
    assert not EIndkomstManuel.objects.exists()


def test_rows_cannot_be_changed_or_deleted(bogholder_i_admin):
    c = bogholder_i_admin
    c.post(reverse(ADD), {"cpr": "0502824567", "indkomstaar": "2026", "beloeb": "10"})
    row = EIndkomstManuel.objects.get()
    slet = c.post(reverse("admin:fordringer_eindkomstmanuel_delete", args=[row.pk]))
    ret = c.post(reverse("admin:fordringer_eindkomstmanuel_change", args=[row.pk]), {"beloeb": "1"})
    assert (slet.status_code, ret.status_code) == (403, 403)
    assert EIndkomstManuel.objects.get().beloeb == Decimal("10.00")


def test_a_caseworker_in_the_admin_cannot_add(db):
    sune = personas.sune()
    c = Client()
    c.force_login(sune)
    assert c.get(reverse(ADD)).status_code == 403
