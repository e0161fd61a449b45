"""Completing "Opret fordringssag": link, stamp, release, close the task and its waiting task."""

from __future__ import annotations

import pytest

from fordringer.choices import Tilknytning
from fordringer.models import EIndkomstLinje, Parkering, Ydelsestype
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent
from opgavepakker.afslutning import FordringAngivelse, OpgaveValg, opgave_afslut
from opgavepakker.models import Opgave, OpgaveType
from opgavepakker.opgave_services import opgave_tag
from opgavepakker.workflow import OpgaveStatus

from .conftest import opgave_for


def yt(kode: str) -> Ydelsestype:
    return Ydelsestype.objects.get(kode=kode)


def test_completing_with_a_bevilling_links_stamps_releases_and_closes(alice, opgaver):
    konto = opgaver["flere"]
    opgave = opgave_for(konto)
    vent = opgave_for(konto, OpgaveType.DAEKNINGER)

    kvittering = opgave_afslut(
        user=alice,
        opgave_id=opgave.pk,
        valg=OpgaveValg(bevilling_id=opgaver["b4"].pk, sag_id=None, note="Periode passer B4"),
    )

    konto.refresh_from_db()
    assert konto.bevilling_id == opgaver["b4"].pk
    assert konto.tilknytning == Tilknytning.MANUEL and konto.tilknyttet_af == alice
    assert konto.sag is not None and kvittering.sagsoprettet
    fordring = konto.fordringer.get()
    assert fordring.kmd_aktiv_reference == "B4"
    assert fordring.ydelsestype == yt("KONTANTHJAELP")
    assert fordring.reference_kilde == Tilknytning.MANUEL
    assert not Parkering.objects.filter(konto=konto, frigivet__isnull=True).exists()
    assert kvittering.frigivet == 1
    assert EIndkomstLinje.objects.filter(postering__fordring=fordring).count() == 1

    for o in (opgave, vent):
        o.refresh_from_db()
        assert o.status == OpgaveStatus.AFSLUTTET
        assert o.afsluttet_af == alice and o.afsluttet is not None
    assert opgave.afslutning == "Periode passer B4"
    lukket = AuditEvent.objects.filter(handling="opgave.afslut", bruger=alice)
    assert set(lukket.values_list("objekt_id", flat=True)) == {str(opgave.pk), str(vent.pk)}
    assert AuditEvent.objects.filter(
        objekt_type="fordringer.debitorkonto", objekt_id=str(konto.pk), bruger=alice
    ).exists()


def test_a_reference_and_ydelsestype_typed_per_fordring_win_over_the_bevilling(alice, opgaver):
    konto = opgaver["flere"]
    fordring = opgaver["flere_fordring"]
    opgave_afslut(
        user=alice,
        opgave_id=opgave_for(konto).pk,
        valg=OpgaveValg(
            bevilling_id=opgaver["b3"].pk,
            sag_id=None,
            fordringer={
                fordring.pk: FordringAngivelse(
                    kmd_aktiv_reference=" AKT-77 ", ydelsestype_id=yt("UDDANNELSESHJAELP").pk
                )
            },
        ),
    )
    fordring.refresh_from_db()
    assert fordring.kmd_aktiv_reference == "AKT-77"
    assert fordring.ydelsestype == yt("UDDANNELSESHJAELP")


def test_ingen_bevilling_creates_a_sag_with_the_chosen_ydelsestype(alice, opgaver):
    konto = opgaver["ingen"]
    kvittering = opgave_afslut(
        user=alice,
        opgave_id=opgave_for(konto).pk,
        valg=OpgaveValg(
            bevilling_id=None,
            sag_id=None,
            ydelsestype_id=yt("SAERLIG_STOETTE").pk,
            fordringer={
                konto.fordringer.get().pk: FordringAngivelse(kmd_aktiv_reference="MANUEL-1")
            },
        ),
    )
    konto.refresh_from_db()
    assert konto.bevilling is None and konto.sag is not None and kvittering.sagsoprettet
    assert konto.sag.ydelsestype == yt("SAERLIG_STOETTE")
    fordring = konto.fordringer.get()
    assert (fordring.kmd_aktiv_reference, fordring.ydelsestype) == (
        "MANUEL-1",
        yt("SAERLIG_STOETTE"),
    )
    assert not Parkering.objects.filter(konto=konto, frigivet__isnull=True).exists()
    assert not Opgave.objects.filter(konto=konto, status__in=["AABEN", "I_GANG"]).exists()


