"""Reading a rendered page the way a person would: tables as rows of cell texts."""

from __future__ import annotations

from typing import Any

from lxml import html as lxml_html

# The pages show a missing value and a span of dates with an en dash.
STREG = "\N{EN DASH}"


def side(response: Any) -> Any:
    return lxml_html.fromstring(response.content.decode())


def _tekst(element: Any) -> str:
    return " ".join(element.text_content().split())


def tabel(response: Any, xpath: str, del_: str = "tbody") -> list[list[str]]:
    """The rows of the one table matching ``xpath`` (its ``tbody`` unless told), as texts."""
    (table,) = side(response).xpath(xpath)
    return [
        [_tekst(celle) for celle in raekke.xpath("./td|./th")]
        for raekke in table.xpath(f"./{del_}/tr")
    ]


def tekst(response: Any, xpath: str) -> str:
    (element,) = side(response).xpath(xpath)
    return _tekst(element)


def klasse(navn: str) -> str:
    """An xpath test for an element having the CSS class ``navn``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {navn} ')"
