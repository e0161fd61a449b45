"""The task screen suggests only what the evidence supports, and saving changes only what the
caseworker chose (issue: pre-filling overwrote good data, a rejected candidate was pre-selected).

Every konto here is made into a task by a real linking run.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from fordringer.models import Fordring, Ydelsestype
from ky_debitor.errors import ApplicationError
from opgavepakker.afslutning import FordringAngivelse, OpgaveValg, opgave_afslut
from opgavepakker.workflow import OpgaveStatus

from ..factories import BevillingFactory, BorgerFactory, FordringFactory, SagFactory
from ..sagstilknytning.conftest import koer
from .conftest import opgave_for


def yt(kode: str) -> int:
    return Ydelsestype.objects.get(kode=kode).pk


@pytest.fixture
def blandet(db: Any, koebenhavn: Any) -> dict[str, Any]:
    """ "Blandede bevillinger": two claims name kontanthjælp bevilling K1, one fleksløntilskud
    claim carries its own bevilling number F1 and its own type; the run links none."""
    borger = BorgerFactory.create(navn="Birthe Blandet")
    k1 = BevillingFactory.create(borger=borger, bevillingsnummer="K1", ydelseskode="KTH")
    f1 = BevillingFactory.create(borger=borger, bevillingsnummer="F1", ydelseskode="FLX")
    a = FordringFactory.create(konto__borger=borger, kmd_aktiv_reference="K1")
    konto = a.konto
    b = FordringFactory.create(konto=konto, tekst="Kontanthjælp jf. bevilling K1")
    flex = FordringFactory.create(
        konto=konto, kmd_aktiv_reference="F1", ydelseskode="FLX", tekst="Fleksløntilskud"
    )
    Fordring.objects.filter(pk=flex.pk).update(ydelsestype_id=yt("FLEKSLOENTILSKUD"))
    koer(koebenhavn)
    return {"konto": konto, "k1": k1, "f1": f1, "a": a, "b": b, "flex": flex}


def test_mixed_konto_preselects_nothing_and_fills_each_claim_from_its_own_evidence(
    client, alice, blandet
):
    opgave = opgave_for(blandet["konto"])
    assert opgave.aarsag == "BLANDEDE_BEVILLINGER"
    client.force_login(alice)
    form = client.get(reverse("opgave", args=[opgave.pk])).context["form"]
    assert form["bevilling"].value() in (None, "")
    assert form["sag"].value() in (None, "")
    a, b, flex = blandet["a"], blandet["b"], blandet["flex"]
    assert form[f"reference_{a.pk}"].value() == "K1"
    assert form[f"reference_{b.pk}"].value() == "K1"  # the number in its own text
    assert form[f"reference_{flex.pk}"].value() == "F1"
    assert form[f"ydelsestype_{flex.pk}"].value() == str(yt("FLEKSLOENTILSKUD"))
    assert form[f"ydelsestype_{a.pk}"].value() == str(yt("KONTANTHJAELP"))


def test_blind_confirm_of_a_mixed_konto_is_refused_and_changes_nothing(client, alice, blandet):
    opgave = opgave_for(blandet["konto"])
    client.force_login(alice)
    side = client.get(reverse("opgave", args=[opgave.pk]))
    form = side.context["form"]
    # What the browser would send: every field as shown, no radio chosen.
    data = {
        navn: form[navn].value() or "" for navn in form.fields if navn not in ("bevilling", "sag")
    }
    svar = client.post(reverse("opgave", args=[opgave.pk]), data)
    tekst = svar.content.decode()
    assert "Vælg en bevilling eller »Ingen bevilling«." in tekst
    assert "Vælg en sag eller »Opret ny sag«." in tekst
    opgave.refresh_from_db()
    assert opgave.status == OpgaveStatus.AABEN
    assert blandet["konto"].fordringer.get(pk=blandet["flex"].pk).kmd_aktiv_reference == "F1"


def test_choosing_one_bevilling_keeps_every_claims_own_reference_and_type(client, alice, blandet):
    """The fleksløntilskud claim keeps F1 and fleksløntilskud when the konto is linked to K1;
    the receipt lists the fields that changed, before → after, and nothing else."""
    opgave = opgave_for(blandet["konto"])
    client.force_login(alice)
    form = client.get(reverse("opgave", args=[opgave.pk])).context["form"]
    data = {navn: form[navn].value() or "" for navn in form.fields}
    data.update(bevilling=str(blandet["k1"].pk), sag="ny")
    svar = client.post(reverse("opgave", args=[opgave.pk]), data)
    assert svar.status_code == 302, svar.content.decode()[:2000]
    flex = Fordring.objects.get(pk=blandet["flex"].pk)
    assert flex.kmd_aktiv_reference == "F1"
    assert flex.ydelsestype_id == yt("FLEKSLOENTILSKUD")
    b = Fordring.objects.get(pk=blandet["b"].pk)
    assert (b.kmd_aktiv_reference, b.ydelsestype_id) == ("K1", yt("KONTANTHJAELP"))
    kvittering = client.get(svar["Location"]).content.decode()
    opgave.refresh_from_db()
    raekker = {(r["fordringsid"], r["felt"]) for r in opgave.aendringer["fordringer"]}
    assert (b.fordringsid, "KMD Aktiv reference") in raekker
    assert not any(fid == flex.fordringsid for fid, _ in raekker)
    assert "sagsoprettet: ny sag" in kvittering
    assert f"Fordring {b.fordringsid}" in kvittering


def test_a_full_match_is_preselected_but_not_a_sag_the_run_could_not_choose(
    client, alice, db, koebenhavn
):
    borger = BorgerFactory.create()
    bevilling = BevillingFactory.create(borger=borger, bevillingsnummer="KX")
    SagFactory.create(borger=borger, ydelsestype_id=yt("KONTANTHJAELP"))
    SagFactory.create(borger=borger, ydelsestype_id=yt("KONTANTHJAELP"))
    konto = FordringFactory.create(konto__borger=borger, kmd_aktiv_reference="KX").konto
    koer(koebenhavn)
    opgave = opgave_for(konto)
    client.force_login(alice)
    form = client.get(reverse("opgave", args=[opgave.pk])).context["form"]
    assert form["bevilling"].value() == str(bevilling.pk)
    assert form["sag"].value() in (None, "")


def test_a_reference_naming_another_borgers_bevilling_is_refused(alice, blandet):
    fremmed = BevillingFactory.create(bevillingsnummer="ANDENS-1")
    opgave = opgave_for(blandet["konto"])
    a = blandet["a"]
    with pytest.raises(ApplicationError, match="anden borgers bevilling") as fejl:
        opgave_afslut(
            user=alice,
            opgave_id=opgave.pk,
            valg=OpgaveValg(
                bevilling_id=blandet["k1"].pk,
                sag_id=None,
                fordringer={a.pk: FordringAngivelse(kmd_aktiv_reference=fremmed.bevillingsnummer)},
            ),
        )
    assert f"reference_{a.pk}" in fejl.value.felter
    assert Fordring.objects.get(pk=a.pk).kmd_aktiv_reference == "K1"


def test_ingen_bevilling_keeps_each_claims_type_from_its_ydelseskode(alice, db, koebenhavn):
    """Two enkeltydelse claims and one særlig støtte claim: "Ingen bevilling" with a reference
    for all gives each claim the type of its own code, not one type for all."""
    borger = BorgerFactory.create()
    enk = FordringFactory.create(konto__borger=borger, ydelseskode="ENK", tekst="Enkeltydelse")
    konto = enk.konto
    enk2 = FordringFactory.create(konto=konto, ydelseskode="ENK", tekst="Enkeltydelse")
    sst = FordringFactory.create(konto=konto, ydelseskode="SST", tekst="Særlig støtte")
    koer(koebenhavn)
    opgave = opgave_for(konto)
    opgave_afslut(
        user=alice,
        opgave_id=opgave.pk,
        valg=OpgaveValg(bevilling_id=None, sag_id=None, kmd_aktiv_reference="MAN-7"),
    )
    typer = dict(Fordring.objects.filter(konto=konto).values_list("pk", "ydelsestype__kode"))
    assert typer == {enk.pk: "ENKELTYDELSE", enk2.pk: "ENKELTYDELSE", sst.pk: "SAERLIG_STOETTE"}
    assert set(
        Fordring.objects.filter(konto=konto).values_list("kmd_aktiv_reference", flat=True)
    ) == {"MAN-7"}


def test_brug_paa_alle_fills_only_empty_fields_and_saves_nothing(client, alice, db, koebenhavn):
    borger = BorgerFactory.create()
    tom = FordringFactory.create(konto__borger=borger, ydelseskode="", tekst="Manuel fordring")
    konto = tom.konto
    egen = FordringFactory.create(
        konto=konto, ydelseskode="", kmd_aktiv_reference="EGEN-1", tekst="Manuel fordring"
    )
    koer(koebenhavn)
    opgave = opgave_for(konto)
    client.force_login(alice)
    data = {
        "bevilling": "ingen",
        "reference": "MAN-9",
        "ydelsestype": str(yt("SAERLIG_STOETTE")),
        f"reference_{tom.pk}": "",
        f"reference_{egen.pk}": "EGEN-1",
        f"ydelsestype_{tom.pk}": "",
        f"ydelsestype_{egen.pk}": str(yt("ENKELTYDELSE")),
        "udfyld": "1",
    }
    svar = client.post(reverse("opgave", args=[opgave.pk]), data)
    form = svar.context["form"]
    assert form[f"reference_{tom.pk}"].value() == "MAN-9"
    assert form[f"reference_{egen.pk}"].value() == "EGEN-1"
    assert form[f"ydelsestype_{tom.pk}"].value() == str(yt("SAERLIG_STOETTE"))
    assert form[f"ydelsestype_{egen.pk}"].value() == str(yt("ENKELTYDELSE"))
    assert form["bevilling"].value() == "ingen"
    opgave.refresh_from_db()
    assert opgave.status == OpgaveStatus.AABEN
    assert Fordring.objects.get(pk=tom.pk).kmd_aktiv_reference == ""


def test_the_api_completes_with_the_same_rules_and_returns_what_changed(alice, blandet):
    """No claim fields sent: every claim keeps its own values, the one without gets the chosen
    bevilling's number, and the answer lists exactly that change."""
    from rest_framework.test import APIClient

    klient = APIClient()
    klient.force_authenticate(alice)
    opgave = opgave_for(blandet["konto"])
    svar = klient.post(
        f"/api/v1/opgaver/{opgave.pk}/afslut/",
        {"bevilling": blandet["f1"].pk, "sag": None},
        format="json",
        HTTP_IDEMPOTENCY_KEY="api-blandet",
    )
    assert svar.status_code == 200, svar.json()
    aendringer = svar.json()["opgave"]["aendringer"]
    assert aendringer["bevilling"] == {"foer": "", "efter": "F1"}
    a, b = blandet["a"], blandet["b"]
    # a had its reference but no type (its code's, kontanthjælp); b names K1 in its text.
    assert sorted((r["fordringsid"], r["felt"], r["efter"]) for r in aendringer["fordringer"]) == [
        (a.fordringsid, "Ydelsestype", "Kontanthjælp"),
        (b.fordringsid, "KMD Aktiv reference", "K1"),
        (b.fordringsid, "Ydelsestype", "Kontanthjælp"),
    ]
    assert Fordring.objects.get(pk=a.pk).kmd_aktiv_reference == "K1"
    assert Fordring.objects.get(pk=blandet["flex"].pk).kmd_aktiv_reference == "F1"


