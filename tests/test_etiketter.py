"""What people read is Danish (issue #16): no stored code reaches a page, a report's label
columns or a command's output, and dates and numbers read the Danish way everywhere.

The walk builds a demo kommune the way ``make demo`` does (``generer_demodata`` and
``sagstilknytning``, whose own output is checked too), adds an ompostering with a payout, a
stored export, a cancelled run and a failed outbox message, and then opens every screen and
admin page with the URL resolver's names as a person with every role would. Codes are taken
from the choices of every model and the matching vocabulary, never listed by hand; a code
inside an attribute (``value="FLERE_BEVILLINGER"``) is fine, a code in the text is not.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from lxml import html as lxml_html

from fordringer.choices import BeskedType
from fordringer.tilknytning.regler import Aarsag
from ky_debitor.etiketter import etiket
from ky_debitor.models import Kommune
from ky_debitor.roles import Rolle
from ky_debitor.visning import antal, dato, tal
from rapporter.definitioner import RAPPORTER
from sagstilknytning.models import KoerselStatus, Sagstilknytningskoersel
from sagstilknytning.services import koersel_annuller, koersel_opret

from .factories import BrugerFactory, UdgaaendeBeskedFactory
from .test_kommuneadskillelse import TENANT_APPS, _url_names, opret_koebenhavns_data

KODE = re.compile(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+")
# Dates as Django's Danish locale writes them: "4. december 2026" and "04.12.2026"; ISO too.
MAANEDER = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
FREMMED_DATO = re.compile(
    rf"\b\d{{1,2}}\. (?:{MAANEDER}) \d{{4}}\b"
    r"|\b\d{2}\.\d{2}\.\d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
SPRING_OVER = {"logout", "admin:logout", "admin:jsi18n", "admin:autocomplete"}


def _koder() -> set[str]:
    """Every code-like value of every model's choices, and the matching vocabulary's reason
    codes. A code its own label names (``DebitorRegistrering (SF1590_B_01)``: the service's
    official id on Serviceplatformen) is a name people use, not a code to hide."""
    koder = {a.value for a in Aarsag}
    for model in apps.get_models():
        for felt in model._meta.get_fields():
            for vaerdi, label in getattr(felt, "choices", None) or ():
                if isinstance(vaerdi, str) and KODE.fullmatch(vaerdi) and vaerdi not in str(label):
                    koder.add(vaerdi)
    return koder


def _moenster(koder: set[str]) -> re.Pattern[str]:
    return re.compile(
        r"\b(" + "|".join(sorted(map(re.escape, koder), key=len, reverse=True)) + r")\b"
    )


def _synlig_tekst(indhold: bytes) -> str:
    dok = lxml_html.fromstring(indhold.decode())
    for usynlig in dok.xpath("//script|//style|//template"):
        usynlig.drop_tree()
    return " ".join(dok.text_content().split())


def _person() -> Client:
    """A person of København with every role and every model permission of our apps."""
    bruger = BrugerFactory.create(
        username="alleroller",
        kommune=Kommune.objects.get(kode=101),
        is_staff=True,
        roller=[Rolle.DRIFT, Rolle.PROJEKTLEDER, Rolle.BOGHOLDER, Rolle.SAGSBEHANDLER],
    )
    typer = [ct for ct in ContentType.objects.all() if ct.app_label in (*TENANT_APPS, "demo")]
    bruger.user_permissions.set(Permission.objects.filter(content_type__in=typer))
    client = Client()
    client.force_login(bruger)
    return client


def _urls() -> list[str]:
    """Every named screen and admin URL: an admin page with the first rows of its own model,
    any other with the first ids of every table of the kommune (a 404 is simply skipped)."""
    foerste: dict[str, list[Any]] = {}
    for model in apps.get_models():
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:2])
        for side in ("change", "fremdrift"):
            foerste[f"admin:{model._meta.app_label}_{model._meta.model_name}_{side}"] = pks
    ids = sorted({pk for pks in foerste.values() for pk in pks if isinstance(pk, int)})[:8]
    urls: set[str] = set()
    for navn, parametre in _url_names():
        if navn.startswith("api:") or navn in SPRING_OVER or navn.endswith(("_delete", "_history")):
            continue
        if navn in foerste and parametre == ["object_id"]:
            kandidater = foerste[navn]
        else:
            kandidater = ids if parametre else [None]
        for pk in kandidater:
            try:
                urls.add(reverse(navn, kwargs=dict.fromkeys(parametre, pk)))
            except NoReverseMatch:
                continue
    return sorted(urls)


@pytest.fixture
def demokommune(db, bent) -> dict[str, str]:
    """København as ``make demo`` leaves it, and more: returns the commands' output."""
    demo, koersel = StringIO(), StringIO()
    call_command(
        "generer_demodata", "--kommune", "101", "--konti", "60", "--seed", "3", stdout=demo
    )
    call_command("sagstilknytning", "--kommune", "101", stdout=koersel)
    opret_koebenhavns_data(bent)
    koebenhavn = Kommune.objects.get(kode=101)
    annulleret = koersel_opret(kommune=koebenhavn, user=None, proeve=True)
    koersel_annuller(koersel=annulleret, user=None)
    UdgaaendeBeskedFactory.create(kommune=koebenhavn, type=BeskedType.SF1590_B_01, fejlet=True)
    return {"demo": demo.getvalue(), "sagstilknytning": koersel.getvalue()}


