"""The table of privileges to roles, kept by Drift in the admin (issue #21).

Mapping a privilege to a role is granting that role to whoever holds the privilege, so it
follows the rule of granting by hand: Drift maps only to roles they hold, in their own kommune;
every change is audited; another kommune's rows are out of reach.
"""

from __future__ import annotations

from django.urls import reverse

from ky_debitor.models import AuditEvent, Rolleprivilegium
from ky_debitor.roles import Rolle

from .. import personas
from ..factories import kommune

PRIVILEGIUM = "http://kommune101.dk/roles/jobrole/drift/1"
TILFOEJ = "admin:ky_debitor_rolleprivilegium_add"


def _tilfoej(client, rolle: Rolle, kode: int | None = 101):
    return client.post(
        reverse(TILFOEJ),
        {
            "kommune": kommune(kode).pk if kode else "",
            "privilegium": PRIVILEGIUM,
            "rolle": rolle.value,
            "beskrivelse": "Drift i KY Debitor",
        },
    )


def test_drift_maps_a_privilege_of_their_kommune_to_their_role_and_it_is_audited(client, db):
    dagny = personas.dagny()
    client.force_login(dagny)

    svar = _tilfoej(client, Rolle.DRIFT)

    assert svar.status_code == 302, svar.content.decode()[:2000]
    raekke = Rolleprivilegium.objects.get(privilegium=PRIVILEGIUM)
    assert raekke.kommune == kommune(101) and raekke.rolle == "Drift"
    haendelse = AuditEvent.objects.get(handling="admin.opret", objekt_id=str(raekke.pk))
    assert haendelse.bruger == dagny and haendelse.kommune_id == raekke.kommune_id


def test_drift_cannot_map_to_a_role_they_do_not_hold(client, db):
    client.force_login(personas.dagny())

    svar = _tilfoej(client, Rolle.BOGHOLDER)

    assert svar.status_code == 200
    assert "Du har ikke rollen Bogholder" in svar.content.decode()
    assert not Rolleprivilegium.objects.exists()


def test_drift_cannot_make_a_national_row(client, db):
    client.force_login(personas.dagny())

    svar = _tilfoej(client, Rolle.NATIONAL, None)

    assert svar.status_code == 200
    assert not Rolleprivilegium.objects.exists()


def test_another_kommunes_rows_are_out_of_reach(client, db):
    raekke = Rolleprivilegium.objects.create(
        kommune=kommune(101), privilegium=PRIVILEGIUM, rolle="Drift"
    )
    client.force_login(personas.ole())

    liste = client.get(reverse("admin:ky_debitor_rolleprivilegium_changelist"))
    assert liste.status_code == 200 and PRIVILEGIUM not in liste.content.decode()
    side = client.get(reverse("admin:ky_debitor_rolleprivilegium_change", args=[raekke.pk]))
    assert side.status_code in (302, 404)
    assert PRIVILEGIUM not in side.content.decode()
    # Nor can Odense's Drift put a row into København.
    assert _tilfoej(client, Rolle.DRIFT).status_code == 200
    assert Rolleprivilegium.objects.count() == 1
