"""Content-Security-Policy on every page, and no page that needs inline script or style.

Every named URL of the app (screens, admin, and whatever is added later) is requested, both
anonymously and as a platform operator who may see everything. Each answer must carry the
strict policy, and each HTML page must be free of what the policy would refuse: ``<script>``
without ``src``, ``<style>``, ``style="…"`` and ``on…=`` handlers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from lxml import html as lxml_html

from opgavepakker.models import Opgave

from ..factories import BorgerFactory, BrugerFactory, EksportFactory, FordringFactory, kommune
from ..sagstilknytning.conftest import koer

UTILLADT = ("'unsafe-inline'", "'unsafe-eval'", "*")
KRAEVET = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def politik(response: Any) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.wsgi_request.path}: ingen Content-Security-Policy"
    direktiver = {}
    for del_ in header.split(";"):
        navn, *kilder = del_.split()
        direktiver[navn] = kilder
    return direktiver


def inline_fund(html: str) -> list[str]:
    """What on a page the policy would refuse to run or apply."""
    dok = lxml_html.fromstring(html)
    fund = [
        f"<script> uden src: {(s.text or '')[:60]!r}"
        for s in dok.xpath("//script[not(@src)]")
        if s.get("type") not in ("application/json", "application/ld+json")
    ]
    fund += [f"<style>: {(s.text or '')[:60]!r}" for s in dok.xpath("//style")]
    fund += [f"style= på <{e.tag}>" for e in dok.xpath("//*[@style]")]
    fund += [
        f"{a} på <{e.tag}>"
        for e in dok.xpath("//*")
        for a in e.attrib
        if a.lower().startswith("on")
    ]
    fund += [
        f"javascript:-link {e.get('href')}"
        for e in dok.xpath("//a[starts-with(@href, 'javascript:')]")
    ]
    return fund


@pytest.fixture
def data(db) -> dict[str, Any]:
    """A konto the linking run cannot link (so there is a task) and a running export."""
    borger = BorgerFactory.create(kommune=kommune(101), navn="Ingolf Ingen")
    fordring = FordringFactory.create(konto__borger=borger, ydelseskode="", tekst="Særlig støtte")
    koer(kommune(101))
    opgave = Opgave.objects.filter(konto=fordring.konto).first()
    assert opgave is not None
    drift = BrugerFactory.create(
        username="superdrift", kommune=kommune(101), is_superuser=True, is_staff=True
    )
    eksport = EksportFactory.create(bruger=drift, antal=10, skrevet=5)
    return {
        "bruger": drift,
        "borger": borger.pk,
        "debitorkonto": fordring.konto_id,
        "opgave": opgave.pk,
        "pakke": opgave.pakke_id,
        "eksport": eksport.pk,
    }


def _vaerdi(navn: str, parameter: str, data: dict[str, Any]) -> Any:
    """A real object's key for the URL's parameter where we know the model, else 1."""
    if navn.startswith("admin:") and parameter == "object_id":
        model_admin = next(
            (
                m
                for model, m in admin.site._registry.items()
                if navn.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_")
            ),
            None,
        )
        if model_admin is not None:
            foerste = model_admin.model._default_manager.order_by("pk").first()
            return foerste.pk if foerste is not None else 1
    if parameter == "app_label":
        return "ky_debitor"
    if parameter == "pakke_pk":
        return data["pakke"]
    for noegle in ("borger", "debitorkonto", "opgave", "eksport"):
        if navn.startswith(noegle):
            return data[noegle]
    return 1


def alle_urls(data: dict[str, Any]) -> Iterator[str]:
    """Every named URL of the project, with values filled in for its parameters."""
    resolver = get_resolver()
    navne: set[str] = set()
    for navn in resolver.reverse_dict:
        if isinstance(navn, str):
            navne.add(navn)
    for namespace, (_, under) in resolver.namespace_dict.items():
        for navn in under.reverse_dict:
            if isinstance(navn, str):
                navne.add(f"{namespace}:{navn}")
    for navn in sorted(navne):
        try:
            yield reverse(navn)
            continue
        except NoReverseMatch:
            pass
        parametre = _parametre(navn)
        try:
            yield reverse(navn, kwargs={p: _vaerdi(navn, p, data) for p in parametre})
        except NoReverseMatch:
            continue


def _parametre(navn: str) -> list[str]:
    resolver = get_resolver()
    if ":" in navn:
        namespace, kort = navn.split(":", 1)
        resolver = resolver.namespace_dict[namespace][1]
        navn = kort
    (moeglighed, *_) = resolver.reverse_dict.getlist(navn)
    (_, parametre), *_ = moeglighed[0]
    return list(parametre)


def test_every_page_sends_the_strict_policy_and_needs_nothing_inline(data):
    operatoer = Client()
    operatoer.force_login(data["bruger"])
    anonym = Client()
    urls = list(alle_urls(data))
    assert len(urls) > 60  # screens and the whole admin
    sider = 0
    for url in urls:
        for client in (anonym, operatoer):
            response = client.get(url)
            direktiver = politik(response)
            for navn, kilder in KRAEVET.items():
                assert direktiver.get(navn) == kilder, (url, navn, direktiver.get(navn))
            for kilder in direktiver.values():
                assert not set(kilder) & set(UTILLADT), (url, kilder)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                sider += 1
                fund = inline_fund(response.content.decode())
                assert not fund, (url, fund)
    assert sider > 40


def test_error_pages_send_the_policy_too(client, db):
    assert politik(client.get("/findes-ikke/"))["default-src"] == ["'self'"]


def test_a_change_list_without_actions_gets_its_style_from_a_file(data, monkeypatch):
    """Django writes an inline <style> for a list whose actions are switched off; ours moves
    that rule to ky/admin.css, keyed on a body class."""
    from ky_debitor.models import AuditEvent

    model_admin = admin.site._registry[AuditEvent]
    monkeypatch.setattr(model_admin, "actions_on_top", False)
    monkeypatch.setattr(model_admin, "actions_on_bottom", False)
    client = Client()
    client.force_login(data["bruger"])
    response = client.get(reverse("admin:ky_debitor_auditevent_changelist"))
    assert response.status_code == 200
    assert inline_fund(response.content.decode()) == []
    dok = lxml_html.fromstring(response.content.decode())
    assert "ky-uden-handlinger" in dok.xpath("//body/@class")[0].split()
    assert dok.xpath("//link[contains(@href, 'ky/admin.css')]")
