"""The ledger is append-only and keeps restance and payments within bounds (DESIGN §4.2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from fordringer.choices import PosteringArt
from fordringer.konto.selectors import restance_fra_ledger
from fordringer.ledger.services import postering_bogfoer, postering_tilbagefoer
from fordringer.models import Fordring, Indbetaling, Postering
from ky_debitor.append_only import AppendOnlyError
from ky_debitor.errors import ApplicationError
from ky_debitor.models import AuditEvent
from tests.factories import FordringFactory, IndbetalingFactory

DATO = dt.date(2025, 3, 1)


@pytest.fixture
def fordring(db):
    return FordringFactory.create(hovedstol=Decimal("1000.00"))


def daek(fordring, beloeb, bent, indbetaling=None):
    return postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal(beloeb),
        valoerdato=DATO,
        user=bent,
        indbetaling=indbetaling,
        begrundelse="test",
    )


def test_daekning_lowers_restance_and_uses_the_payment(fordring, bent):
    indbetaling = IndbetalingFactory.create(beloeb=Decimal("300.00"))
    daek(fordring, "250.50", bent, indbetaling)
    fordring.refresh_from_db()
    indbetaling.refresh_from_db()
    assert fordring.restance == Decimal("749.50")
    assert restance_fra_ledger(fordring) == Decimal("749.50")
    assert indbetaling.daekket == Decimal("250.50")


def test_restance_can_never_go_negative(fordring, bent):
    with pytest.raises(ApplicationError, match="overstiger fordringens restance"):
        daek(fordring, "1000.01", bent)
    fordring.refresh_from_db()
    assert fordring.restance == Decimal("1000.00")
    assert fordring.posteringer.count() == 1


def test_payment_can_never_cover_more_than_its_amount(bent, db):
    indbetaling = IndbetalingFactory.create(beloeb=Decimal("100.00"))
    a, b = FordringFactory.create(), FordringFactory.create()
    daek(a, "60.00", bent, indbetaling)
    with pytest.raises(ApplicationError, match=r"kun 40,00 kr\. tilbage"):
        daek(b, "40.01", bent, indbetaling)
    indbetaling.refresh_from_db()
    b.refresh_from_db()
    assert indbetaling.daekket == Decimal("60.00")
    assert b.restance == Decimal("1000.00")


def test_database_refuses_negative_restance_and_overcovered_payment(fordring, db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Fordring.objects.filter(pk=fordring.pk).update(restance=Decimal("-0.01"))
    indbetaling = IndbetalingFactory.create(beloeb=Decimal("10.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Indbetaling.objects.filter(pk=indbetaling.pk).update(daekket=Decimal("10.01"))


def test_reversal_restores_restance_and_payment_and_happens_once(fordring, bent):
    indbetaling = IndbetalingFactory.create(beloeb=Decimal("300.00"))
    p = daek(fordring, "300.00", bent, indbetaling)
    postering_tilbagefoer(postering=p, user=bent, begrundelse="Fejlagtig dækning")
    fordring.refresh_from_db()
    indbetaling.refresh_from_db()
    assert fordring.restance == Decimal("1000.00")
    assert indbetaling.daekket == Decimal("0.00")
    with pytest.raises(ApplicationError, match="allerede tilbageført"):
        postering_tilbagefoer(postering=p, user=bent, begrundelse="igen")


def test_ledger_row_cannot_be_updated_or_deleted_through_the_model(fordring):
    postering = fordring.posteringer.get()
    postering.tekst = "ændret"
    with pytest.raises(AppendOnlyError):
        postering.save()
    with pytest.raises(AppendOnlyError):
        postering.delete()
    with pytest.raises(AppendOnlyError):
        Postering.objects.filter(pk=postering.pk).update(tekst="ændret")
    with pytest.raises(AppendOnlyError):
        Postering.objects.filter(pk=postering.pk).delete()
    assert Postering.objects.get(pk=postering.pk).tekst == "Hovedstol"


@pytest.mark.postgres
def test_database_trigger_refuses_raw_update_and_delete_of_ledger_and_audit(fordring, bent):
    daek(fordring, "10.00", bent)
    for table in ("fordringer_postering", "ky_debitor_auditevent"):
        for sql in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with (
                pytest.raises(IntegrityError, match="kun til tilføjelse"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
    assert Postering.objects.filter(fordring=fordring).count() == 2


def test_every_booking_is_audited_with_who_and_why(fordring, bent):
    daek(fordring, "10.00", bent)
    event = AuditEvent.objects.get(handling="postering.daekning")
    assert event.bruger == bent
    assert event.begrundelse == "test"
    assert "10,00" in event.beskrivelse
