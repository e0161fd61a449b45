"""Searching for a borger by CPR or name. A CPR number must never end up in a URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .html import side, tabel

RESULTAT = "//table[@id='soegeresultat-tabel']"


def soeg(client, q, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("borger_soeg"), {"q": q}, headers=headers)


@pytest.mark.parametrize("q", ["1505824321", "150582-4321", " 150582-4321 ", "150582"])
def test_search_by_cpr_with_or_without_dash_finds_the_borger(alice_client, karen, q):
    response = soeg(alice_client, q)
    assert response.status_code == 200
    assert tabel(response, RESULTAT) == [["Karen Jensen", "150582-****", "0", "0"]]


def test_search_by_part_of_the_name_shows_konti_and_unlinked(alice_client, konto_med_historik):
    response = soeg(alice_client, "Jens")
    assert tabel(response, RESULTAT) == [["Karen Jensen", "150582-****", "1", "1"]]


def test_results_show_the_cpr_masked_never_in_full(alice_client, karen):
    response = soeg(alice_client, "1505824321")
    html = response.content.decode()
    assert "150582-****" in html
    # The number typed stays in the search field; nowhere else is it shown in full.
    resten = html.replace('value="1505824321"', "")
    assert "1505824321" not in resten
    assert "150582-4321" not in resten
    (link,) = side(response).xpath("//table//a")
    assert link.get("href") == reverse("borger", args=[karen.pk])


def test_htmx_search_returns_only_the_results(alice_client, karen):
    response = soeg(alice_client, "150582-4321", htmx=True)
    html = response.content.decode()
    assert "<html" not in html
    assert "Karen Jensen" in html
    assert "HX-Request" in response["Vary"]


def test_the_search_form_posts_and_no_url_on_the_page_holds_the_cpr(alice_client, karen):
    response = soeg(alice_client, "1505824321")
    dom = side(response)
    (form,) = dom.xpath("//form[@role='search']")
    assert form.get("method") == "post"
    assert not form.xpath(".//@hx-get")
    urls = dom.xpath("//@href | //@action | //@hx-post | //@hx-get | //@src")
    assert not [u for u in urls if "1505824321" in u or "150582-4321" in u]


def test_a_get_with_a_cpr_in_the_query_string_does_not_search(alice_client, karen):
    response = alice_client.get(reverse("borger_soeg"), {"q": "1505824321", "cpr": "1505824321"})
    assert response.status_code == 200
    assert "Karen Jensen" not in response.content.decode()
    assert not side(response).xpath("//table")


def test_nothing_found_says_so(alice_client, karen):
    response = soeg(alice_client, "Findes Ikke")
    assert "Ingen borgere i kommunen matcher søgningen." in response.content.decode()


def test_too_short_search_gets_a_danish_error(alice_client, karen):
    response = soeg(alice_client, "K")
    assert "Skriv mindst to tegn." in response.content.decode()


def test_search_never_finds_another_kommunes_borger(olga_client, karen):
    response = soeg(olga_client, "1505824321")
    assert "Karen Jensen" not in response.content.decode()
    response = soeg(olga_client, "Karen")
    assert "Karen Jensen" not in response.content.decode()
