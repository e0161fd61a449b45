"""The linking run's evidence and reason codes as a person reads them in the admin: on a task
(``opgavepakker.admin``) and on a run's decision per konto (``sagstilknytning.admin``, which may
import ``opgavepakker``, not the other way round).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from fordringer.models import Sag
from fordringer.tilknytning.regler import REGELNAVNE
from fordringer.tilknytning.regler import navn as kodenavn
from ky_debitor.admin_base import INGENTING
from ky_debitor.etiketter import etiket

from .pakker import AARSAGER
from .selectors import evidens_fordringer


class AarsagFilter(admin.SimpleListFilter):
    """The seven reason codes, with their Danish names; no scan of the table to list them."""

    title = "årsag"
    parameter_name = "aarsag"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Iterable[tuple[str, str]]:
        return AARSAGER

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(aarsag=self.value()) if self.value() else queryset


def aarsag_tekst(kode: str) -> str:
    """A reason code as a person reads it: its Danish label (the code stays in the URL)."""
    return etiket(kode, "Aarsag") if kode else INGENTING


def _kandidater(kandidater: Iterable[Mapping[str, Any]]) -> SafeString:
    liste = list(kandidater)
    if not liste:
        return format_html("{}", "Ingen kandidater: borgeren har ingen bevillinger.")
    # One line each, not a list: the admin's aligned forms indent every <ul> by 160px.
    return format_html_join(
        "",
        "<div>{}: {}</div>",
        (
            (
                k.get("bevillingsnummer") or "(tom)",
                f"afvist, {k['afvist']}" if k.get("afvist") else "valgt",
            )
            for k in liste
        ),
    )


def evidens_html(evidens: Mapping[str, Any], *, kommune_id: int) -> SafeString:
    """The evidence a linking run stored (DESIGN §4.7) as a table a person can read: per
    fordring which rule decided it, the candidate bevillinger and why each was rejected."""
    if not evidens:
        return format_html("{}", "Ingen evidens gemt.")
    dele: list[SafeString] = []
    ville = evidens.get("ville_have_besluttet")
    if ville:
        dele.append(
            format_html(
                "<p>Debitorkontoen er tilknyttet eller refereret manuelt og blev ikke ændret. "
                "Kørslen ville have besluttet <strong>{}</strong>{}.</p>",
                etiket(ville.get("resultat", ""), "Resultat"),
                f" med årsag {aarsag_tekst(ville['aarsag'])}" if ville.get("aarsag") else "",
            )
        )
    nummer = {b["id"]: b["bevillingsnummer"] for b in evidens.get("bevillinger", [])}
    fordringer = evidens_fordringer(evidens)
    if fordringer:
        dele.append(
            format_html(
                "<table><caption>Fordringer</caption><thead><tr>"
                '<th scope="col">Fordring</th><th scope="col">Afgjort af</th>'
                '<th scope="col">Valgt bevilling</th><th scope="col">Kandidater</th>'
                "</tr></thead><tbody>{}</tbody></table>",
                format_html_join(
                    "",
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    (
                        (
                            f.get("fordringsid", ""),
                            kodenavn(f["regel"])
                            if f["regel"] in REGELNAVNE
                            else f"Ingen regel: {aarsag_tekst(f['regel'])}",
                            nummer.get(f.get("bevilling_id"), INGENTING),
                            _kandidater(f.get("kandidater", [])),
                        )
                        for f in fordringer
                    ),
                ),
            )
        )
    else:
        dele.append(format_html("<p>{}</p>", "Debitorkontoen har ingen fordringer."))
    if evidens.get("kandidat_sager"):
        sager = Sag.objects.filter(kommune_id=kommune_id, pk__in=evidens["kandidat_sager"])
        dele.append(
            format_html(
                "<p>Flere åbne KY-sager passer: {}.</p>",
                ", ".join(sorted(s.sagsnummer for s in sager)),
            )
        )
    bevillinger = evidens.get("bevillinger", [])
    dele.append(
        format_html(
            "<p>Borgerens bevillinger: {}.</p>",
            ", ".join(f"{b['bevillingsnummer']} ({b['ydelseskode']})" for b in bevillinger)
            or "ingen",
        )
    )
    return format_html_join("", "{}", ((d,) for d in dele))
