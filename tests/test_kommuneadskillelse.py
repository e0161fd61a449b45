"""Kommune isolation through every registered URL (DESIGN §4.3).

The test walks Django's URL resolver — it does not hand-pick views — and fills every URL
parameter with the primary keys of København's rows. Users of Odense (a Sagsbehandler and a
staff user holding every model permission) must never get a page that shows any of
København's data, and nothing they POST may change it. A København user with the same roles
and permissions is the control: the same URLs do show the data to them, so the walk really
reaches the objects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterator
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from fordringer.choices import ManuelKilde, PosteringArt, Udbetalingskanal
from fordringer.eindkomst.manuel import eindkomst_manuel_opret
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import OmposteringAarsag
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.udbetaling import NyModtager, UdbetalingValg
from ky_debitor.audit import opslag_log
from ky_debitor.models import Bruger, Kommune
from ky_debitor.roles import Rolle
from opgavepakker.models import Opgave
from rapporter.definitioner import RAPPORTER
from rapporter.services import eksport_bestil
from sagstilknytning.services import koer_synkront, koersel_opret

from .factories import (
    BevillingFactory,
    BorgerFactory,
    BrugerFactory,
    FordringFactory,
    IndbetalingFactory,
    SagFactory,
)

# Strings that exist only in København's rows. None may ever reach an Odense user.
MARKOERER = ["Xenia Kbhtestesen", "120385", "KBHKONTO77", "KBHFORD88", "KBHSAG99", "KBHBEV66"]
TENANT_APPS = ("fordringer", "ky_debitor", "sagstilknytning", "opgavepakker", "rapporter")


def _url_names(
    resolver: URLResolver | None = None, ns: str = ""
) -> Iterator[tuple[str, list[str]]]:
    """Every named URL with the parameter names it takes, namespaces included."""
    resolver = resolver or get_resolver()
    for key in resolver.reverse_dict:
        if isinstance(key, str):
            for possibility, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(key):
                for _text, params in possibility:
                    yield f"{ns}{key}", list(params)
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        yield from _url_names(sub, f"{ns}{namespace}:")


def _kandidater(param: str, pks: list[str], content_types: list[str]) -> list[str]:
    if param == "app_label":
        return list(TENANT_APPS)
    if param == "content_type_id":
        return content_types
    return pks


def _urls(pks: list[str], content_types: list[str]) -> dict[str, list[str]]:
    urls: dict[str, list[str]] = {}
    for name, params in _url_names():
        found: list[str] = []
        choices = [_kandidater(p, pks, content_types) for p in params]
        for values in itertools.product(*choices) if params else [()]:
            try:
                found.append(reverse(name, kwargs=dict(zip(params, values, strict=True))))
            except NoReverseMatch:
                continue
        urls[name] = sorted(set(found) | set(urls.get(name, [])))
    return urls


def _fingerprint(kommune: Kommune) -> str:
    """A hash of every tenant row of ``kommune``: any change by anyone shows up here."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label not in TENANT_APPS:
            continue
        field_names = {f.name for f in model._meta.concrete_fields}
        if "kommune" not in field_names or model._meta.model_name == "bruger":
            continue
        rows = model._default_manager.filter(kommune=kommune).order_by("pk").values_list()
        digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()


def _alle_rettigheder() -> list[Permission]:
    cts = [ct for ct in ContentType.objects.all() if ct.app_label in TENANT_APPS]
    return list(Permission.objects.filter(content_type__in=cts))


def _viser_koebenhavn(content: bytes) -> list[str]:
    text = content.decode("utf-8", errors="replace")
    return [m for m in MARKOERER if m in text]


class _TagerBeskeder:
    """After each request, take the messages it left for the next page and keep their texts.

    A person's next page shows (and so takes) the messages; a walk over thousands of URLs
    renders few such pages, so the messages would pile up in the cookie and the session and
    make every later request slower than the last. The walk checks ``beskeder`` (request,
    text) as it checks the pages: a message is shown to the person as surely as a page is.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.beskeder: list[tuple[str, str]] = []

    def request(self, **request: Any) -> Any:
        svar = super().request(**request)  # type: ignore[misc]
        anmodning = f"{request.get('REQUEST_METHOD', 'GET')} {request.get('PATH_INFO', '')}"
        self.beskeder += [(anmodning, t) for t in _tag_beskeder(self)]  # type: ignore[arg-type]
        return svar

    def beskeder_med_koebenhavn(self) -> list[tuple[str, str]]:
        """The messages this client was given that show any of København's data."""
        return [(a, tekst) for a, tekst in self.beskeder if _viser_koebenhavn(tekst.encode())]


