"""Reading through the API: CPR only in the body and masked, another kommune's row a 404,
cursor pages, filters, the schema and Swagger UI served without any CDN."""

from __future__ import annotations

import pytest

from fordringer.choices import Tilknytning
from ky_debitor.models import Opslag

from ..factories import BorgerFactory, DebitorkontoFactory, FordringFactory, kommune
from .conftest import api_som


@pytest.fixture
def xenia(db):
    return BorgerFactory.create(navn="Xenia Kbhtestesen", cpr="1203854471")


def test_cpr_search_goes_in_the_body_and_answers_masked(alice, xenia):
    DebitorkontoFactory.create(borger=xenia)
    svar = api_som(alice).post("/api/v1/borgere/soeg/", {"q": "120385-4471"}, format="json")
    assert svar.status_code == 200
    assert svar.json() == [
        {
            "id": xenia.pk,
            "navn": xenia.navn,
            "cpr": "120385-****",
            "konti": 1,
            "ikke_tilknyttet": 1,
            "konto": None,
            "fundet_paa": "",
        }
    ]
    assert "4471" not in svar.content.decode()


def test_the_search_refuses_a_too_short_query_in_danish(alice):
    svar = api_som(alice).post("/api/v1/borgere/soeg/", {"q": "1"}, format="json")
    assert svar.status_code == 400
    assert svar.json()["felter"]["q"] == ["Skriv mindst to tegn."]


def test_a_full_cpr_is_shown_only_on_request_and_then_logged(alice, xenia):
    client = api_som(alice)
    assert client.get(f"/api/v1/borgere/{xenia.pk}/").json()["cpr"] == "120385-****"
    assert not Opslag.objects.filter(objekt_id=str(xenia.pk)).exists()
    assert client.get(f"/api/v1/borgere/{xenia.pk}/?fuldt_cpr=true").json()["cpr"] == (
        "120385-4471"
    )
    assert Opslag.objects.filter(objekt_id=str(xenia.pk), bruger=alice).count() == 1


def test_another_kommunes_objects_are_404_on_every_detail_endpoint(olga, opgaver, bent):
    konto = opgaver["flere"]
    fordring = opgaver["flere_fordring"]
    opgave = konto.opgaver.first()
    client = api_som(olga)
    for url in (
        f"/api/v1/borgere/{konto.borger_id}/",
        f"/api/v1/debitorkonti/{konto.pk}/",
        f"/api/v1/fordringer/{fordring.pk}/",
        f"/api/v1/opgaver/{opgave.pk}/",
    ):
        svar = client.get(url)
        assert svar.status_code == 404, url
        assert svar.json() == {"detail": "Findes ikke."}
    svar = client.post(f"/api/v1/opgaver/{opgave.pk}/tag/", {}, HTTP_IDEMPOTENCY_KEY="o")
    assert svar.status_code == 404
    opgave.refresh_from_db()
    assert opgave.tildelt is None
    assert client.get("/api/v1/posteringer/").json()["results"] == []


def test_lists_come_in_cursor_pages_and_filter(alice):
    konti = [DebitorkontoFactory.create() for _ in range(3)]
    DebitorkontoFactory.create(borger__kommune=kommune(461))
    client = api_som(alice)
    side = client.get("/api/v1/debitorkonti/?antal=2").json()
    assert [k["id"] for k in side["results"]] == [konti[2].pk, konti[1].pk]
    naeste = client.get(side["next"]).json()
    assert [k["id"] for k in naeste["results"]] == [konti[0].pk]
    assert naeste["next"] is None

    svar = client.get(f"/api/v1/debitorkonti/?tilknytning={Tilknytning.MANUEL}")
    assert svar.json()["results"] == []
    svar = client.get("/api/v1/debitorkonti/?tilknytning=NOGET")
    assert svar.status_code == 400
    assert "tilknytning" in svar.json()["felter"]


def test_ledger_entries_of_a_konto(alice):
    fordring = FordringFactory.create()
    svar = api_som(alice).get(f"/api/v1/posteringer/?konto={fordring.konto_id}").json()
    assert [(p["art"], p["beloeb"]) for p in svar["results"]] == [("HOVEDSTOL", "1000.00")]


def test_a_service_error_is_a_400_with_the_danish_message(alice, carl, opgaver):
    opgave = opgaver["flere"].opgaver.get(type="OPRET_FORDRINGSSAG")
    api_som(carl).post(f"/api/v1/opgaver/{opgave.pk}/tag/", {}, HTTP_IDEMPOTENCY_KEY="c")
    svar = api_som(alice).post(f"/api/v1/opgaver/{opgave.pk}/tag/", {}, HTTP_IDEMPOTENCY_KEY="a")
    assert svar.status_code == 400
    besked = f"Opgaven er allerede taget af {carl.visningsnavn}. Intet er ændret."
    assert svar.json()["detail"] == besked


def test_anonymous_gets_401_and_no_data(client, xenia):
    svar = client.get(f"/api/v1/borgere/{xenia.pk}/")
    assert svar.status_code == 401
    assert "Xenia" not in svar.content.decode()


def test_the_schema_and_swagger_ui_are_served_without_a_cdn(alice):
    client = api_som(alice)
    schema = client.get("/api/schema/?format=json").json()
    operationer = [op for sti in schema["paths"].values() for op in sti.values()]
    assert len(operationer) >= 20
    assert all(op.get("summary") for op in operationer)
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
