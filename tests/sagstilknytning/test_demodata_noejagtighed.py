"""On generated demo data the engine links exactly what it should, and nothing wrongly.

``generer_demodata`` stores the intended outcome of each konto, built from the scenario it
generated; this test runs a real linking run and compares the resulting *state* of every konto
(its bevilling and sag, its open task and reason) with that intent.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from demo.models import DemoForventning
from opgavepakker.models import Opgave, OpgaveType
from opgavepakker.workflow import AABNE
from sagstilknytning.models import KoerselStatus, Sagstilknytningskoersel

LINK = {"SAGSTILKNYTTET", "SAGSOPRETTET"}


@pytest.fixture
def demo(db):
    call_command(
        "generer_demodata", "--kommune", "851", "--konti", "2000", "--seed", "7", stdout=StringIO()
    )
    call_command("sagstilknytning", "--kommune", "851", stdout=StringIO())
    koersel = Sagstilknytningskoersel.objects.get()
    assert koersel.status == KoerselStatus.DONE
    return koersel


def test_links_and_tasks_are_exactly_the_intended_ones(demo):
    """One test, since generating and linking a kommune takes a while."""
    _every_intended_link_is_made_to_the_intended_bevilling_and_sag()
    _no_konto_meant_for_a_task_is_linked_and_every_task_has_its_intended_reason()


def _every_intended_link_is_made_to_the_intended_bevilling_and_sag():
    forventninger = DemoForventning.objects.filter(resultat__in=LINK).select_related(
        "konto__bevilling", "konto__sag"
    )
    assert forventninger.count() > 1000
    forkert = []
    for f in forventninger:
        konto = f.konto
        linked_right = (
            konto.er_tilknyttet
            and konto.bevilling is not None
            and konto.bevilling.bevillingsnummer == f.bevillingsnummer
            and konto.sag is not None
            and (
                konto.sag.sagsnummer == f.sagsnummer
                if f.sagsnummer
                else konto.sag.oprettet_ved_tilknytning
            )
        )
        if not linked_right:
            forkert.append((f.scenarie, konto.kontonummer))
    assert forkert == []


def _no_konto_meant_for_a_task_is_linked_and_every_task_has_its_intended_reason():
    aabne = {
        o.konto_id: o.aarsag
        for o in Opgave.objects.filter(type=OpgaveType.OPRET_FORDRINGSSAG, status__in=AABNE)
    }
    forkert = []
    for f in DemoForventning.objects.select_related("konto"):
        if f.resultat == "OPGAVE":
            if f.konto.er_tilknyttet or aabne.get(f.konto_id) != f.aarsag:
                forkert.append((f.scenarie, f.aarsag, aabne.get(f.konto_id)))
        # Linked: the only task left is "ydelsestype ukendt" where the code is unknown.
        elif f.resultat in LINK and aabne.get(f.konto_id, "") != f.aarsag:
            forkert.append((f.scenarie, f.aarsag, aabne.get(f.konto_id)))
    assert forkert == []
    reasons = {a for a in aabne.values()}
    assert reasons == {
        "DATAFEJL",
        "VENTER_PAA_DAEKNING",
        "BLANDEDE_BEVILLINGER",
        "FLERE_BEVILLINGER",
        "INGEN_BEVILLING",
        "MANGLER_REFERENCE",
        "YDELSESTYPE_UKENDT",
    }
