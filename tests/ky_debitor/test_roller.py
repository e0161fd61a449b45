"""Role groups get the model permissions of the one table in ky_debitor.roles."""

from django.contrib.auth.models import Group

from ky_debitor.roles import Rolle, roller_synkroniser


def test_groups_hold_exactly_their_table_permissions(db):
    roller_synkroniser()
    drift = set(
        Group.objects.get(name=Rolle.DRIFT).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert ("fordringer", "view_postering") in drift
    assert ("sagstilknytning", "add_sagstilknytningskoersel") in drift
    # The national tables are the national administrator's: Drift only views them.
    assert ("fordringer", "view_rentesats") in drift
    assert ("fordringer", "change_ydelseskode") not in drift
    assert ("fordringer", "add_rentesats") not in drift
    national = set(
        Group.objects.get(name=Rolle.NATIONAL).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert ("fordringer", "add_rentesats") in national
    assert ("fordringer", "change_rentesats") not in national
    assert ("fordringer", "view_borger") not in national
    assert ("fordringer", "change_postering") not in drift
    assert ("fordringer", "delete_debitorkonto") not in drift
    sagsbehandler = Group.objects.get(name=Rolle.SAGSBEHANDLER).permissions
    assert not sagsbehandler.filter(content_type__app_label="fordringer").exists()


def test_drift_user_sees_the_admin_lists_of_their_kommune(client, db):
    from tests.factories import BrugerFactory, kommune

    roller_synkroniser()
    drift = BrugerFactory.create(kommune=kommune(101), is_staff=True, roller=[Rolle.DRIFT])
    client.force_login(drift)
    assert client.get("/admin/fordringer/debitorkonto/").status_code == 200
    assert client.get("/admin/fordringer/postering/").status_code == 200
    assert client.get("/admin/fordringer/postering/add/").status_code == 403
