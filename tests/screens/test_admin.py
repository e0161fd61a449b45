"""The admin: scoped to the person's kommune, the ledger and the audit trail read-only, and
every write audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fordringer.choices import DokumentStatus, DokumentType
from fordringer.models import Borger, Dokument, Postering
from ky_debitor.models import AuditEvent, Opslag

from ..factories import BorgerFactory, DebitorkontoFactory, FordringFactory, kommune


def test_ledger_rows_can_be_viewed_but_not_added_changed_or_deleted(
    dorte_client, konto_med_historik
):
    postering = konto_med_historik.foerste.posteringer.first()
    aendr = reverse("admin:fordringer_postering_change", args=[postering.pk])

    side = dorte_client.get(aendr)
    assert side.status_code == 200
    html = side.content.decode()
    assert 'name="_save"' not in html
    assert "deletelink" not in html

    assert dorte_client.get(reverse("admin:fordringer_postering_add")).status_code == 403
    assert dorte_client.post(aendr, {"tekst": "ændret"}).status_code == 403
    slet = reverse("admin:fordringer_postering_delete", args=[postering.pk])
    assert dorte_client.post(slet, {"post": "yes"}).status_code == 403
    liste = dorte_client.post(
        reverse("admin:fordringer_postering_changelist"),
        {"action": "delete_selected", "_selected_action": [postering.pk], "post": "yes"},
    )
    assert liste.status_code in (200, 302)
    assert Postering.objects.filter(pk=postering.pk).exists()
    postering.refresh_from_db()
    assert postering.tekst == "Hovedstol"


@pytest.mark.parametrize(
    "model", ["ky_debitor_auditevent", "ky_debitor_opslag", "fordringer_parkering"]
)
def test_audit_and_lookup_logs_cannot_be_added(dorte_client, model):
    assert dorte_client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_admin_lists_show_only_the_own_kommune(dorte_client, karen, odense_borger):
    FordringFactory.create(
        konto=DebitorkontoFactory.create(borger=odense_borger, kontonummer="K-ODENSE")
    )
    FordringFactory.create(konto=DebitorkontoFactory.create(borger=karen, kontonummer="K-KBH"))

    borgere = dorte_client.get(reverse("admin:fordringer_borger_changelist"))
    assert list(borgere.context["cl"].queryset) == [karen]
    konti = dorte_client.get(reverse("admin:fordringer_debitorkonto_changelist"))
    assert [k.kontonummer for k in konti.context["cl"].queryset] == ["K-KBH"]
    posteringer = dorte_client.get(reverse("admin:fordringer_postering_changelist"))
    assert {p.kommune_id for p in posteringer.context["cl"].queryset} == {karen.kommune_id}
    kommuner = dorte_client.get(reverse("admin:ky_debitor_kommune_changelist"))
    assert [k.kode for k in kommuner.context["cl"].queryset] == [101]

    other = reverse("admin:fordringer_borger_change", args=[odense_borger.pk])
    assert dorte_client.get(other).status_code == 302  # "does not exist", back to the index
    assert "Ole Odense" not in dorte_client.get(other, follow=True).content.decode()


def test_foreign_key_choices_are_limited_to_the_own_kommune(dorte_client, karen, odense_borger):
    side = dorte_client.get(reverse("admin:fordringer_sag_add"))
    form = side.context["adminform"].form
    assert list(form.fields["borger"].queryset) == [karen]
    assert list(form.fields["kommune"].queryset) == [kommune(101)]

    # Posting another kommune's borger by id is refused.
    response = dorte_client.post(
        reverse("admin:fordringer_sag_add"),
        {
            "kommune": kommune(101).pk,
            "sagsnummer": "SAG-X",
            "borger": odense_borger.pk,
            "status": "AABEN",
        },
    )
    assert response.status_code == 200
    assert "borger" in response.context["adminform"].form.errors


def test_a_change_in_the_admin_writes_an_audit_event_with_the_changed_fields(
    dorte_client, dorte, karen
):
    url = reverse("admin:fordringer_borger_change", args=[karen.pk])
    response = dorte_client.post(url, {"cpr": karen.cpr, "navn": "Karen Marie Jensen"})
    assert response.status_code == 302
    karen.refresh_from_db()
    assert karen.navn == "Karen Marie Jensen"
    event = AuditEvent.objects.get(handling="admin.ret")
    assert event.bruger == dorte
    assert event.kommune_id == karen.kommune_id
    assert event.objekt_type == "fordringer.borger"
    assert event.objekt_id == str(karen.pk)
    assert event.data["felter"] == {"navn": {"fra": "Karen Jensen", "til": "Karen Marie Jensen"}}


def test_adding_and_deleting_in_the_admin_are_audited(dorte_client, dorte):
    response = dorte_client.post(
        reverse("admin:fordringer_borger_add"),
        {"kommune": kommune(101).pk, "cpr": "3112991234", "navn": "Ny Borger"},
    )
    assert response.status_code == 302
    ny = Borger.objects.get(cpr="3112991234")
    assert AuditEvent.objects.filter(handling="admin.opret", objekt_id=str(ny.pk)).exists()

    response = dorte_client.post(
        reverse("admin:fordringer_borger_delete", args=[ny.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Borger.objects.filter(pk=ny.pk).exists()
    slettet = AuditEvent.objects.get(handling="admin.slet")
    assert slettet.bruger == dorte
    assert slettet.data["felter"]["navn"] == "Ny Borger"


def test_money_fields_of_a_fordring_are_read_only_in_the_admin(dorte_client, konto_med_historik):
    fordring = konto_med_historik.foerste
    side = dorte_client.get(reverse("admin:fordringer_fordring_change", args=[fordring.pk]))
    felter = side.context["adminform"].form.fields
    assert "restance" not in felter
    assert "hovedstol" not in felter
    assert dorte_client.get(reverse("admin:fordringer_fordring_add")).status_code == 403


def test_opening_a_borger_in_the_admin_logs_the_cpr_lookup(dorte_client, dorte, karen):
    dorte_client.get(reverse("admin:fordringer_borger_change", args=[karen.pk]))
    assert Opslag.objects.filter(bruger=dorte, objekt_id=str(karen.pk)).count() == 1


def test_a_non_superuser_cannot_make_anyone_superuser(dorte_client, alice):
    side = dorte_client.get(reverse("admin:ky_debitor_bruger_change", args=[alice.pk]))
    assert "is_superuser" not in side.context["adminform"].form.fields


def test_national_reference_tables_are_read_only_for_a_kommune(dorte_client):
    from fordringer.models import Ydelsestype

    kth = Ydelsestype.objects.first()
    assert kth is not None
    side = dorte_client.get(reverse("admin:fordringer_ydelsestype_change", args=[kth.pk]))
    assert side.status_code == 200
    assert 'name="_save"' not in side.content.decode()


def test_staff_without_kommune_sees_no_tenant_rows(client, karen):
    from ..factories import BrugerFactory

    uden = BrugerFactory.create(username="uden", kommune=None, is_staff=True)
    from django.contrib.auth.models import Permission

    uden.user_permissions.set(Permission.objects.filter(codename="view_borger"))
    client.force_login(uden)
    side = client.get(reverse("admin:fordringer_borger_changelist"))
    assert list(side.context["cl"].queryset) == []
    assert BorgerFactory._meta.model.objects.count() == 1


def test_only_platform_operators_add_or_delete_kommuner(dorte_client):
    assert dorte_client.get(reverse("admin:ky_debitor_kommune_add")).status_code == 403
    slet = reverse("admin:ky_debitor_kommune_delete", args=[kommune(101).pk])
    assert dorte_client.post(slet, {"post": "yes"}).status_code == 403


def test_adding_a_bruger_is_audited_without_the_password(dorte_client, dorte):
    response = dorte_client.post(
        reverse("admin:ky_debitor_bruger_add"),
        {
            "username": "nyansat",
            "kommune": kommune(101).pk,
            "password1": "Meget-hemmeligt-42",
            "password2": "Meget-hemmeligt-42",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(handling="admin.opret", objekt_type="ky_debitor.bruger")
    assert event.bruger == dorte
    assert "Meget-hemmeligt-42" not in str(event.data)
    assert event.data["felter"]["password1"] == {"fra": "(skjult)", "til": "(skjult)"}


def test_the_konto_status_is_derived_not_edited_in_the_admin(dorte_client, karen):
    """The status follows the konto's facts (seed 000): the admin shows it read-only, and a
    release entered there ends "Afventer frigivelse" at once."""
    konto = DebitorkontoFactory.create(
        borger=karen, kilde="KY", status="AFVENTER_FRIGIVELSE", kontonummer="K-ADMIN"
    )
    FordringFactory.create(konto=konto)
    url = reverse("admin:fordringer_debitorkonto_change", args=[konto.pk])
    felter = dorte_client.get(url).context["adminform"].form.fields
    assert "status" not in felter

    data = {"kontonummer": "K-ADMIN", "frigivelsestype": "FRIGIVET", "status": "LUKKET"}
    assert dorte_client.post(url, data).status_code == 302

    konto.refresh_from_db()
    assert (konto.frigivelsestype, konto.status) == ("FRIGIVET", "AKTIV")


def test_documents_are_listed_read_only_without_their_pdf(dorte_client, karen, odense_borger):
    """Drift sees the kommune's letters and statements with size and status; the PDF opens on
    the document's page (its downloads are audited there), never in the admin."""

    def dokument(borger: Borger, titel: str) -> Dokument:
        return Dokument.objects.create(
            kommune_id=borger.kommune_id,
            type=DokumentType.KONTOOVERSIGT,
            titel=titel,
            borger=borger,
            modtager_navn=borger.navn,
            status=DokumentStatus.FAERDIG,
            pdf=b"%PDF-1.7 hemmeligt-indhold",
            sha256="a" * 64,
            stoerrelse=26,
        )

    egen = dokument(karen, "Kontooversigt for Karen")
    dokument(odense_borger, "Kontooversigt i Odense")
    liste = dorte_client.get(reverse("admin:fordringer_dokument_changelist")).content.decode()
    assert "Kontooversigt for Karen" in liste
    assert "Kontooversigt i Odense" not in liste

    side = dorte_client.get(reverse("admin:fordringer_dokument_change", args=[egen.pk]))
    html = side.content.decode()
    assert side.status_code == 200
    assert "hemmeligt-indhold" not in html and 'name="_save"' not in html
    assert reverse("dokument", args=[egen.pk]) in html
    assert dorte_client.get(reverse("admin:fordringer_dokument_add")).status_code == 403
    slet = reverse("admin:fordringer_dokument_delete", args=[egen.pk])
    assert dorte_client.post(slet, {"post": "yes"}).status_code == 403
    assert Dokument.objects.filter(pk=egen.pk).exists()