@pytest.mark.parametrize(
    "fejl",
    [
        "anden_borgers_bevilling",
        "anden_borgers_sag",
        "ukendt_ydelsestype",
        "for_lang_reference",
        "fremmed_reference",
        "fremmed_fordring",
        "bevilling_som_tekst",
    ],
)
def test_every_kind_of_bad_choice_through_the_api_is_refused_and_changes_nothing(
    alice, blandet, fejl
):
    from rest_framework.test import APIClient

    andens = BevillingFactory.create(bevillingsnummer="ANDENS-9")
    andens_sag = SagFactory.create()
    fremmed_fordring = FordringFactory.create()
    a = blandet["a"]
    data: dict[str, Any] = {"bevilling": blandet["k1"].pk, "sag": None}
    if fejl == "anden_borgers_bevilling":
        data["bevilling"] = andens.pk
    elif fejl == "anden_borgers_sag":
        data["sag"] = andens_sag.pk
    elif fejl == "ukendt_ydelsestype":
        data["ydelsestype"] = 999999
    elif fejl == "for_lang_reference":
        data["fordringer"] = [{"fordring": a.pk, "kmd_aktiv_reference": "X" * 41}]
    elif fejl == "fremmed_reference":
        data["fordringer"] = [{"fordring": a.pk, "kmd_aktiv_reference": "ANDENS-9"}]
    elif fejl == "fremmed_fordring":
        data["fordringer"] = [{"fordring": fremmed_fordring.pk, "kmd_aktiv_reference": "K1"}]
    elif fejl == "bevilling_som_tekst":
        data["bevilling"] = "K1"
    klient = APIClient()
    klient.force_authenticate(alice)
    opgave = opgave_for(blandet["konto"])
    foer = list(
        Fordring.objects.filter(konto=blandet["konto"])
        .order_by("pk")
        .values_list("kmd_aktiv_reference", "ydelsestype_id")
    )
    svar = klient.post(
        f"/api/v1/opgaver/{opgave.pk}/afslut/",
        data,
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"fejl-{fejl}",
    )
    assert svar.status_code == 400, svar.json()
    assert svar.json()["detail"]
    opgave.refresh_from_db()
    assert opgave.status == OpgaveStatus.AABEN
    blandet["konto"].refresh_from_db()
    assert blandet["konto"].bevilling_id is None
    efter = list(
        Fordring.objects.filter(konto=blandet["konto"])
        .order_by("pk")
        .values_list("kmd_aktiv_reference", "ydelsestype_id")
    )
    assert efter == foer