class Gennemgaaer(_TagerBeskeder, Client):
    """A person's browser on the walk."""


class ApiGennemgaaer(_TagerBeskeder, APIClient):
    """A system's API client on the walk."""


def _tag_beskeder(client: Client) -> list[str]:
    cookies = {navn: morsel.value for navn, morsel in client.cookies.items()}
    # Whatever did not fit in the cookie went to the session, and the cookie says so.
    if not cookies.get(CookieStorage.cookie_name):
        return []
    anmodning = HttpRequest()
    anmodning.COOKIES = cookies
    # Client.session would start a session for a visitor who has none: only read one.
    har_session = settings.SESSION_COOKIE_NAME in cookies
    anmodning.session = (
        client.session if har_session else import_module(settings.SESSION_ENGINE).SessionStore()
    )
    tekster = [str(besked) for besked in FallbackStorage(anmodning)]
    del client.cookies[CookieStorage.cookie_name]
    if anmodning.session.pop("_messages", None) is not None:
        anmodning.session.save()
    return tekster


@pytest.fixture
def koebenhavns_data(db, bent):
    return opret_koebenhavns_data(bent)


def opret_koebenhavns_data(bent: Bruger) -> dict[str, Any]:
    """København's rows with the markers: a borger, konto, fordring, dækning, run, tasks and
    a stored export (``bent`` books the dækning)."""
    borger = BorgerFactory.create(navn="Xenia Kbhtestesen", cpr="1203854471")
    sag = SagFactory.create(borger=borger, sagsnummer="KBHSAG99")
    bevilling = BevillingFactory.create(borger=borger, bevillingsnummer="KBHBEV66", sag=sag)
    fordring = FordringFactory.create(
        fordringsid="KBHFORD88", konto__borger=borger, konto__kontonummer="KBHKONTO77"
    )
    indbetaling = IndbetalingFactory.create(borger=borger, beloeb=Decimal("10.00"))
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("10.00"),
        valoerdato=dt.date(2026, 1, 5),
        user=bent,
        indbetaling=indbetaling,
    )
    opslag_log(user=bent, kommune_id=borger.kommune_id, objekt=borger, formaal="test")
    # A konto the engine cannot link (two bevillinger fit): a run, decisions and tasks.
    BevillingFactory.create(borger=borger, bevillingsnummer="KBHBEV67")
    FordringFactory.create(konto__borger=borger, konto__kontonummer="KBHKONTO78")
    koersel = koersel_opret(kommune=borger.kommune, user=None, proeve=False, chunk_stoerrelse=1000)
    koer_synkront(koersel_id=koersel.pk)
    assert Opgave.objects.filter(kommune=borger.kommune).exists()
    # A stored export of a report with København's CPR numbers, ordered by a caseworker there.
    ejer = BrugerFactory.create(username="kbheksport", roller=[Rolle.PROJEKTLEDER])
    eksport_bestil(
        user=ejer,
        rapport=RAPPORTER["kmd_aktiv_sagstilknytning"],
        filtre={},
        format="csv",
        antal=2,
    )
    # An ompostering of that dækning: a payout to a new recipient with a letter, and the rest
    # waiting on the sagsbehandlerfordeling list.
    ompostering_opret(
        user=bent,
        daekning_ids=[fordring.posteringer.get(art=PosteringArt.DAEKNING).pk],
        aarsag_id=OmposteringAarsag.objects.order_by("pk")[0].pk,
        udbetaling=UdbetalingValg(
            beloeb=Decimal("4.00"),
            kanal=Udbetalingskanal.NEMKONTO,
            ny_modtager=NyModtager(navn="Advokat for Xenia Kbhtestesen", identifikation="12345674"),
        ),
        note="Brev om Xenia Kbhtestesen",
    )
    # An amount reported to eIndkomst by hand for Xenia (the list, the annul URL, the
    # reconciliation).
    eindkomst_manuel_opret(
        user=bent,
        cpr=borger.cpr,
        indkomstaar=2026,
        beloeb=Decimal("10.00"),
        tekst="Indberettet manuelt for Xenia Kbhtestesen",
        kilde=ManuelKilde.SKAERM,
        idag=dt.date(2026, 12, 5),
    )
    return {"borger": borger, "konto": fordring.konto, "bevilling": bevilling}


