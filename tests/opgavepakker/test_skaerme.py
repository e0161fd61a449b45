"""The workspace screens: roles, tenancy, the task screen end to end, the CPR filter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from fordringer.choices import Tilknytning
from ky_debitor.models import Opslag
from opgavepakker.models import Opgave, OpgaveType
from opgavepakker.opgave_services import opgave_tag
from opgavepakker.workflow import OpgaveStatus

from .conftest import opgave_for


def urls(opgaver) -> list[tuple[str, str]]:
    opgave = opgave_for(opgaver["flere"])
    return [
        ("get", reverse("mine_opgaver")),
        ("get", reverse("opgave_liste")),
        ("get", reverse("manglende_ydelsestype")),
        ("get", reverse("opgave", args=[opgave.pk])),
        ("get", reverse("opgave_kvittering", args=[opgave.pk])),
        ("post", reverse("opgave_tag", args=[opgave.pk])),
        ("post", reverse("opgave_aflever", args=[opgave.pk])),
        ("post", reverse("naeste_opgave", args=[opgave.pakke_id])),
        ("post", reverse("opgaver_tildel")),
    ]


def test_other_roles_get_403(client, bent, opgaver):
    client.force_login(bent)
    for metode, url in urls(opgaver):
        assert getattr(client, metode)(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, opgaver):
    svar = client.get(reverse("mine_opgaver"))
    assert svar.status_code == 302 and "log-paa" in svar["Location"]


def test_another_kommunes_task_and_package_are_404(client, olga, opgaver):
    client.force_login(olga)
    for metode, url in urls(opgaver)[3:8]:
        assert getattr(client, metode)(url).status_code == 404, url
    assert opgave_for(opgaver["flere"]).status == OpgaveStatus.AABEN
    liste = client.get(reverse("opgave_liste"))
    assert liste.context["side"].paginator.count == 0
    assert "Frida" not in liste.content.decode()


def test_sagsbehandler_takes_and_completes_a_task_and_gets_a_receipt(client, alice, opgaver):
    client.force_login(alice)
    opgave = opgave_for(opgaver["flere"])
    svar = client.post(reverse("opgave_tag", args=[opgave.pk]))
    assert svar.status_code == 302 and svar["Location"] == reverse("opgave", args=[opgave.pk])

    skaerm = client.get(svar["Location"])
    tekst = skaerm.content.decode()
    cpr = opgaver["flere"].borger.cpr
    assert f"{cpr[:6]}-{cpr[6:]}" in tekst
    assert "Mere end én bevilling eller sag passer." in tekst
    assert Opslag.objects.filter(bruger=alice, objekt_id=str(opgaver["flere"].pk)).exists()

    fordring = opgaver["flere_fordring"]
    svar = client.post(
        reverse("opgave", args=[opgave.pk]),
        {
            "bevilling": opgaver["b4"].pk,
            "sag": "ny",
            f"reference_{fordring.pk}": "B4",
            f"ydelsestype_{fordring.pk}": "",
            "note": "",
        },
    )
    assert svar.status_code == 302
    kvittering = client.get(svar["Location"])
    assert "Opgaven er afsluttet" in kvittering.content.decode()
    opgaver["flere"].refresh_from_db()
    assert opgaver["flere"].bevilling == opgaver["b4"]
    assert opgaver["flere"].tilknytning == Tilknytning.MANUEL


def test_someone_else_finishing_first_gives_a_clear_message(client, alice, carl, opgaver):
    client.force_login(alice)
    opgave = opgave_for(opgaver["flere"])
    opgave_tag(user=carl, opgave_id=opgave.pk)
    svar = client.post(
        reverse("opgave", args=[opgave.pk]), {"bevilling": opgaver["b4"].pk, "sag": "ny"}
    )
    assert svar.status_code == 409
    assert "allerede taget af" in svar.content.decode()
    opgaver["flere"].refresh_from_db()
    assert opgaver["flere"].tilknytning == Tilknytning.INGEN


def test_validation_errors_are_danish_and_change_nothing(client, alice, opgaver):
    client.force_login(alice)
    opgave = opgave_for(opgaver["ingen"])
    fordring = opgaver["ingen"].fordringer.get()
    svar = client.post(
        reverse("opgave", args=[opgave.pk]),
        {"bevilling": "ingen", "sag": "ny", f"ydelsestype_{fordring.pk}": ""},
    )
    assert svar.status_code == 200
    side = svar.content.decode()
    # Both of the claim's errors at once, each by its field and in the summary at the top.
    assert f"Angiv en KMD Aktiv reference for fordring {fordring.fordringsid}" in side
    assert f"Vælg en ydelsestype for fordring {fordring.fordringsid}" in side
    assert f'href="#id_reference_{fordring.pk}"' in side
    assert f'href="#id_ydelsestype_{fordring.pk}"' in side
    assert opgave_for(opgaver["ingen"]).status == OpgaveStatus.AABEN


def test_cpr_filter_is_post_only_and_a_cpr_in_the_query_string_is_ignored(client, alice, opgaver):
    client.force_login(alice)
    cpr = opgaver["ingen"].borger.cpr
    svar = client.post(reverse("opgave_liste"), {"cpr": f"{cpr[:6]}-{cpr[6:]}"})
    raekker = [(o.konto_id, o.type) for o in svar.context["side"].object_list]
    assert sorted(raekker) == [
        (opgaver["ingen"].pk, OpgaveType.DAEKNINGER),
        (opgaver["ingen"].pk, OpgaveType.OPRET_FORDRINGSSAG),
    ]
    alle = client.get(reverse("opgave_liste"), {"cpr": cpr})
    assert alle.context["side"].paginator.count > 1


def test_filters_by_name_assignment_restance_and_daekninger(client, alice, opgaver):
    client.force_login(alice)
    opgave_tag(user=alice, opgave_id=opgave_for(opgaver["flere"]).pk)

    def konti(**params) -> set[int]:
        svar = client.get(reverse("opgave_liste"), params)
        assert svar.status_code == 200
        return {o.konto_id for o in svar.context["side"].object_list}

    assert konti(navn="ingolf") == {opgaver["ingen"].pk}
    assert konti(tildelt="mig") == {opgaver["flere"].pk}
    assert konti(daekninger="nej") == {opgaver["ukendt"].pk}
    assert konti(aarsag="YDELSESTYPE_UKENDT") == {opgaver["ukendt"].pk}
    # Restance: flere 950, ingen 925, ukendt 1.000 (hovedstol less the parked dækning).
    assert konti(restance_min="930", restance_max="960") == {opgaver["flere"].pk}


def test_projektleder_assigns_from_the_list(client, pia, carl, opgaver):
    client.force_login(pia)
    ider = [opgave_for(opgaver["flere"]).pk, opgave_for(opgaver["ingen"]).pk]
    svar = client.post(
        reverse("opgaver_tildel"), {"opgaver": ider, "bruger": carl.pk, "tilbage": "/opgaver/"}
    )
    assert svar.status_code == 302
    assert set(Opgave.objects.filter(tildelt=carl).values_list("pk", flat=True)) == set(ider)


def test_sagsbehandler_cannot_bulk_assign(client, alice, carl, opgaver):
    client.force_login(alice)
    ider = [opgave_for(opgaver["flere"]).pk]
    svar = client.post(reverse("opgaver_tildel"), {"opgaver": ider, "bruger": carl.pk})
    assert svar.status_code == 403
    assert opgave_for(opgaver["flere"]).tildelt is None


def test_waiting_package_shows_its_tasks_as_waiting(client, alice, opgaver):
    client.force_login(alice)
    vent = opgave_for(opgaver["flere"], OpgaveType.DAEKNINGER)
    svar = client.get(reverse("opgave_liste"), {"pakke": vent.pakke_id})
    tekst = svar.content.decode()
    assert "Venter" in tekst and "Tag opgave" not in tekst


def test_manglende_ydelsestype_lists_linked_konti_and_opens_the_task(client, alice, opgaver):
    client.force_login(alice)
    svar = client.get(reverse("manglende_ydelsestype"))
    konti = list(svar.context["side"].object_list)
    assert [k.pk for k in konti] == [opgaver["ukendt"].pk]
    assert reverse("opgave", args=[opgave_for(opgaver["ukendt"]).pk]) in svar.content.decode()


def test_start_page_lists_the_15_packages_med_daekninger_first(client, alice, opgaver):
    client.force_login(alice)
    svar = client.get(reverse("mine_opgaver"))
    linjer = svar.context["oversigt"].pakker
    assert len(linjer) == 15
    assert [linje.pakke.med_daekninger for linje in linjer[:7]] == [True] * 7
    flere = next(linje for linje in linjer if linje.pakke.kode == "FLERE_BEVILLINGER_MED")
    assert (flere.aabne, flere.parkeret) == (1, Decimal("50.00"))
    assert "MI 32 og MI 38 kan først markeres" in svar.content.decode()


@pytest.mark.parametrize("rolle_fixture", ["alice", "pia"])
def test_both_workspace_roles_see_the_start_page(client, request, rolle_fixture, opgaver):
    client.force_login(request.getfixturevalue(rolle_fixture))
    assert client.get(reverse("mine_opgaver")).status_code == 200


def test_the_list_hides_finished_tasks_unless_asked(client, alice, opgaver):
    from opgavepakker.afslutning import OpgaveValg, opgave_afslut

    opgave = opgave_for(opgaver["flere"])
    opgave_afslut(
        user=alice,
        opgave_id=opgave.pk,
        valg=OpgaveValg(bevilling_id=opgaver["b4"].pk, sag_id=None),
    )
    client.force_login(alice)

    def ider(**params) -> set[int]:
        return {o.pk for o in client.get(reverse("opgave_liste"), params).context["side"]}

    assert opgave.pk not in ider()
    assert opgave.pk in ider(status="AFSLUTTET")
    assert client.get(reverse("opgave", args=[opgave.pk]))["Location"] == reverse(
        "opgave_kvittering", args=[opgave.pk]
    )


def test_the_waiting_task_opens_the_kontos_opret_fordringssag(client, alice, opgaver):
    client.force_login(alice)
    vent = opgave_for(opgaver["flere"], OpgaveType.DAEKNINGER)
    svar = client.get(reverse("opgave", args=[vent.pk]))
    assert svar["Location"] == reverse("opgave", args=[opgave_for(opgaver["flere"]).pk])
