"""Taking, handing back and a Projektleder's bulk assignment."""

from __future__ import annotations

import pytest

from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent
from opgavepakker.opgave_services import (
    opgave_aflever,
    opgave_tag,
    opgave_tag_naeste,
    opgaver_tildel,
)
from opgavepakker.workflow import OpgaveStatus

from .conftest import opgave_for


def test_take_and_hand_back(alice, carl, opgaver):
    opgave = opgave_tag(user=alice, opgave_id=opgave_for(opgaver["flere"]).pk)
    assert (opgave.status, opgave.tildelt) == (OpgaveStatus.I_GANG, alice)
    with pytest.raises(ConflictError, match="allerede taget"):
        opgave_tag(user=carl, opgave_id=opgave.pk)
    with pytest.raises(ConflictError):
        opgave_aflever(user=carl, opgave_id=opgave.pk)
    opgave = opgave_aflever(user=alice, opgave_id=opgave.pk)
    assert (opgave.status, opgave.tildelt) == (OpgaveStatus.AABEN, None)
    assert list(
        AuditEvent.objects.filter(objekt_id=str(opgave.pk), objekt_type="opgavepakker.opgave")
        .order_by("id")
        .values_list("handling", flat=True)
    ) == ["opgave.tag", "opgave.aflever"]


def test_take_next_skips_taken_tasks_and_returns_none_when_empty(alice, carl, opgaver):
    opgave = opgave_for(opgaver["flere"])
    opgave_tag(user=carl, opgave_id=opgave.pk)
    assert opgave_tag_naeste(user=alice, pakke_id=opgave.pakke_id) is None
    opgave_aflever(user=carl, opgave_id=opgave.pk)
    naeste = opgave_tag_naeste(user=alice, pakke_id=opgave.pakke_id)
    assert naeste is not None and naeste.pk == opgave.pk and naeste.tildelt == alice


def test_projektleder_assigns_tasks_in_bulk(pia, carl, opgaver):
    ider = [opgave_for(opgaver["flere"]).pk, opgave_for(opgaver["ingen"]).pk]
    assert opgaver_tildel(user=pia, opgave_ids=ider, bruger_id=carl.pk) == 2
    assert opgave_for(opgaver["ingen"]).tildelt == carl
    assert AuditEvent.objects.filter(handling="opgave.tildel", bruger=pia).count() == 2


def test_only_a_projektleder_assigns_and_only_to_own_kommunes_caseworkers(
    alice, pia, olga, opgaver
):
    ider = [opgave_for(opgaver["flere"]).pk]
    with pytest.raises(ApplicationError, match="projektleder"):
        opgaver_tildel(user=alice, opgave_ids=ider, bruger_id=alice.pk)
    with pytest.raises(ApplicationError, match="sagsbehandler fra kommunen"):
        opgaver_tildel(user=pia, opgave_ids=ider, bruger_id=olga.pk)
    assert opgave_for(opgaver["flere"]).tildelt is None


def test_assigning_a_finished_task_rejects_the_whole_assignment(alice, pia, carl, opgaver):
    from opgavepakker.afslutning import OpgaveValg, opgave_afslut

    faerdig = opgave_for(opgaver["flere"])
    opgave_afslut(
        user=alice,
        opgave_id=faerdig.pk,
        valg=OpgaveValg(bevilling_id=opgaver["b4"].pk, sag_id=None),
    )
    aaben = opgave_for(opgaver["ingen"])
    with pytest.raises(ConflictError):
        opgaver_tildel(user=pia, opgave_ids=[aaben.pk, faerdig.pk], bruger_id=carl.pk)
    aaben.refresh_from_db()
    assert aaben.tildelt is None
