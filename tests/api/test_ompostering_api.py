"""Omposter fordeling and payout approval through the API: the screens' services, the
permission table's roles, four eyes, and the Idempotency-Key on every write that moves money."""

from __future__ import annotations

from decimal import Decimal

from fordringer.choices import BeskedType, UdbetalingStatus
from fordringer.models import Ompostering, Postering, Udbetaling, UdgaaendeBesked
from ky_debitor.roles import Rolle

from ..factories import BrugerFactory, FordringFactory, kommune
from ..fordringer.ompostering.ompostering_data import opret
from .conftest import api_som


def _omposter(client, s, noegle="omp-1", fordelt="200.00", udbetalt="300.00"):
    return client.post(
        "/api/v1/omposteringer/",
        {
            "daekninger": [s.daekning.pk],
            "aarsag": s.aarsag.pk,
            "til_borger": s.bo.pk,
            "fordeling": [{"fordring": s.fb.pk, "beloeb": fordelt}],
            "udbetaling": {
                "beloeb": udbetalt,
                "kanal": "NEMKONTO",
                "ny_modtager": {"navn": "Advokat Hansen", "identifikation": "12345674"},
            },
            "note": "Indbetalingen er omstødt af skifteretten.",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=noegle,
    )


def _spor():
    return (
        Ompostering.objects.count(),
        Postering.objects.count(),
        Udbetaling.objects.count(),
        UdgaaendeBesked.objects.count(),
    )


def test_an_ompostering_sent_twice_with_one_key_moves_the_money_once(bent):
    s = opret(bent)
    client = api_som(bent)

    foerste = _omposter(client, s)
    assert foerste.status_code == 201, foerste.json()
    svar = foerste.json()
    assert (svar["beloeb"], svar["fordelt"], svar["udbetalt"], svar["venter"]) == (
        "500.00",
        "200.00",
        "300.00",
        "0.00",
    )
    assert svar["til_borger"] == s.bo.pk and len(svar["udbetalinger"]) == 1
    spor = _spor()

    anden = _omposter(client, s)
    assert anden.status_code == 201 and anden.json() == svar
    assert anden["Idempotent-Replayed"] == "true"
    assert _spor() == spor, "gentagelsen bogførte noget igen"


def test_a_second_key_reaches_the_service_which_refuses_a_moved_dækning(bent):
    """The control: a new key is a new request, and the dækning is already rolled back."""
    s = opret(bent)
    client = api_som(bent)
    assert _omposter(client, s, noegle="a").status_code == 201
    spor = _spor()

    igen = _omposter(client, s, noegle="b")

    assert igen.status_code == 400
    assert igen.json()["detail"]
    assert _spor() == spor


def test_allocating_more_than_the_amount_is_refused_in_danish_and_changes_nothing(bent):
    s = opret(bent)
    foer = _spor()

    svar = _omposter(api_som(bent), s, fordelt="400.00", udbetalt="300.00")

    assert svar.status_code == 400
    assert "beløb" in svar.json()["detail"].lower()
    assert _spor() == foer


def test_the_api_refuses_100_kr_on_a_0_32_kr_claim_with_the_screens_errors(bent):
    """The same check as the wizard's step 3 (``plan``): every error at once, each under the
    path of its input field, and nothing changes."""
    s = opret(bent)
    lille = FordringFactory.create(
        konto=s.fb.konto, fordringsid="FS", hovedstol=Decimal("0.32"), renteregime="INGEN"
    )
    foer = _spor()

    svar = api_som(bent).post(
        "/api/v1/omposteringer/",
        {
            "daekninger": [s.daekning.pk],
            "aarsag": s.aarsag.pk,
            "til_borger": s.bo.pk,
            "fordeling": [
                {"fordring": s.fb.pk, "beloeb": "450.00"},
                {"fordring": lille.pk, "beloeb": "100.00"},
            ],
            "note": "x",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="lille",
    )

    assert svar.status_code == 400
    krop = svar.json()
    paa_fordringen = (
        "Indtastet beløb til dækning (100,00 kr.) må ikke være større end restancen på "
        "fordring FS (0,32 kr.)."
    )
    i_alt = (
        "Det samlede beløb til dækning og udbetaling (550,00 kr.) må ikke være større end "
        "det samlede omposteringsbeløb (500,00 kr.)."
    )
    assert krop["felter"] == {
        "fordeling.1.beloeb": [paa_fordringen],
        "non_field_errors": [i_alt],
    }
    assert krop["detail"] == f"{paa_fordringen} {i_alt}"
    assert _spor() == foer


def test_only_another_bogholder_approves_the_payout_and_it_goes_to_the_outbox(bent, birgit, alice):
    s = opret(bent)
    udbetaling_id = _omposter(api_som(bent), s).json()["udbetalinger"][0]
    sti = f"/api/v1/udbetalinger/{udbetaling_id}/godkend/"

    sagsbehandler = api_som(alice).post(sti, {}, format="json", HTTP_IDEMPOTENCY_KEY="g1")
    assert sagsbehandler.status_code == 403  # the table: payouts are the Bogholder's

    selv = api_som(bent).post(sti, {}, format="json", HTTP_IDEMPOTENCY_KEY="g2")
    assert selv.status_code == 400
    assert "fire øjne" in selv.json()["detail"]
    assert Udbetaling.objects.get(pk=udbetaling_id).status == UdbetalingStatus.AFVENTER

    godkendt = api_som(birgit).post(sti, {}, format="json", HTTP_IDEMPOTENCY_KEY="g3")
    assert godkendt.status_code == 200, godkendt.json()
    assert godkendt.json()["status"] == UdbetalingStatus.GODKENDT
    assert godkendt.json()["behandlet_af"] == birgit.pk
    assert UdgaaendeBesked.objects.filter(type=BeskedType.UDBETALING).count() == 1

    liste = api_som(birgit).get("/api/v1/udbetalinger/?status=GODKENDT").json()
    assert [u["id"] for u in liste["results"]] == [udbetaling_id]


def test_another_kommunes_payout_is_not_found(bent, db):
    s = opret(bent)
    udbetaling_id = _omposter(api_som(bent), s).json()["udbetalinger"][0]
    odense = BrugerFactory.create(username="otto", kommune=kommune(461), roller=[Rolle.BOGHOLDER])

    svar = api_som(odense).post(
        f"/api/v1/udbetalinger/{udbetaling_id}/godkend/", {}, format="json",
        HTTP_IDEMPOTENCY_KEY="o1",
    )  # fmt: skip

    assert svar.status_code == 404
    assert Udbetaling.objects.get(pk=udbetaling_id).status == UdbetalingStatus.AFVENTER
    assert api_som(odense).get("/api/v1/udbetalinger/").json()["results"] == []