@pytest.mark.slow
def test_no_page_report_or_command_shows_a_code_and_dates_are_danish(demokommune):
    koder = _koder()
    kode = _moenster(koder)
    fund: list[str] = []

    for kommando, tekst in demokommune.items():
        fund += [f"manage.py {kommando}: {k}" for k in sorted(set(kode.findall(tekst)))]

    client = _person()
    sider = 0
    for url in _urls():
        svar = client.get(url)
        if svar.status_code != 200 or "text/html" not in svar.get("Content-Type", ""):
            continue
        sider += 1
        tekst = _synlig_tekst(svar.content)
        fund += [f"{url}: {k}" for k in sorted(set(kode.findall(tekst)))]
        fund += [f"{url}: dato {d}" for d in sorted(set(FREMMED_DATO.findall(tekst)))]

    kommune_id = Kommune.objects.get(kode=101).pk
    for rapport in RAPPORTER.values():
        for raekke in rapport.raekker(kommune_id, {}):
            for kolonne, vaerdi in zip(rapport.kolonner, raekke, strict=True):
                if not kolonne.kode and isinstance(vaerdi, str) and kode.search(vaerdi):
                    fund.append(f"rapport {rapport.navn}.{kolonne.navn}: {vaerdi}")

    # The walk saw the screens that matter (a broken fixture must not pass as "no codes").
    assert sider > 100
    assert Sagstilknytningskoersel.objects.filter(status=KoerselStatus.CANCELLED).exists()
    assert not fund, "Koder eller datoer, som en person ser:\n" + "\n".join(sorted(set(fund)))


def test_every_code_has_a_danish_label():
    """No code of a model's choices or the matching vocabulary is its own label."""
    uden = sorted(k for k in _koder() if etiket(k) == k)
    assert uden == []
    assert etiket("IKKE_FRIGIVET") == "Ikke frigivet"
    assert etiket("BLANDEDE_BEVILLINGER") == "Blandede bevillinger"
    assert etiket("IKKE_KOERT", "Resultat") == "Ikke behandlet af sagstilknytningen"
    # One code, two vocabularies: the table's name decides.
    assert etiket("AFVENTER", "UdbetalingStatus") == "Afventer godkendelse"
    assert etiket("AFVENTER", "BeskedStatus") == "Afventer afsendelse"
    assert etiket("") == "" and etiket(None) == ""


def test_numbers_dates_and_counts_read_the_danish_way():
    assert tal(4000) == "4.000" and tal(18662) == "18.662" and tal(-1234567) == "-1.234.567"
    assert tal(2392.94, 1) == "2.392,9" and tal(0.05, 1) == "0,1" and tal(999) == "999"
    assert dato(dt.date(2026, 12, 4)) == "04-12-2026"
    assert antal(80, "debitorkonto", "debitorkonti") == "80 debitorkonti"
    assert antal(1, "debitorkonto", "debitorkonti") == "1 debitorkonto"
    assert antal(1500, "besked", "beskeder") == "1.500 beskeder"