def _personer(kommune_kode: int, prefix: str) -> list[Gennemgaaer]:
    kommune = Kommune.objects.get(kode=kommune_kode)
    sagsbehandler = BrugerFactory.create(
        username=f"{prefix}sb", kommune=kommune, roller=[Rolle.SAGSBEHANDLER]
    )
    staff = BrugerFactory.create(
        username=f"{prefix}drift",
        kommune=kommune,
        is_staff=True,
        roller=[Rolle.DRIFT, Rolle.PROJEKTLEDER, Rolle.BOGHOLDER, Rolle.SAGSBEHANDLER],
    )
    staff.user_permissions.set(_alle_rettigheder())
    clients = []
    for user in (sagsbehandler, staff):
        client = Gennemgaaer()
        client.force_login(user)
        clients.append(client)
    return clients


# Rows no screen, admin page or API names: the overview figures' deltas (one or more per write)
# and the interest run's lanes would only add ids that reach nothing, and multiply every URL
# with a parameter by their number.
UDEN_URL = {"ky_debitor.taellingsdelta", "fordringer.rentekoerselspor"}


def koebenhavns_urls() -> dict[str, list[str]]:
    """Every named URL, its parameters filled with the primary keys of København's rows."""
    koebenhavn = Kommune.objects.get(kode=101)
    pks = sorted(
        {
            str(obj.pk)
            for model in apps.get_models()
            if model._meta.app_label in TENANT_APPS
            and model._meta.label_lower not in UDEN_URL
            and "kommune" in {f.name for f in model._meta.concrete_fields}
            for obj in model._default_manager.filter(kommune=koebenhavn)
        }
    )
    content_types = [str(ct.pk) for ct in ContentType.objects.all()]
    return _urls(pks, content_types)


@pytest.mark.slow
def test_no_url_shows_or_changes_another_kommunes_data(koebenhavns_data):
    koebenhavn = Kommune.objects.get(kode=101)
    urls = koebenhavns_urls()
    assert len(urls) >= 20, "URL-gennemgangen fandt for få URL'er"

    odense = _personer(461, "ode")
    kontrol = _personer(101, "kbh")

    # The control first: its own page views legitimately write CPR look-up rows.
    reached: set[str] = set()
    for name, concrete in urls.items():
        for url in concrete:
            for client in kontrol:
                response = client.get(url)
                if response.status_code == 200 and _viser_koebenhavn(response.content):
                    reached.add(name)

    before = _fingerprint(koebenhavn)
    for name, concrete in urls.items():
        for url in concrete:
            for client in odense:
                response = client.get(url)
                leaked = _viser_koebenhavn(response.content)
                assert not leaked, f"GET {url} ({name}) viste {leaked} til Odense"
                response = client.post(url, {})
                leaked = _viser_koebenhavn(response.content)
                assert not leaked, f"POST {url} ({name}) viste {leaked} til Odense"
    assert _fingerprint(koebenhavn) == before, "Odense ændrede Københavns data"
    for client in odense:
        assert not client.beskeder_med_koebenhavn(), "en besked viste Københavns data til Odense"

    # The control saw København's data through the object screens and the admin.
    for must in (
        "borger",
        "debitorkonto",
        "admin:fordringer_borger_change",
        "admin:fordringer_debitorkonto_change",
        "admin:fordringer_postering_change",
        "opgave",
        "admin:sagstilknytning_kontobeslutning_change",
    ):
        assert must in reached, f"kontrollen nåede ikke {must}"
    assert len(reached) >= 15, sorted(reached)
