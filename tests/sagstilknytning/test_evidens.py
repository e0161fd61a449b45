"""The evidence a run stores (DESIGN §4.7): decisions in the grouped form, tasks in full, and
both read back to the same per-fordring explanation."""

from __future__ import annotations

import gc

import pytest
from rest_framework.test import APIClient

from ky_debitor.roles import Rolle
from opgavepakker.models import Opgave, OpgaveType
from opgavepakker.selectors import evidens_fordringer
from sagstilknytning import services
from sagstilknytning.models import KontoBeslutning

from ..factories import BevillingFactory, BorgerFactory, BrugerFactory, FordringFactory, SagFactory
from .conftest import koer


@pytest.fixture
def tre_fordringer(db):
    """One konto whose three claims all name the borger's bevilling B7 (beside B8)."""
    borger = BorgerFactory.create()
    sag = SagFactory.create(borger=borger)
    BevillingFactory.create(borger=borger, bevillingsnummer="B7", sag=sag)
    BevillingFactory.create(borger=borger, bevillingsnummer="B8")
    konto = FordringFactory.create(konto__borger=borger, kmd_aktiv_reference="B7").konto
    for _ in range(2):
        FordringFactory.create(konto=konto, kmd_aktiv_reference="B7")
    return konto


def test_claims_decided_alike_share_one_entry_and_each_is_still_explained(
    tre_fordringer, koebenhavn
):
    koersel = koer(koebenhavn)

    beslutning = KontoBeslutning.objects.get(koersel=koersel, konto=tre_fordringer)
    assert len(beslutning.evidens["grupper"]) == 1
    raekker = evidens_fordringer(beslutning.evidens)
    fordringer = sorted(tre_fordringer.fordringer.values_list("pk", "fordringsid"))
    assert [(r["fordring_id"], r["fordringsid"]) for r in raekker] == fordringer
    assert {r["regel"] for r in raekker} == {"reference"}
    valgt, afvist = raekker[0]["kandidater"]
    assert valgt == {"bevillingsnummer": "B7", "afvist": ""}
    assert afvist["bevillingsnummer"] == "B8"
    assert afvist["afvist"].startswith("referencen passer ikke")


def test_a_decision_with_a_task_explains_each_claim_as_the_task_does(data, koebenhavn):
    koersel = koer(koebenhavn)

    beslutning = KontoBeslutning.objects.get(koersel=koersel, konto=data["flere"])
    opgave = Opgave.objects.get(konto=data["flere"], type=OpgaveType.OPRET_FORDRINGSSAG)
    assert "grupper" in beslutning.evidens and "fordringer" in opgave.evidens
    assert evidens_fordringer(beslutning.evidens) == opgave.evidens["fordringer"]


def test_the_garbage_collector_runs_again_after_a_chunk_even_one_that_fails(
    data, koebenhavn, monkeypatch
):
    koer(koebenhavn)
    assert gc.isenabled()

    def fejler(**kwargs):
        raise RuntimeError("arbejderen døde")

    monkeypatch.setattr(services, "opgaver_synkroniser", fejler)
    with pytest.raises(RuntimeError):
        koer(koebenhavn)
    assert gc.isenabled()


def test_the_api_explains_each_claim_of_a_decision_as_the_screens_do(tre_fordringer, koebenhavn):
    """A system reading the run's decisions gets one row per fordring, not the stored groups."""
    koersel = koer(koebenhavn)
    client = APIClient()
    client.force_login(BrugerFactory.create(kommune=koebenhavn, roller=[Rolle.DRIFT]))

    svar = client.get(f"/api/v1/koersler/{koersel.pk}/beslutninger/?konto={tre_fordringer.pk}")

    assert svar.status_code == 200, svar.content
    (beslutning,) = [b for b in svar.json()["results"] if b["konto"] == tre_fordringer.pk]
    evidens = beslutning["evidens"]
    assert "grupper" not in evidens
    fordringer = sorted(tre_fordringer.fordringer.values_list("pk", "fordringsid"))
    assert [(r["fordring_id"], r["fordringsid"]) for r in evidens["fordringer"]] == fordringer
    assert {r["regel"] for r in evidens["fordringer"]} == {"reference"}
