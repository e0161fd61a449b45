"""Four eyes are two persons: an API key acts as its holder, no one grants a role they do not
hold, and every grant is audited with who gave what to whom."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fordringer.choices import UdbetalingStatus
from fordringer.models import Udbetaling
from fordringer.ompostering.udbetaling import udbetaling_godkend
from ky_debitor.api_noegler import api_noegle_opret
from ky_debitor.errors import ApplicationError
from ky_debitor.models import ApiNoegle, AuditEvent, Bruger
from ky_debitor.roles import Rolle

from .. import personas
from ..factories import BrugerFactory, kommune
from ..fordringer.ompostering.ompostering_data import opret

UDBETALINGER = "/api/v1/udbetalinger/"


def _med_noegle(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _som(user: Bruger) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _omposter_med_udbetaling(client: APIClient, user: Bruger) -> int:
    """An ompostering through the API that pays 300,00 out; the payout's id."""
    s = opret(user)
    svar = client.post(
        "/api/v1/omposteringer/",
        {
            "daekninger": [s.daekning.pk],
            "aarsag": s.aarsag.pk,
            "til_borger": s.bo.pk,
            "fordeling": [{"fordring": s.fb.pk, "beloeb": "200.00"}],
            "udbetaling": {
                "beloeb": "300.00",
                "kanal": "NEMKONTO",
                "ny_modtager": {"navn": "Advokat Hansen", "identifikation": "12345674"},
            },
            "note": "Indbetalingen er omstødt af skifteretten.",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="omp-1",
    )
    assert svar.status_code == 201, svar.json()
    return int(svar.json()["udbetalinger"][0])


def _godkend(client: APIClient, udbetaling_id: int):
    return client.post(
        f"{UDBETALINGER}{udbetaling_id}/godkend/", {}, format="json", HTTP_IDEMPOTENCY_KEY="g"
    )


@pytest.fixture
def bodil(db):
    return personas.bodil()


@pytest.fixture
def operatoer(db):
    """The platform operator, with the admin's front door open."""
    return personas.operatoer(is_staff=True)


def test_drift_cannot_make_a_key_with_a_role_drift_does_not_hold(dina):
    with pytest.raises(ApplicationError, match="Bogholder"):
        api_noegle_opret(user=dina, kommune=kommune(101), rolle=Rolle.BOGHOLDER, navn="Økonomi")
    assert not ApiNoegle.objects.exists()


def test_two_keys_of_one_person_cannot_create_and_approve_one_payout(bodil):
    _, a = api_noegle_opret(user=bodil, kommune=kommune(101), rolle=Rolle.BOGHOLDER, navn="A")
    _, b = api_noegle_opret(user=bodil, kommune=kommune(101), rolle=Rolle.BOGHOLDER, navn="B")
    udbetaling_id = _omposter_med_udbetaling(_med_noegle(a), bodil)

    svar = _godkend(_med_noegle(b), udbetaling_id)

    assert svar.status_code == 400, svar.json()
    assert "fire øjne" in svar.json()["detail"]
    assert Udbetaling.objects.get(pk=udbetaling_id).status == UdbetalingStatus.AFVENTER


def test_a_payout_made_on_the_screen_cannot_be_approved_with_the_same_persons_key(bodil):
    _, token = api_noegle_opret(
        user=bodil, kommune=kommune(101), rolle=Rolle.BOGHOLDER, navn="Økonomi"
    )
    udbetaling_id = _omposter_med_udbetaling(_som(bodil), bodil)

    svar = _godkend(_med_noegle(token), udbetaling_id)

    assert svar.status_code == 400
    assert "fire øjne" in svar.json()["detail"]
    assert Udbetaling.objects.get(pk=udbetaling_id).status == UdbetalingStatus.AFVENTER


def test_another_persons_key_approves_and_the_audit_names_the_person_and_the_key(bodil, birgit):
    noegle, token = api_noegle_opret(
        user=bodil, kommune=kommune(101), rolle=Rolle.BOGHOLDER, navn="Økonomi"
    )
    udbetaling_id = _omposter_med_udbetaling(_som(birgit), birgit)

    svar = _godkend(_med_noegle(token), udbetaling_id)

    assert svar.status_code == 200, svar.json()
    assert svar.json()["behandlet_af"] == bodil.pk
    linje = AuditEvent.objects.get(handling="udbetaling.godkendt")
    assert linje.bruger == bodil
    assert "bodil" in linje.aktoer and noegle.praefiks in linje.aktoer


def test_a_key_never_has_more_than_its_holder_now(bodil):
    _, token = api_noegle_opret(
        user=bodil, kommune=kommune(101), rolle=Rolle.BOGHOLDER, navn="Økonomi"
    )
    assert _med_noegle(token).get(UDBETALINGER).status_code == 200

    bodil.groups.remove(Group.objects.get(name=Rolle.BOGHOLDER))

    assert _med_noegle(token).get(UDBETALINGER).status_code == 403


def test_a_person_makes_keys_only_for_themselves(bodil, birgit):
    with pytest.raises(ApplicationError, match="selv"):
        api_noegle_opret(
            user=bodil,
            kommune=kommune(101),
            rolle=Rolle.BOGHOLDER,
            navn="Birgits",
            indehaver=birgit,
        )
    assert not ApiNoegle.objects.exists()


def test_the_key_of_a_person_of_another_kommune_is_refused(operatoer):
    ole = BrugerFactory.create(kommune=kommune(461), roller=[Rolle.DRIFT])
    with pytest.raises(ApplicationError, match="kommune"):
        api_noegle_opret(
            user=operatoer, kommune=kommune(101), rolle=Rolle.DRIFT, navn="X", indehaver=ole
        )
    assert not ApiNoegle.objects.exists()


def test_key_creation_is_audited_with_who_gave_what_to_whom(operatoer, birgit):
    noegle, _ = api_noegle_opret(
        user=operatoer,
        kommune=kommune(101),
        rolle=Rolle.BOGHOLDER,
        navn="Økonomi",
        indehaver=birgit,
    )
    linje = AuditEvent.objects.get(handling="api_noegle.opret")
    assert linje.bruger == operatoer
    assert linje.objekt_id == str(noegle.pk)
    assert "Bogholder" in linje.beskrivelse and "birgit" in linje.beskrivelse
    assert linje.data["rolle"] == "Bogholder" and linje.data["indehaver_id"] == birgit.pk


def test_a_payout_of_an_old_key_user_is_its_holders_for_four_eyes(bodil, birgit):
    """A key made before keys had holders acted through its own user; that user's payout is
    still its holder's, so the holder cannot approve it on the screen."""
    gammel = BrugerFactory.create(username="api-101-gammel", kommune=kommune(101))
    ApiNoegle.objects.create(
        navn="Gammel",
        kommune=kommune(101),
        rolle=Rolle.BOGHOLDER,
        bruger=gammel,
        indehaver=bodil,
        oprettet_af=bodil,
        praefiks="gammel",
        hash="0" * 64,
    )
    udbetaling_id = _omposter_med_udbetaling(_som(birgit), birgit)
    Udbetaling.objects.filter(pk=udbetaling_id).update(oprettet_af=gammel)

    with pytest.raises(ApplicationError, match="fire øjne"):
        udbetaling_godkend(user=bodil, udbetaling_id=udbetaling_id)
    assert Udbetaling.objects.get(pk=udbetaling_id).status == UdbetalingStatus.AFVENTER


# Granting roles to people: the admin's user form and any direct change of a person's groups.


@pytest.fixture
def dina_med_brugerret(dina):
    """Dina, Drift only, to whom a platform operator gave the right to change users."""
    from django.contrib.auth.models import Permission

    dina.is_staff = True
    dina.save(update_fields=["is_staff"])
    dina.user_permissions.add(Permission.objects.get(codename="change_bruger"))
    client = Client()
    client.force_login(dina)
    return client


def _bruger_formular(bruger: Bruger, roller: list[str]) -> dict[str, object]:
    return {
        "username": bruger.username,
        "first_name": bruger.first_name,
        "last_name": bruger.last_name,
        "email": "",
        "kommune": bruger.kommune_id,
        "groups": [Group.objects.get(name=r).pk for r in roller],
        "is_active": "on",
    }


def test_the_admin_refuses_to_grant_a_role_the_granter_does_not_hold(dina_med_brugerret, db):
    carl = BrugerFactory.create(username="carl", kommune=kommune(101), roller=[Rolle.DRIFT])
    url = reverse("admin:ky_debitor_bruger_change", args=[carl.pk])

    svar = dina_med_brugerret.post(url, _bruger_formular(carl, [Rolle.DRIFT, Rolle.BOGHOLDER]))

    assert svar.status_code == 200
    assert "Bogholder" in svar.content.decode()
    assert "kun give roller, du selv har" in svar.content.decode()
    assert set(carl.groups.values_list("name", flat=True)) == {Rolle.DRIFT}
    assert not AuditEvent.objects.filter(handling="rolle.tildel", data__rolle="Bogholder").exists()


def test_a_grant_in_the_admin_is_audited_as_x_gave_y_the_role(operatoer, db):
    carl = BrugerFactory.create(username="carl", kommune=kommune(101), roller=[Rolle.DRIFT])
    client = Client()
    client.force_login(operatoer)
    url = reverse("admin:ky_debitor_bruger_change", args=[carl.pk])

    svar = client.post(url, _bruger_formular(carl, [Rolle.BOGHOLDER]))

    assert svar.status_code == 302, svar.content.decode()[:2000]
    assert set(carl.groups.values_list("name", flat=True)) == {Rolle.BOGHOLDER}
    givet = AuditEvent.objects.get(handling="rolle.tildel", bruger=operatoer)
    assert givet.bruger == operatoer
    assert givet.beskrivelse == "operatoer gav carl rollen Bogholder."
    fjernet = AuditEvent.objects.get(handling="rolle.fjern", objekt_id=str(carl.pk))
    assert fjernet.beskrivelse == "operatoer fjernede rollen Drift fra carl."


def test_a_direct_group_change_is_audited_too(db):
    carl = BrugerFactory.create(username="carl", kommune=kommune(101))
    Group.objects.get(name=Rolle.PROJEKTLEDER).user_set.add(carl)
    linje = AuditEvent.objects.get(handling="rolle.tildel", objekt_id=str(carl.pk))
    assert linje.beskrivelse == "system gav carl rollen Projektleder."
    assert linje.kommune_id == carl.kommune_id