def test_ingen_bevilling_without_ydelsestype_or_reference_is_refused_and_changes_nothing(
    alice, opgaver
):
    konto = opgaver["ingen"]
    opgave = opgave_for(konto)
    with pytest.raises(ApplicationError, match="Angiv en KMD Aktiv reference") as fejl:
        opgave_afslut(
            user=alice, opgave_id=opgave.pk, valg=OpgaveValg(bevilling_id=None, sag_id=None)
        )
    fordring = konto.fordringer.get()
    assert f"reference_{fordring.pk}" in fejl.value.felter
    with pytest.raises(ApplicationError, match="Angiv en KMD Aktiv reference"):
        opgave_afslut(
            user=alice,
            opgave_id=opgave.pk,
            valg=OpgaveValg(
                bevilling_id=None, sag_id=None, ydelsestype_id=yt("SAERLIG_STOETTE").pk
            ),
        )
    konto.refresh_from_db()
    opgave.refresh_from_db()
    assert konto.tilknytning == Tilknytning.INGEN and konto.sag is None
    assert opgave.status == OpgaveStatus.AABEN
    assert Parkering.objects.filter(konto=konto, frigivet__isnull=True).count() == 1


def test_ydelsestype_ukendt_keeps_the_link_and_stamps_only_the_ydelsestype(alice, opgaver):
    konto = opgaver["ukendt"]
    bevilling_foer, sag_foer = konto.bevilling_id, konto.sag_id
    assert sag_foer is not None
    fordring = konto.fordringer.get()
    opgave_afslut(
        user=alice,
        opgave_id=opgave_for(konto).pk,
        valg=OpgaveValg(
            bevilling_id=None,
            sag_id=None,
            fordringer={fordring.pk: FordringAngivelse(ydelsestype_id=yt("LEDIGHEDSYDELSE").pk)},
        ),
    )
    konto.refresh_from_db()
    fordring.refresh_from_db()
    assert (konto.bevilling_id, konto.sag_id) == (bevilling_foer, sag_foer)
    assert fordring.ydelsestype == yt("LEDIGHEDSYDELSE")
    assert fordring.kmd_aktiv_reference == "BX1"


def test_a_task_someone_else_took_gives_a_conflict_and_changes_nothing(alice, carl, opgaver):
    konto = opgaver["flere"]
    opgave = opgave_tag(user=carl, opgave_id=opgave_for(konto).pk)
    with pytest.raises(ConflictError, match="allerede taget af"):
        opgave_afslut(
            user=alice,
            opgave_id=opgave.pk,
            valg=OpgaveValg(bevilling_id=opgaver["b4"].pk, sag_id=None),
        )
    konto.refresh_from_db()
    opgave.refresh_from_db()
    assert konto.tilknytning == Tilknytning.INGEN
    assert opgave.status == OpgaveStatus.I_GANG and opgave.tildelt == carl
    assert Parkering.objects.filter(konto=konto, frigivet__isnull=True).count() == 1
    assert not AuditEvent.objects.filter(bruger=alice).exists()


def test_a_task_finished_meanwhile_gives_a_conflict(alice, carl, opgaver):
    opgave = opgave_for(opgaver["flere"])
    valg = OpgaveValg(bevilling_id=opgaver["b4"].pk, sag_id=None)
    opgave_afslut(user=carl, opgave_id=opgave.pk, valg=valg)
    with pytest.raises(ConflictError, match="afsluttet"):
        opgave_afslut(user=alice, opgave_id=opgave.pk, valg=valg)


def test_another_kommunes_task_does_not_exist_for_the_user(olga, opgaver):
    with pytest.raises(Opgave.DoesNotExist):
        opgave_afslut(
            user=olga,
            opgave_id=opgave_for(opgaver["flere"]).pk,
            valg=OpgaveValg(bevilling_id=opgaver["b4"].pk, sag_id=None),
        )
    opgaver["flere"].refresh_from_db()
    assert opgaver["flere"].tilknytning == Tilknytning.INGEN


def test_a_bevilling_of_another_borger_is_refused(alice, opgaver):
    with pytest.raises(ApplicationError, match="tilhører ikke borgeren"):
        opgave_afslut(
            user=alice,
            opgave_id=opgave_for(opgaver["ingen"]).pk,
            valg=OpgaveValg(bevilling_id=opgaver["b4"].pk, sag_id=None),
        )


def test_the_waiting_task_cannot_be_completed(alice, opgaver):
    with pytest.raises(ApplicationError, match="venter"):
        opgave_afslut(
            user=alice,
            opgave_id=opgave_for(opgaver["flere"], OpgaveType.DAEKNINGER).pk,
            valg=OpgaveValg(bevilling_id=opgaver["b4"].pk, sag_id=None),
        )
