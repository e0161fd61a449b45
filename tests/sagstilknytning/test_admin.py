"""Operations start and watch linking runs from the admin; decisions and tasks are read there.

Personas: Dina works in Drift in København, Ole in Drift in Odense, Pia is København's
Projektleder and Sune a Sagsbehandler there who also uses the admin. None of them has model
permissions: their role is what the admin goes by.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fordringer.models import Debitorkonto
from ky_debitor.models import AuditEvent, Bruger
from opgavepakker.models import Opgave, Opgavepakke, OpgaveType
from opgavepakker.workflow import OpgaveStatus
from sagstilknytning.models import KoerselStatus, KontoBeslutning, Sagstilknytningskoersel
from sagstilknytning.services import (
    chunk_behandl,
    koer_synkront,
    koersel_afslut,
    koersel_fejlet,
    koersel_markér_koerer,
    koersel_opret,
)

from .. import personas
from ..factories import OpgaveFactory
from ..screens.html import side, tekst
from .conftest import koer

KOERSLER = reverse("admin:sagstilknytning_sagstilknytningskoersel_changelist")
START = reverse("admin:sagstilknytning_sagstilknytningskoersel_start")
BESLUTNINGER = reverse("admin:sagstilknytning_kontobeslutning_changelist")
PAKKER = reverse("admin:opgavepakker_opgavepakke_changelist")
OPGAVER = reverse("admin:opgavepakker_opgave_changelist")


def _url(handling: str, koersel: Sagstilknytningskoersel) -> str:
    return reverse(f"admin:sagstilknytning_sagstilknytningskoersel_{handling}", args=[koersel.pk])


def _klient(bruger: Bruger) -> Client:
    klient = Client()
    klient.force_login(bruger)
    return klient


@pytest.fixture
def dina(db) -> Client:
    """Dina works in Drift in København and starts the runs."""
    return _klient(personas.dina(is_staff=True))


@pytest.fixture
def ole(db) -> Client:
    """Ole works in Drift in Odense: København's runs are none of his business."""
    return _klient(personas.ole())


@pytest.fixture
def pia(db) -> Client:
    """Pia is København's Projektleder: she follows the runs but does not start them."""
    return _klient(personas.pia(is_staff=True))


@pytest.fixture
def sune(db) -> Client:
    """Sune is a Sagsbehandler in København with access to the admin."""
    return _klient(personas.sune())


