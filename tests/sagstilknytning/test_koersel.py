"""Linking runs on the database: idempotent, resumable, never overriding a person."""

from __future__ import annotations

import pytest

from fordringer.choices import Tilknytning
from fordringer.models import Debitorkonto, EIndkomstLinje, Fordring, Parkering, Sag
from fordringer.tilknytning.services import debitorkonto_tilknyt
from ky_debitor.errors import ConflictError
from ky_debitor.models import AuditEvent
from opgavepakker.models import Opgave, OpgaveType
from opgavepakker.workflow import OpgaveStatus
from sagstilknytning import services
from sagstilknytning.models import KoerselStatus, KontoBeslutning
from sagstilknytning.services import koer_synkront, koersel_opret

from .conftest import koer


def _state():
    return (
        sorted(Debitorkonto.objects.values_list("pk", "bevilling_id", "sag_id", "tilknytning")),
        sorted(Fordring.objects.values_list("pk", "kmd_aktiv_reference", "ydelsestype_id")),
        sorted(
            Opgave.objects.values_list("pk", "konto_id", "type", "aarsag", "status", "pakke_id")
        ),
        Sag.objects.count(),
        Parkering.objects.filter(frigivet__isnull=True).count(),
        EIndkomstLinje.objects.count(),
    )


def _beslutninger(koersel):
    return sorted(
        koersel.beslutninger.values_list("konto_id", "resultat", "aarsag", "bevilling_id", "sag_id")
    )


def test_run_links_what_it_can_and_opens_tasks_for_the_rest(data, koebenhavn):
    koersel = koer(koebenhavn)
    assert koersel.status == KoerselStatus.DONE
    assert (koersel.total, koersel.behandlet) == (5, 5)
    assert (koersel.antal_sagstilknyttet, koersel.antal_sagsoprettet) == (1, 1)
    assert (koersel.antal_opgave, koersel.antal_uaendret) == (2, 1)

    ref = Debitorkonto.objects.get(pk=data["ref"].pk)
    assert ref.tilknytning == Tilknytning.AUTOMATISK and ref.sag == data["bev1"].sag
    ny = Debitorkonto.objects.get(pk=data["ny"].pk)
    assert ny.sag is not None and ny.sag.oprettet_ved_tilknytning
    assert ny.fordringer.get().kmd_aktiv_reference == "B2"
    # Uddannelseshjælp repaid in 2026 is § 8 O: released with an eIndkomst row.
    assert EIndkomstLinje.objects.get().postering.fordring.konto_id == ny.pk

    opgave = Opgave.objects.get(konto=data["flere"], type=OpgaveType.OPRET_FORDRINGSSAG)
    assert opgave.aarsag == "FLERE_BEVILLINGER" and opgave.pakke.kode == "FLERE_BEVILLINGER_MED"
    assert {k["bevillingsnummer"] for k in opgave.evidens["fordringer"][0]["kandidater"]} == {
        "B3",
        "B4",
    }
    vent = Opgave.objects.get(konto=data["flere"], type=OpgaveType.DAEKNINGER)
    assert vent.pakke.venteskridt
    assert Opgave.objects.get(konto=data["venter"]).aarsag == "VENTER_PAA_DAEKNING"


def test_running_twice_gives_identical_decisions_and_no_new_tasks(data, koebenhavn):
    first = koer(koebenhavn)
    state = _state()
    second = koer(koebenhavn, chunk=3)
    assert _state() == state
    assert _beslutninger(first) == [(k, r, a, b, s) for (k, r, a, b, s) in _beslutninger(second)]


def test_manually_linked_konto_is_left_untouched_and_the_would_be_decision_recorded(
    data, koebenhavn
):
    manuel = data["manuel"]
    before = Debitorkonto.objects.values_list("bevilling_id", "sag_id", "tilknytning").get(
        pk=manuel.pk
    )
    koersel = koer(koebenhavn)
    after = Debitorkonto.objects.values_list("bevilling_id", "sag_id", "tilknytning").get(
        pk=manuel.pk
    )
    assert before == after
    beslutning = KontoBeslutning.objects.get(koersel=koersel, konto=manuel)
    assert beslutning.resultat == "UAENDRET"
    assert beslutning.evidens["ville_have_besluttet"]["resultat"] == "SAGSOPRETTET"


def test_dry_run_writes_nothing_but_decisions_and_says_what_would_change(data, koebenhavn):
    state = _state()
    audit = AuditEvent.objects.exclude(handling__startswith="sagstilknytning").count()
    koersel = koer(koebenhavn, proeve=True)
    assert _state() == state
    assert AuditEvent.objects.exclude(handling__startswith="sagstilknytning").count() == audit
    aendring = dict(koersel.beslutninger.values_list("konto_id", "aendring"))
    assert aendring[data["ref"].pk].startswith("Ville blive sagstilknyttet")
    assert aendring[data["flere"].pk] == "Ville åbne opgave »Flere bevillinger eller sager passer«."
    assert koersel.beslutninger.count() == 5


def test_a_run_that_dies_mid_chunk_resumes_and_processes_every_konto_once(
    data, koebenhavn, monkeypatch
):
    koersel = koersel_opret(kommune=koebenhavn, user=None, proeve=False, chunk_stoerrelse=2)
    real = services.opgaver_synkroniser
    calls = {"n": 0}

    def dies_on_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("arbejderen døde")
        return real(**kwargs)

    monkeypatch.setattr(services, "opgaver_synkroniser", dies_on_second_chunk)
    with pytest.raises(RuntimeError):
        koer_synkront(koersel_id=koersel.pk)
    koersel.refresh_from_db()
    assert koersel.status == KoerselStatus.FAILED and "arbejderen døde" in koersel.fejl
    assert koersel.behandlet == 2  # the first chunk committed, the second rolled back
    assert koersel.beslutninger.count() == 2

    monkeypatch.setattr(services, "opgaver_synkroniser", real)
    services.koersel_genoptag(koersel=koersel, user=None)
    koersel = koer_synkront(koersel_id=koersel.pk)
    assert koersel.status == KoerselStatus.DONE
    assert koersel.behandlet == 5
    konti = list(koersel.beslutninger.values_list("konto_id", flat=True))
    assert sorted(konti) == sorted(set(konti)) and len(konti) == 5
    assert Opgave.objects.filter(konto=data["flere"], status=OpgaveStatus.AABEN).count() == 2


def test_a_second_run_for_the_same_kommune_is_refused(data, koebenhavn, odense):
    koersel_opret(kommune=koebenhavn, user=None, proeve=False)
    with pytest.raises(ConflictError, match="kører allerede"):
        koersel_opret(kommune=koebenhavn, user=None, proeve=True)
    koersel_opret(kommune=odense, user=None, proeve=False)  # another kommune may run


def test_person_linking_later_closes_the_tasks_on_the_next_run(data, koebenhavn, bent):
    koer(koebenhavn)
    flere = data["flere"]
    bevilling = flere.borger.bevillinger.get(bevillingsnummer="B3")
    debitorkonto_tilknyt(konto=flere, bevilling=bevilling, sag=None, user=bent, manual=True)
    koer(koebenhavn)
    lukket = Opgave.objects.filter(konto=flere, status=OpgaveStatus.AFSLUTTET)
    assert lukket.count() == 2
    assert all(o.afslutning.startswith("Lukket") for o in lukket)
    assert not Opgave.objects.filter(konto=flere, status=OpgaveStatus.AABEN).exists()
