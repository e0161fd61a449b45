"""The national reference tables (ydelsestyper, ydelseskoder, § 8 O, interest rates and
regimes, ompostering reasons) are the same for every kommune:

* only the national administrator adds to them; a kommune's Drift or Bogholder cannot;
* rates and lists are append-only: a change is a new row from a date, never an edit (the admin,
  the model and, on PostgreSQL, the database refuse an edit);
* a reason text is retired, never reworded, and a booked ompostering keeps the text it was
  booked with;
* a national change is in every kommune's audit trail; a kommune's own events stay its own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from fordringer.choices import Renteregime
from fordringer.models import (
    LL8ODaekning,
    OmposteringAarsag,
    Renteregimeregel,
    Rentesats,
    Ydelseskode,
    Ydelsestype,
)
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
from fordringer.ydelser.selectors import LL8OTabel
from ky_debitor.append_only import AppendOnlyError
from ky_debitor.audit import audit_log
from ky_debitor.models import AuditEvent, Bruger
from ky_debitor.roles import Rolle
from tests import personas
from tests.factories import BrugerFactory, kommune
from tests.fordringer.ompostering.ompostering_data import IDAG, opret

NATIONALE = ["ydelsestype", "ydelseskode", "ll8odaekning", "rentesats", "renteregimeregel"]


def _logget_paa(bruger: Bruger) -> Client:
    client = Client()
    client.force_login(bruger)
    return client


def _person(username: str, rolle: Rolle, kode: int | None) -> Bruger:
    return BrugerFactory.create(
        username=username,
        kommune=kommune(kode) if kode is not None else None,
        is_staff=True,
        roller=[rolle],
    )


@pytest.fixture
def national(db) -> Bruger:
    return personas.nina(is_staff=True)


@pytest.fixture
def national_client(national) -> Client:
    return _logget_paa(national)


def _rentesats_data(gyldig_fra: str, basisrente: str) -> dict[str, str]:
    return {
        "renteregime": Renteregime.OPKRAEVNINGSLOVEN_7,
        "gyldig_fra": gyldig_fra,
        "basisrente": basisrente,
        "tillaeg": "0.700",
        "kilde": "Nationalbankens udlånsrente",
    }


@pytest.mark.parametrize("rolle", [Rolle.DRIFT, Rolle.BOGHOLDER])
def test_a_kommunes_drift_or_bogholder_cannot_change_a_national_table(db, rolle):
    client = _logget_paa(_person("kommunal", rolle, 101))
    aarsag = OmposteringAarsag.objects.order_by("pk")[0]
    sats = Rentesats.objects.order_by("pk")[0]

    for model in [*NATIONALE, "omposteringaarsag"]:
        assert client.get(reverse(f"admin:fordringer_{model}_add")).status_code == 403, model
    svar = client.post(
        reverse("admin:fordringer_omposteringaarsag_change", args=[aarsag.pk]),
        {"tekst": "Ny tekst for alle kommuner", "aktiv": "on", "raekkefoelge": "0"},
    )
    assert svar.status_code == 403
    svar = client.post(
        reverse("admin:fordringer_rentesats_change", args=[sats.pk]),
        _rentesats_data(f"{sats.gyldig_fra:%Y-%m-%d}", "9.000"),
    )
    assert svar.status_code == 403
    aarsag_nu, sats_nu = (
        OmposteringAarsag.objects.get(pk=aarsag.pk),
        Rentesats.objects.get(pk=sats.pk),
    )
    assert (aarsag_nu.tekst, sats_nu.basisrente) == (aarsag.tekst, sats.basisrente)


def test_the_national_administrator_adds_a_rate_from_a_date_and_cannot_edit_one(
    national_client,
):
    sats = Rentesats.objects.filter(renteregime=Renteregime.OPKRAEVNINGSLOVEN_7).latest(
        "gyldig_fra"
    )
    svar = national_client.post(
        reverse("admin:fordringer_rentesats_add"), _rentesats_data("2027-01-01", "0.250")
    )
    assert svar.status_code == 302
    ny = Rentesats.objects.get(gyldig_fra=dt.date(2027, 1, 1))
    assert ny.maanedlig_pct == Decimal("0.950")

    # The existing rate: shown read-only, an edit refused, nothing changed.
    aendr = reverse("admin:fordringer_rentesats_change", args=[sats.pk])
    side = national_client.get(aendr)
    assert side.status_code == 200
    assert 'name="_save"' not in side.content.decode()
    assert national_client.post(aendr, _rentesats_data("2027-01-01", "9.000")).status_code == 403
    slet = reverse("admin:fordringer_rentesats_delete", args=[sats.pk])
    assert national_client.post(slet, {"post": "yes"}).status_code == 403
    assert Rentesats.objects.get(pk=sats.pk).basisrente == sats.basisrente
    # The national administrator has no kommune: no citizen screen is theirs.
    assert national_client.get(reverse("borger_soeg")).status_code == 403


def test_a_national_change_is_in_every_kommunes_audit_trail_and_nothing_else_is(db):
    platform = BrugerFactory.create(username="platform", kommune=None, is_superuser=True)
    platform.is_staff = True
    platform.save()
    svar = _logget_paa(platform).post(
        reverse("admin:fordringer_rentesats_add"), _rentesats_data("2027-01-01", "0.250")
    )
    assert svar.status_code == 302
    national = AuditEvent.objects.get(objekt_type="fordringer.rentesats")
    assert national.kommune_id is None
    egen = audit_log(
        user=None,
        kommune_id=kommune(101).pk,
        handling="test.koebenhavn",
        objekt=kommune(101),
        beskrivelse="Kun for København",
    )
    uden_kommune = audit_log(
        user=None, kommune_id=None, handling="test.system", objekt=platform, beskrivelse="System"
    )

    liste = reverse("admin:ky_debitor_auditevent_changelist")
    for kode in (101, 461):
        drift = _logget_paa(_person(f"drift{kode}", Rolle.DRIFT, kode))
        vist = set(drift.get(liste).context["cl"].queryset)
        assert national in vist, kode
        assert (egen in vist) == (kode == 101), kode
        assert uden_kommune not in vist, kode
    nina = _logget_paa(_person("nina", Rolle.NATIONAL, None))
    assert set(nina.get(liste).context["cl"].queryset) == {national}


def test_a_reason_is_retired_by_the_national_administrator_never_reworded(national_client):
    aarsag = OmposteringAarsag.objects.order_by("pk")[0]
    tekst = aarsag.tekst
    aendr = reverse("admin:fordringer_omposteringaarsag_change", args=[aarsag.pk])
    svar = national_client.post(aendr, {"tekst": "Omformuleret årsag", "raekkefoelge": "5"})
    assert svar.status_code == 302
    aarsag.refresh_from_db()
    assert (aarsag.tekst, aarsag.aktiv) == (tekst, False)
    with pytest.raises(AppendOnlyError):
        aarsag.tekst = "Omformuleret årsag"
        aarsag.save()
    with pytest.raises(AppendOnlyError):
        OmposteringAarsag.objects.filter(pk=aarsag.pk).update(tekst="Omformuleret årsag")
    with pytest.raises(AppendOnlyError):
        OmposteringAarsag.objects.get(pk=aarsag.pk).delete()
    assert OmposteringAarsag.objects.get(pk=aarsag.pk).tekst == tekst
    event = AuditEvent.objects.get(objekt_type="fordringer.omposteringaarsag")
    assert event.kommune_id is None


def test_a_booked_ompostering_keeps_the_reason_text_it_was_booked_with(bent):
    s = opret(bent)
    booket_tekst = s.aarsag.tekst
    ompostering = ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(s.fb.pk, Decimal("500.00"))],
        idag=IDAG,
    )
    # Even if the reason row were rewritten behind the application's back (as an in-place edit
    # did before this rule), the receipt shows the text the ompostering was booked with.
    _omskriv_aarsag(s.aarsag.pk, "Omskrevet i databasen")
    kvittering = _logget_paa(bent).get(reverse("ompostering_kvittering", args=[ompostering.pk]))
    html = kvittering.content.decode()
    assert booket_tekst in html
    assert "Omskrevet i databasen" not in html


def _omskriv_aarsag(pk: int, tekst: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
        cursor.execute(
            "UPDATE fordringer_omposteringaarsag SET tekst = %s WHERE id = %s", [tekst, pk]
        )


def test_rates_and_lists_refuse_an_edit_in_the_application(db):
    for model in (Ydelsestype, Ydelseskode, LL8ODaekning, Rentesats, Renteregimeregel):
        raekke = model.objects.order_by("pk").first()
        if raekke is None:
            continue
        felt = model._meta.concrete_fields[1].attname
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=raekke.pk).update(**{felt: getattr(raekke, felt)})
        with pytest.raises(AppendOnlyError):
            raekke.save()
        with pytest.raises(AppendOnlyError):
            raekke.delete()


def test_section_8o_coverage_ends_with_a_new_row_from_an_income_year(db):
    kth = Ydelsestype.objects.get(kode="KONTANTHJAELP")
    assert LL8OTabel().omfatter(kth.pk, 2027)
    LL8ODaekning.objects.create(
        ydelsestype=kth, fra_indkomstaar=2027, omfattet=False, kilde="Lov om ophør (test)"
    )
    tabel = LL8OTabel()
    assert tabel.omfatter(kth.pk, 2026)
    assert not tabel.omfatter(kth.pk, 2027)


@pytest.mark.postgres
def test_the_database_refuses_an_update_or_delete_of_a_national_row(db):
    Renteregimeregel.objects.create(
        ydelsestype=Ydelsestype.objects.get(kode="KONTANTHJAELP"),
        renteregime=Renteregime.OPKRAEVNINGSLOVEN_7,
        gyldig_fra=dt.date(2020, 1, 1),
        kilde="test",
    )
    for model in NATIONALE:
        table = f"fordringer_{model}"
        for sql in (f"UPDATE {table} SET id = id + 1000000", f"DELETE FROM {table}"):
            with (
                pytest.raises(IntegrityError, match="kun til tilføjelse"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        # Writing a row back unchanged is no edit (Django's test database restore does it).
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET id = id")
    aarsag = "fordringer_omposteringaarsag"
    for sql in (f"UPDATE {aarsag} SET tekst = tekst || '!'", f"DELETE FROM {aarsag}"):
        with (
            pytest.raises(IntegrityError, match="kun til tilføjelse"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    # Retiring a reason is the one change the database allows.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {aarsag} SET aktiv = false WHERE id = (SELECT min(id) FROM {aarsag})"
        )
    assert OmposteringAarsag.objects.filter(aktiv=False).count() == 1
    assert Rentesats.objects.count() > 0