def _beskeder(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _konti(response) -> set[int]:
    return {b.konto_id for b in response.context["cl"].result_list}


# --- Starting -------------------------------------------------------------------------------


def test_drift_starts_a_run_from_the_admin_and_it_ends_done_with_decisions(
    dina, data, koebenhavn, django_capture_on_commit_callbacks
):
    liste = dina.get(KOERSLER)
    assert START in liste.content.decode()
    formular = dina.get(START)
    assert formular.status_code == 200
    assert list(formular.context["form"].fields["kommune"].queryset) == [koebenhavn]

    with django_capture_on_commit_callbacks(execute=True):
        svar = dina.post(START, {"kommune": koebenhavn.pk})

    koersel = Sagstilknytningskoersel.objects.get()
    assert svar.status_code == 302 and svar["Location"] == _url("change", koersel)
    assert koersel.status == KoerselStatus.DONE and not koersel.proeve
    assert koersel.startet_af.username == "dina"
    assert (koersel.behandlet, koersel.total) == (5, 5)
    assert koersel.beslutninger.count() == 5
    assert Debitorkonto.objects.get(pk=data["ref"].pk).sag == data["bev1"].sag

    detalje = dina.get(svar["Location"])
    assert "Sagstilknytning for København er startet." in _beskeder(detalje)
    assert tekst(detalje, "//*[@id='koersel-status']") == "Færdig"
    assert tekst(detalje, "//*[@id='koersel-procent']") == "100 %"


def test_a_dry_run_from_the_admin_links_nothing(
    dina, data, koebenhavn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dina.post(START, {"kommune": koebenhavn.pk, "proeve": "on"})
    koersel = Sagstilknytningskoersel.objects.get()
    assert koersel.proeve and koersel.status == KoerselStatus.DONE
    assert koersel.beslutninger.count() == 5
    assert not Debitorkonto.objects.filter(tilknytning="AUTOMATISK").exists()
    assert not Opgave.objects.exists()


def test_a_second_start_while_one_is_active_is_refused_in_danish(dina, data, koebenhavn):
    aktiv = koersel_opret(kommune=koebenhavn, user=None, proeve=False)

    svar = dina.post(START, {"kommune": koebenhavn.pk})

    assert svar.status_code == 200
    assert _beskeder(svar) == [
        "Der kører allerede en sagstilknytning for 101 København. Vent til den er "
        "færdig, eller annullér den først."
    ]
    assert list(Sagstilknytningskoersel.objects.all()) == [aktiv]


@pytest.mark.parametrize("persona", ["pia", "sune"])
def test_staff_outside_drift_may_not_start_cancel_or_resume(persona, request, data, koebenhavn):
    klient = request.getfixturevalue(persona)
    aktiv = koersel_opret(kommune=koebenhavn, user=None, proeve=False)

    assert klient.get(START).status_code == 403
    assert klient.post(START, {"kommune": koebenhavn.pk}).status_code == 403
    assert klient.post(_url("annuller", aktiv)).status_code == 403
    assert klient.post(_url("genoptag", aktiv)).status_code == 403

    aktiv.refresh_from_db()
    assert aktiv.status == KoerselStatus.PENDING
    assert Sagstilknytningskoersel.objects.count() == 1


def test_the_projektleder_follows_a_run_without_the_buttons(pia, data, koebenhavn):
    aktiv = koersel_opret(kommune=koebenhavn, user=None, proeve=False)
    liste = pia.get(KOERSLER)
    assert [k.pk for k in liste.context["cl"].result_list] == [aktiv.pk]
    assert START not in liste.content.decode()
    detalje = pia.get(_url("change", aktiv))
    assert detalje.status_code == 200
    assert not side(detalje).xpath("//*[@id='koersel-annuller']")


# --- Watching -------------------------------------------------------------------------------


def test_the_progress_partial_shows_the_figures_of_the_database(dina, data, koebenhavn):
    koersel = koersel_opret(kommune=koebenhavn, user=None, proeve=False, chunk_stoerrelse=2)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as ur:
        koersel_markér_koerer(koersel.pk)
        chunk_behandl(koersel_id=koersel.pk, nummer=0)
        ur.shift(10)
        svar = dina.get(_url("fremdrift", koersel), headers={"HX-Request": "true"})

    koersel.refresh_from_db()
    assert (koersel.behandlet, koersel.total) == (2, 5)
    panel = side(svar)
    (sektion,) = panel.xpath("//section[@id='koersel-fremdrift']")
    assert sektion.get("hx-trigger") == "every 1s"
    assert sektion.get("hx-get") == _url("fremdrift", koersel)
    assert tekst(svar, "//*[@id='koersel-behandlet']") == str(koersel.behandlet)
    assert tekst(svar, "//*[@id='koersel-total']") == str(koersel.total)
    assert tekst(svar, "//*[@id='koersel-procent']") == "40 %"
    assert panel.xpath("//progress/@value") == ["40"]
    assert tekst(svar, "//*[@id='koersel-status']") == "Kører"
    # Two konti in ten seconds: 0,2 konti/s, and the three left take 15 s.
    assert tekst(svar, "//*[@id='koersel-hastighed']") == "0,2 konti/s"
    assert tekst(svar, "//*[@id='koersel-resttid']") == "15 s"
    assert tekst(svar, "//*[@id='koersel-dele']") == "1 af 3"
    udfald = {
        r.get("data-kode"): int(r.xpath("string(./td)"))
        for r in panel.xpath("//table[@id='koersel-udfald']/tbody/tr")
    }
    assert udfald == {
        "SAGSTILKNYTTET": koersel.antal_sagstilknyttet,
        "SAGSOPRETTET": koersel.antal_sagsoprettet,
        "OPGAVE": koersel.antal_opgave,
        "UAENDRET": koersel.antal_uaendret,
    }
    assert sum(udfald.values()) == 2
    assert panel.xpath("//*[@id='koersel-annuller']")  # Drift may cancel a running run

    with time_machine.travel(start + dt.timedelta(seconds=25), tick=False):
        koer_synkront(koersel_id=koersel.pk)
        slut = dina.get(_url("fremdrift", koersel))
    (sektion,) = side(slut).xpath("//section[@id='koersel-fremdrift']")
    assert sektion.get("hx-trigger") is None  # final: the polling stops
    assert tekst(slut, "//*[@id='koersel-status']") == "Færdig"
    assert tekst(slut, "//*[@id='koersel-procent']") == "100 %"
    assert tekst(slut, "//*[@id='koersel-hastighed']") == "0,2 konti/s"  # 5 in 25 s
    assert tekst(slut, "//*[@id='koersel-varighed']") == "25 s"
    assert not side(slut).xpath("//*[@id='koersel-annuller']")
    assert _aarsager(slut) == {"FLERE_BEVILLINGER": 1, "VENTER_PAA_DAEKNING": 1}


def _aarsager(svar: Any) -> dict[str, int]:
    return {
        r.get("data-kode"): int(r.xpath("string(./td)"))
        for r in side(svar).xpath("//table[@id='koersel-aarsager']/tbody/tr")
    }


def test_drift_cancels_an_active_run(dina, data, koebenhavn):
    koersel = koersel_opret(kommune=koebenhavn, user=None, proeve=False)
    assert dina.get(_url("annuller", koersel)).status_code == 405

    svar = dina.post(_url("annuller", koersel), follow=True)

    koersel.refresh_from_db()
    assert koersel.status == KoerselStatus.CANCELLED
    assert "Kørslen er annulleret efter 0 af 5 debitorkonti." in _beskeder(svar)
    assert AuditEvent.objects.filter(handling="sagstilknytning.annuller").count() == 1
    igen = dina.post(_url("annuller", koersel), follow=True)
    assert "Kørslen er ikke i gang og kan ikke annulleres." in _beskeder(igen)


def test_drift_resumes_a_failed_run_to_the_end(
    dina, data, koebenhavn, django_capture_on_commit_callbacks
):
    koersel = koersel_opret(kommune=koebenhavn, user=None, proeve=False, chunk_stoerrelse=2)
    koersel_markér_koerer(koersel.pk)
    chunk_behandl(koersel_id=koersel.pk, nummer=0)
    koersel_fejlet(koersel_id=koersel.pk, fejl="En del af kørslen fejlede.")
    detalje = dina.get(_url("change", koersel))
    assert tekst(detalje, "//*[@id='koersel-fejl']") == "En del af kørslen fejlede."
    assert side(detalje).xpath("//*[@id='koersel-genoptag']")

    with django_capture_on_commit_callbacks(execute=True):
        dina.post(_url("genoptag", koersel))

    koersel.refresh_from_db()
    assert (koersel.status, koersel.behandlet) == (KoerselStatus.DONE, 5)
    assert koersel.beslutninger.count() == 5
    assert koersel_afslut(koersel_id=koersel.pk).status == KoerselStatus.DONE


def test_drift_resumes_a_cancelled_run_from_its_last_finished_chunk(
    dina, data, koebenhavn, django_capture_on_commit_callbacks
):
    """Issue #16: a cancelled run had no "Genoptag"; it resumes like a failed one."""
    koersel = koersel_opret(kommune=koebenhavn, user=None, proeve=False, chunk_stoerrelse=2)
    koersel_markér_koerer(koersel.pk)
    chunk_behandl(koersel_id=koersel.pk, nummer=0)
    dina.post(_url("annuller", koersel))
    detalje = dina.get(_url("change", koersel))
    assert tekst(detalje, "//*[@id='koersel-status']") == "Annulleret"
    assert side(detalje).xpath("//*[@id='koersel-genoptag']")
    # The reasons of the first chunk's two konti; the stopped run's figures are kept.
    foer = _aarsager(detalje)
    assert sum(foer.values()) <= 2
    assert _aarsager(dina.get(_url("change", koersel))) == foer

    with django_capture_on_commit_callbacks(execute=True):
        svar = dina.post(_url("genoptag", koersel), follow=True)

    assert "Kørslen er genoptaget fra sin sidste færdige del." in _beskeder(svar)
    koersel.refresh_from_db()
    assert (koersel.status, koersel.behandlet) == (KoerselStatus.DONE, 5)
    assert koersel.beslutninger.count() == 5
    # Resumed to the end, the page counts the whole run, not the figures kept at the stop;
    # a second view reads them without counting the decisions again.
    assert _aarsager(dina.get(_url("change", koersel))) == {
        "FLERE_BEVILLINGER": 1,
        "VENTER_PAA_DAEKNING": 1,
    }
    with CaptureQueriesContext(connection) as igen_vist:
        assert _aarsager(dina.get(_url("change", koersel))) == {
            "FLERE_BEVILLINGER": 1,
            "VENTER_PAA_DAEKNING": 1,
        }
    assert not [q for q in igen_vist.captured_queries if "kontobeslutning" in q["sql"]]
    assert AuditEvent.objects.filter(handling="sagstilknytning.genoptag").count() == 1
    # A finished run is not resumed.
    igen = dina.post(_url("genoptag", koersel), follow=True)
    assert "Kun en fejlet eller annulleret kørsel kan genoptages." in _beskeder(igen)


# --- Tenancy --------------------------------------------------------------------------------


def test_odense_cannot_see_or_act_on_koebenhavns_runs_and_decisions(ole, data, koebenhavn, odense):
    faerdig = koer(koebenhavn)
    aktiv = koersel_opret(kommune=koebenhavn, user=None, proeve=True)
    beslutning = faerdig.beslutninger.all()[0]

    assert list(ole.get(KOERSLER).context["cl"].result_list) == []
    assert ole.get(_url("change", faerdig)).status_code == 302  # "findes ikke", to the index
    assert ole.get(_url("fremdrift", faerdig)).status_code == 404
    assert ole.post(_url("annuller", aktiv)).status_code == 404
    assert ole.post(_url("genoptag", faerdig)).status_code == 404
    aktiv.refresh_from_db()
    assert aktiv.status == KoerselStatus.PENDING

    assert list(ole.get(BESLUTNINGER).context["cl"].result_list) == []
    assert list(ole.get(f"{BESLUTNINGER}?koersel={faerdig.pk}").context["cl"].result_list) == []
    besl_url = reverse("admin:sagstilknytning_kontobeslutning_change", args=[beslutning.pk])
    assert ole.get(besl_url).status_code == 302
    assert list(ole.get(OPGAVER).context["cl"].result_list) == []
    assert {p.kommune_id for p in ole.get(PAKKER).context["cl"].result_list} == {odense.pk}

    formular = ole.get(START)
    assert list(formular.context["form"].fields["kommune"].queryset) == [odense]
    svar = ole.post(START, {"kommune": koebenhavn.pk})
    assert "kommune" in svar.context["form"].errors
    assert Sagstilknytningskoersel.objects.count() == 2


# --- Decisions ------------------------------------------------------------------------------


def test_decisions_filter_by_run_result_and_reason(dina, data, koebenhavn):
    foerste = koer(koebenhavn)
    anden = koer(koebenhavn, proeve=True)

    pr_koersel = dina.get(f"{BESLUTNINGER}?koersel={foerste.pk}")
    assert {b.koersel_id for b in pr_koersel.context["cl"].result_list} == {foerste.pk}
    assert pr_koersel.context["cl"].result_count == 5

    opgaver = dina.get(f"{BESLUTNINGER}?koersel={anden.pk}&resultat=OPGAVE")
    assert _konti(opgaver) == {data["flere"].pk, data["venter"].pk}
    flere = dina.get(f"{BESLUTNINGER}?koersel={anden.pk}&aarsag=FLERE_BEVILLINGER")
    assert _konti(flere) == {data["flere"].pk}
    uaendret = dina.get(f"{BESLUTNINGER}?resultat=UAENDRET")
    assert [b.konto_id for b in uaendret.context["cl"].result_list] == [data["manuel"].pk] * 2
    soeg = dina.get(f"{BESLUTNINGER}?koersel={foerste.pk}&q={data['ref'].kontonummer}")
    assert _konti(soeg) == {data["ref"].pk}


def test_a_decision_shows_its_evidence_readably_and_cannot_be_changed(dina, data, koebenhavn):
    koersel = koer(koebenhavn)

    def detalje(konto):
        beslutning = KontoBeslutning.objects.get(koersel=koersel, konto=konto)
        return dina.get(
            reverse("admin:sagstilknytning_kontobeslutning_change", args=[beslutning.pk])
        )

    ref = detalje(data["ref"])
    evidens = tekst(ref, "//div[contains(@class, 'field-evidens_vist')]//table")
    assert "Regel 1: KMD Aktiv reference er bevillingsnummeret" in evidens
    assert "B1: valgt" in evidens
    assert 'name="_save"' not in ref.content.decode()

    flere = tekst(detalje(data["flere"]), "//div[contains(@class, 'field-evidens_vist')]")
    assert "Ingen regel: Flere bevillinger eller sager passer" in flere
    assert "FLERE_BEVILLINGER" not in flere
    assert "B3: afvist, referencen passer ikke" in flere
    assert "B4: afvist, referencen passer ikke" in flere

    manuel = tekst(detalje(data["manuel"]), "//div[contains(@class, 'field-evidens_vist')]")
    assert "Kørslen ville have besluttet Sagsoprettet" in manuel

    add = reverse("admin:sagstilknytning_kontobeslutning_add")
    assert dina.get(add).status_code == 403


# --- Opgavepakker ---------------------------------------------------------------------------


def _pakkeliste(klient: Client) -> tuple[int, dict[str, tuple[str, str, str]]]:
    with CaptureQueriesContext(connection) as forespoergsler:
        svar = klient.get(PAKKER)
    assert svar.status_code == 200
    linjer = {
        r.xpath("string(./th)").strip(): tuple(
            r.xpath(f"string(./td[contains(@class, 'field-{f}')])").strip()
            for f in ("aabne", "i_gang", "afsluttede")
        )
        for r in side(svar).xpath("//table[@id='result_list']/tbody/tr")
    }
    return len(forespoergsler), linjer


def test_package_list_counts_tasks_in_one_query_whatever_their_number(
    dina, data, koebenhavn, django_assert_max_num_queries
):
    koer(koebenhavn)
    foer, linjer = _pakkeliste(dina)
    assert len(linjer) == 15
    assert foer < len(linjer)  # no query per package
    assert linjer["Flere bevillinger eller sager passer - med dækninger"] == ("1", "0", "0")

    pakke = Opgavepakke.objects.get(kommune=koebenhavn, kode="DATAFEJL_UDEN")
    for status in [OpgaveStatus.AABEN] * 12 + [OpgaveStatus.I_GANG] * 5 + ["AFSLUTTET"] * 3:
        OpgaveFactory.create(pakke=pakke, aarsag="DATAFEJL", status=status)
    with django_assert_max_num_queries(foer):
        _, linjer = _pakkeliste(dina)
    assert linjer["Datafejl - uden dækninger"] == ("12", "5", "3")


def test_tasks_filter_by_package_type_reason_and_status_and_cannot_be_added(dina, data, koebenhavn):
    koer(koebenhavn)
    pakke = Opgavepakke.objects.get(kommune=koebenhavn, kode="FLERE_BEVILLINGER_MED")

    i_pakken = dina.get(f"{OPGAVER}?pakke={pakke.pk}&status__exact=AABEN")
    assert _konti(i_pakken) == {data["flere"].pk}
    venter = dina.get(f"{OPGAVER}?type__exact=DAEKNINGER")
    assert {o.type for o in venter.context["cl"].result_list} == {"DAEKNINGER"}
    aarsag = dina.get(f"{OPGAVER}?aarsag=VENTER_PAA_DAEKNING")
    assert _konti(aarsag) == {data["venter"].pk}

    opgave = Opgave.objects.get(konto=data["flere"], type=OpgaveType.OPRET_FORDRINGSSAG)
    detalje = dina.get(reverse("admin:opgavepakker_opgave_change", args=[opgave.pk]))
    evidens = tekst(detalje, "//div[contains(@class, 'field-evidens_vist')]")
    assert "B3: afvist" in evidens and "B4: afvist" in evidens
    assert dina.get(reverse("admin:opgavepakker_opgave_add")).status_code == 403
    slet = reverse("admin:opgavepakker_opgave_delete", args=[opgave.pk])
    assert dina.post(slet, {"post": "yes"}).status_code == 403
    assert Opgave.objects.filter(pk=opgave.pk).exists()
