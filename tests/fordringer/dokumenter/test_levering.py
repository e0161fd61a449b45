"""Delivery: a document is stored once and never changed, goes to its recipient as Digital Post
through the outbox under an idempotency key, and a Bogholder can send it again, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from fordringer.choices import BeskedStatus, BeskedType, DokumentStatus
from fordringer.dokumenter.services import (
    dokument_gensend,
    dokumenter_ventende,
    kontoudtog_bestil,
)
from fordringer.models import Dokument, DokumentLaastError, UdgaaendeBesked
from ky_debitor.errors import ApplicationError
from ky_debitor.models import AuditEvent
from tests.factories import DebitorkontoFactory, FordringFactory

from .dokument_data import ompostering_til_advokat, pdf_bytes, pdf_tekst

pytestmark = pytest.mark.django_db


@pytest.fixture
def brev(bent, django_capture_on_commit_callbacks):
    """Anna's letter about the ompostering, rendered and sent after the booking committed."""
    with django_capture_on_commit_callbacks(execute=True):
        _s, ompostering = ompostering_til_advokat(bent)
    return Dokument.objects.get(ompostering=ompostering, modtager_navn="Anna Andersen")


def test_a_letter_goes_to_digital_post_with_its_hash_under_an_idempotency_key(brev):
    besked = UdgaaendeBesked.objects.get(noegle=f"digitalpost:dokument:{brev.pk}")
    assert besked.type == BeskedType.DIGITAL_POST
    assert besked.status == BeskedStatus.SENDT
    assert besked.payload["sha256"] == brev.sha256
    assert besked.payload["modtager"] == {"navn": "Anna Andersen", "cpr": "0202801234"}
    # The file transport (development's Digital Post) wrote the envelope and the very PDF.
    mappe = Path(settings.VAR_DIR) / "udgaaende" / "digital_post"
    navn = f"digitalpost_dokument_{brev.pk}"
    kuvert = json.loads((mappe / f"{navn}.json").read_text("utf-8"))
    assert kuvert["payload"]["dokument_id"] == brev.pk
    pdf = (mappe / f"{navn}.pdf").read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == brev.sha256 == besked.payload["sha256"]


def test_a_stored_document_cannot_be_changed_or_deleted(brev):
    brev.titel = "Et andet brev"
    with pytest.raises(DokumentLaastError):
        brev.save()
    with pytest.raises(DokumentLaastError):
        brev.delete()
    with pytest.raises(DokumentLaastError):
        Dokument.objects.filter(pk=brev.pk).delete()


@pytest.mark.postgres
def test_the_database_refuses_to_rewrite_a_stored_pdf(brev):
    with (
        pytest.raises(DatabaseError, match="kan ikke ændres"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE fordringer_dokument SET pdf = %s WHERE id = %s", [b"%PDF-falsk", brev.pk]
        )
    with (
        pytest.raises(DatabaseError, match="kan ikke slettes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM fordringer_dokument WHERE id = %s", [brev.pk])
    brev.refresh_from_db()
    assert hashlib.sha256(pdf_bytes(brev)).hexdigest() == brev.sha256


def test_a_bogholder_sends_a_letter_again_unchanged_and_it_is_audited(brev, birgit):
    besked = dokument_gensend(user=birgit, dokument_id=brev.pk, begrundelse="Borgeren ringede")
    assert besked.noegle == f"digitalpost:dokument:{brev.pk}:gensendt:1"
    assert besked.payload["sha256"] == brev.sha256
    igen = dokument_gensend(user=birgit, dokument_id=brev.pk)
    assert igen.noegle.endswith(":gensendt:2")
    haendelse = AuditEvent.objects.filter(handling="dokument.gensendt").order_by("id").first()
    assert haendelse is not None
    assert (haendelse.bruger, haendelse.begrundelse) == (birgit, "Borgeren ringede")
    assert haendelse.objekt_id == str(brev.pk)


def test_only_a_bogholder_sends_again_and_never_another_kommunes_letter(brev, alice, db):
    from ky_debitor.roles import Rolle
    from tests import personas

    with pytest.raises(ApplicationError, match="Kun en bogholder"):
        dokument_gensend(user=alice, dokument_id=brev.pk)
    bogholder_odense = personas.person("bo_odense", [Rolle.BOGHOLDER], 461)
    with pytest.raises(ApplicationError, match="findes ikke"):
        dokument_gensend(user=bogholder_odense, dokument_id=brev.pk)
    assert not UdgaaendeBesked.objects.filter(noegle__contains=":gensendt:").exists()


def test_a_large_kontoudtog_is_rendered_in_the_background_with_progress(
    bent, settings, django_capture_on_commit_callbacks
):
    settings.KY_DOKUMENT_BAGGRUND_LINJER = 3
    konto = DebitorkontoFactory.create(kontonummer="K-STOR")
    for n in range(4):
        FordringFactory.create(konto=konto, fordringsid=f"F-{n}")
    with django_capture_on_commit_callbacks(execute=False) as efter:
        dokument = kontoudtog_bestil(user=bent, konto_id=konto.pk)
    assert (dokument.status, dokument.antal, dokument.procent) == (DokumentStatus.VENTER, 4, 0)
    assert dokument.pdf is None
    for callback in efter:  # the worker
        callback()
    dokument.refresh_from_db()
    assert (dokument.status, dokument.procent) == (DokumentStatus.FAERDIG, 100)
    assert "F-3" in pdf_tekst(dokument.pdf)


def test_the_sweep_finds_documents_no_worker_started(bent, django_capture_on_commit_callbacks):
    konto = DebitorkontoFactory.create()
    FordringFactory.create(konto=konto)
    with django_capture_on_commit_callbacks(execute=False):  # the queue was away
        dokument = kontoudtog_bestil(user=bent, konto_id=konto.pk, baggrund=True)
    assert dokumenter_ventende() == []  # not yet a minute
    senere = timezone.now() + dt.timedelta(minutes=2)
    assert dokumenter_ventende(nu=senere) == [dokument.pk]


def test_a_period_that_ends_before_it_starts_is_refused_in_danish(bent):
    konto = DebitorkontoFactory.create()
    with pytest.raises(ApplicationError, match="startdato ligger efter slutdatoen"):
        kontoudtog_bestil(
            user=bent, konto_id=konto.pk, fra=dt.date(2025, 2, 1), til=dt.date(2025, 1, 1)
        )
    assert not Dokument.objects.exists()
