"""The Idempotency-Key header: the same key twice returns the first answer and does nothing
more; the same key with another body is refused; a failed request stores nothing."""

from __future__ import annotations

from fordringer.models import EIndkomstLinje, Parkering
from ky_debitor.models import AuditEvent
from opgavepakker.models import Opgave
from opgavepakker.workflow import OpgaveStatus
from sagstilknytning.models import Sagstilknytningskoersel

from ..opgavepakker.conftest import opgave_for
from .conftest import api_med_noegle, api_som


def _afslut(client, opgave, bevilling, noegle="noegle-1", note="Periode passer"):
    return client.post(
        f"/api/v1/opgaver/{opgave.pk}/afslut/",
        {"bevilling": bevilling.pk, "sag": None, "note": note},
        format="json",
        HTTP_IDEMPOTENCY_KEY=noegle,
    )


def _spor(konto):
    return (
        AuditEvent.objects.count(),
        EIndkomstLinje.objects.filter(postering__fordring__konto=konto).count(),
        Parkering.objects.filter(konto=konto, frigivet__isnull=False).count(),
    )


def test_completing_a_task_twice_with_one_key_releases_the_dækning_once(alice, opgaver):
    konto, opgave = opgaver["flere"], opgave_for(opgaver["flere"])
    client = api_som(alice)

    foerste = _afslut(client, opgave, opgaver["b4"])
    assert foerste.status_code == 200, foerste.json()
    assert foerste.json()["frigivet"] == 1
    spor = _spor(konto)
    assert spor[1] == 1 and spor[2] == 1  # one eIndkomst row, one released parking

    anden = _afslut(client, opgave, opgaver["b4"])
    assert anden.status_code == 200
    assert anden.json() == foerste.json()
    assert anden["Idempotent-Replayed"] == "true"
    assert _spor(konto) == spor, "gentagelsen bogførte eller auditerede noget igen"


def test_without_the_key_the_completion_would_be_refused_as_already_done(alice, opgaver):
    """The control: a new key really reaches the service, which refuses a second completion."""
    opgave = opgave_for(opgaver["flere"])
    client = api_som(alice)
    assert _afslut(client, opgave, opgaver["b4"], noegle="a").status_code == 200
    igen = _afslut(client, opgave, opgaver["b4"], noegle="b")
    assert igen.status_code == 400
    assert "allerede afsluttet" in igen.json()["detail"]


def test_the_same_key_with_another_body_is_refused_in_danish_and_changes_nothing(alice, opgaver):
    client = api_som(alice)
    flere, ingen = opgave_for(opgaver["flere"]), opgave_for(opgaver["ingen"])
    assert _afslut(client, flere, opgaver["b4"], note="første").status_code == 200
    spor = _spor(opgaver["flere"])

    svar = _afslut(client, flere, opgaver["b3"], note="en anden")
    assert svar.status_code == 422
    assert "Idempotency-Key er allerede brugt" in svar.json()["detail"]
    svar = client.post(
        f"/api/v1/opgaver/{ingen.pk}/tag/", {}, format="json", HTTP_IDEMPOTENCY_KEY="noegle-1"
    )
    assert svar.status_code == 422
    assert _spor(opgaver["flere"]) == spor
    ingen.refresh_from_db()
    assert ingen.status == OpgaveStatus.AABEN and ingen.tildelt is None


def test_a_write_without_the_key_is_refused_and_does_nothing(alice, opgaver):
    opgave = opgave_for(opgaver["flere"])
    svar = api_som(alice).post(f"/api/v1/opgaver/{opgave.pk}/tag/", {}, format="json")
    assert svar.status_code == 400
    assert "Idempotency-Key mangler" in svar.json()["detail"]
    opgave.refresh_from_db()
    assert opgave.status == OpgaveStatus.AABEN


def test_a_failed_request_stores_nothing_so_the_key_can_be_used_again(alice, opgaver):
    opgave = opgave_for(opgaver["flere"])
    client = api_som(alice)
    fejl = client.post(
        f"/api/v1/opgaver/{opgave.pk}/afslut/",
        {"bevilling": None, "sag": None},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert fejl.status_code == 400
    # "Ingen bevilling" and the claim has no reference: refused, the field named.
    assert "Angiv en KMD Aktiv reference" in fejl.json()["detail"]
    assert list(fejl.json()["felter"]) == [f"reference_{opgaver['flere_fordring'].pk}"]
    assert _afslut(client, opgave, opgaver["b4"], noegle="k").status_code == 200


def test_keys_belong_to_their_user(alice, carl, opgaver):
    """Carl's key 'x' is not Alice's key 'x': his request is his own, and is refused by the
    service because Alice has the task."""
    opgave = opgave_for(opgaver["flere"])
    tag = f"/api/v1/opgaver/{opgave.pk}/tag/"
    assert api_som(alice).post(tag, {}, HTTP_IDEMPOTENCY_KEY="x").status_code == 200
    svar = api_som(carl).post(tag, {}, HTTP_IDEMPOTENCY_KEY="x")
    assert svar.status_code == 400
    assert "allerede taget" in svar.json()["detail"]
    assert Opgave.objects.get(pk=opgave.pk).tildelt == alice


def test_starting_a_run_twice_with_one_key_starts_one_run(drift_noegle, koebenhavn):
    client = api_med_noegle(drift_noegle[1])
    foerste = client.post(
        "/api/v1/koersler/start/", {"proeve": True}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert foerste.status_code == 201, foerste.json()
    anden = client.post(
        "/api/v1/koersler/start/", {"proeve": True}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert anden.status_code == 201 and anden.json() == foerste.json()
    assert Sagstilknytningskoersel.objects.filter(kommune=koebenhavn).count() == 1
