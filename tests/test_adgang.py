"""The permission table (``ky_debitor.adgang``) against every URL, every role and two kommuner.

The walk takes Django's URL resolver — screens, admin and API alike, nothing hand-picked —
with parameters filled from København's rows (``test_kommuneadskillelse.koebenhavns_urls``).
For each of the four roles a person (session) and a system (API token) with that role alone:

* in København, every URL the table refuses gives 403, and every URL it allows does not;
* in Odense, every URL the table allows, with every København id, GET and POST, never shows
  København's data, and nothing of København changes;
* an anonymous visitor never gets a page except the public ones.

The people are staff, so that the admin is decided by the table alone (in production only
Drift is staff; the admin's front door then refuses the others before the table is asked).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from ky_debitor.adgang import ADGANG, TILDELING, adgang_tilladt, er_offentlig, roller_for
from ky_debitor.api_noegler import api_noegle_opret
from ky_debitor.errors import ApplicationError
from ky_debitor.models import ApiNoegle, Bruger, Kommune
from ky_debitor.roles import Rolle
from ky_debitor.rolletildeling import rolle_tildeling_tjek

from . import personas
from .factories import BrugerFactory
from .test_kommuneadskillelse import (
    ApiGennemgaaer,
    Gennemgaaer,
    _fingerprint,
    _url_names,
    _viser_koebenhavn,
    koebenhavns_urls,
    opret_koebenhavns_data,
)

LOG_AF = {"logout", "admin:logout"}  # a POST there would end the walk's session
# Allowed by the table, but refused by the admin itself without a valid look-up (the field
# and model in the query string), so a bare GET is a 403 for every role.
ADMIN_SELV = {"admin:autocomplete"}


def _person(rolle: Rolle, kode: int) -> Gennemgaaer:
    user = BrugerFactory.create(
        username=f"{rolle.value.lower()}{kode}",
        kommune=Kommune.objects.get(kode=kode),
        is_staff=True,
        roller=[rolle],
    )
    client = Gennemgaaer()
    client.force_login(user)
    client.user = user  # type: ignore[attr-defined]
    return client


def _system(rolle: Rolle, indehaver: Bruger, opretter: object) -> ApiGennemgaaer:
    """A token with ``rolle`` acting as ``indehaver`` (who holds that role), made by a
    platform operator."""
    kommune = indehaver.kommune
    assert kommune is not None
    _, token = api_noegle_opret(
        user=opretter, kommune=kommune, rolle=rolle, navn=f"{rolle} {kommune}", indehaver=indehaver
    )
    client = ApiGennemgaaer()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _post(client: Client, url: str) -> HttpResponseBase:
    return client.post(url, {}, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def _svar(client: Client, name: str, url: str) -> Iterator[tuple[str, HttpResponseBase]]:
    yield "GET", client.get(url)
    if name not in LOG_AF:
        yield "POST", _post(client, url)


def test_every_url_has_its_row_in_the_table_and_every_row_a_url(db):
    navne = {name for name, _params in _url_names()}
    uden = sorted(n for n in navne if roller_for(n) is None)
    assert not uden, f"URL'er uden række i adgangstabellen: {uden}"
    foraeldede = sorted(set(ADGANG) - navne)
    assert not foraeldede, f"Rækker i adgangstabellen uden URL: {foraeldede}"
    assert sum(n.startswith("api:") for n in navne) >= 20


def test_the_table_says_what_the_issue_requires(db):
    assert roller_for("api:koersel_start") == {Rolle.DRIFT}
    assert roller_for("admin:sagstilknytning_sagstilknytningskoersel_start") == {Rolle.DRIFT}
    assert Rolle.PROJEKTLEDER in roller_for("dataudtraek")  # type: ignore[operator]
    assert Rolle.PROJEKTLEDER in roller_for("api:eksport_bestil")  # type: ignore[operator]
    assert Rolle.SAGSBEHANDLER not in roller_for("opgaver_tildel")  # type: ignore[operator]
    # The debitorsystem's messages and Drift's view of the integration (seed 003).
    for navn in (
        "api:debitorsystem_daekning",
        "api:debitorsystem_kontostatus",
        "drift_udbakke",
        "drift_udbakke_proev_igen",
    ):
        assert roller_for(navn) == {Rolle.DRIFT}, navn
    # The admin's model screens follow the groups' model permissions.
    assert roller_for("admin:fordringer_postering_add") == frozenset()
    assert roller_for("admin:fordringer_borger_changelist") == {
        Rolle.DRIFT,
        Rolle.PROJEKTLEDER,
        Rolle.BOGHOLDER,
    }
    # The national tables: only the national administrator adds; nobody edits a rate.
    for model in ("ydelsestype", "ydelseskode", "ll8odaekning", "rentesats", "omposteringaarsag"):
        assert roller_for(f"admin:fordringer_{model}_add") == {Rolle.NATIONAL}, model
    assert Rolle.NATIONAL not in roller_for("borger")  # type: ignore[operator]


@pytest.mark.slow
@pytest.mark.parametrize("rolle", list(Rolle), ids=lambda r: r.value)
def test_each_role_gets_exactly_what_the_table_says_and_nothing_of_another_kommune(
    rolle, koebenhavns_data, operatoer
):
    urls = {name: concrete for name, concrete in koebenhavns_urls().items() if concrete}
    koebenhavn = Kommune.objects.get(kode=101)
    egen, fremmed = _person(rolle, 101), _person(rolle, 461)
    egen_system = _system(rolle, egen.user, operatoer)  # type: ignore[attr-defined]
    fremmed_system = _system(rolle, fremmed.user, operatoer)  # type: ignore[attr-defined]

    # Own kommune: the table decides, for people and for systems alike.
    for name, concrete in urls.items():
        tilladt = adgang_tilladt(egen.user, name)  # type: ignore[attr-defined]
        clients = [egen, egen_system] if name.startswith("api:") else [egen]
        for client in clients:
            status = client.get(concrete[0]).status_code
            if tilladt and name not in ADMIN_SELV:
                assert status != 403, f"{rolle} fik 403 på {concrete[0]} ({name})"
            elif not tilladt:
                assert status == 403, f"{rolle} fik {status} på {concrete[0]} ({name})"
                assert _post(client, concrete[0]).status_code == 403, name

    # The control: what the role may see of its own kommune, it sees; the national
    # administrator sees no kommune's citizens, even with a kommune on the person.
    konto, borger = koebenhavns_data["konto"], koebenhavns_data["borger"]
    for url in (
        reverse("debitorkonto", args=[konto.pk]),
        reverse("api:debitorkonto", args=[konto.pk]),
        reverse("api:borger", args=[borger.pk]),
    ):
        svar = egen.get(url)
        if rolle is Rolle.NATIONAL:
            assert svar.status_code == 403 and not _viser_koebenhavn(svar.content), url
        else:
            assert _viser_koebenhavn(svar.content), url
    if rolle is not Rolle.NATIONAL:
        system_svar = egen_system.get(reverse("api:borger", args=[borger.pk]))
        assert _viser_koebenhavn(system_svar.content)

    # Another kommune: every allowed URL with every København id shows and changes nothing.
    foer = _fingerprint(koebenhavn)
    for name, concrete in urls.items():
        if not adgang_tilladt(fremmed.user, name):  # type: ignore[attr-defined]
            continue  # refused before any view runs, whatever the id (asserted above)
        clients = [fremmed, fremmed_system] if name.startswith("api:") else [fremmed]
        for client in clients:
            for url in concrete:
                for metode, fremmed_svar in _svar(client, name, url):
                    laek = _viser_koebenhavn(fremmed_svar.content)  # type: ignore[attr-defined]
                    assert not laek, f"{metode} {url} ({name}) viste {laek} til {rolle} i Odense"
    assert _fingerprint(koebenhavn) == foer, f"{rolle} i Odense ændrede Københavns data"
    for client in (fremmed, fremmed_system):
        beskeder = client.beskeder_med_koebenhavn()
        assert not beskeder, f"en besked viste Københavns data til {rolle} i Odense: {beskeder}"


def test_anonymous_visitors_get_only_the_public_pages(koebenhavns_data, client):
    for name, concrete in koebenhavns_urls().items():
        if not concrete or er_offentlig(name):
            continue
        svar = client.get(concrete[0])
        assert svar.status_code in (302, 401, 403, 405), f"{concrete[0]} ({name}): {svar}"
        assert not _viser_koebenhavn(svar.content)


@pytest.fixture
def koebenhavns_data(db, bent):
    return opret_koebenhavns_data(bent)


@pytest.fixture
def operatoer(db):
    """The platform operator, who makes the walk's API tokens for the walk's people."""
    return personas.operatoer()


@pytest.mark.parametrize("rolle", list(Rolle), ids=lambda r: r.value)
def test_granting_follows_its_row_in_the_table(rolle, db):
    """Only the TILDELING roles make API keys and give roles, and only roles they hold."""
    assert roller_for("admin:ky_debitor_apinoegle_add") == TILDELING
    koebenhavn = Kommune.objects.get(kode=101)
    person = BrugerFactory.create(kommune=koebenhavn, roller=[rolle])
    for anden in Rolle:
        maa = rolle in TILDELING and anden == rolle
        try:
            api_noegle_opret(
                user=person, kommune=koebenhavn, rolle=anden, navn=f"{rolle} giver {anden}"
            )
            fik_noegle = True
        except ApplicationError:
            fik_noegle = False
        try:
            rolle_tildeling_tjek(person, [anden.value])
            maa_give = True
        except ApplicationError:
            maa_give = False
        assert (fik_noegle, maa_give) == (maa, maa), f"{rolle} gav {anden}"
    assert ApiNoegle.objects.filter(indehaver=person).count() == (rolle in TILDELING)
