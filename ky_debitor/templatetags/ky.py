"""Template filters for Danish amounts, numbers, dates and labels, and the design system's icons.

``{{ beloeb|kr }}`` gives ``1.234,56``; ``{{ dato|dato }}`` gives ``dd-mm-åååå``;
``{{ tidspunkt|tidspunkt }}`` gives ``dd-mm-åååå tt:mm`` in Danish time; ``{{ n|tal }}`` gives
``1.234``; ``{{ n|antal:"debitorkonto,debitorkonti" }}`` gives "80 debitorkonti";
``{{ kode|etiket }}`` the Danish label of a stored code (``ky_debitor.etiketter``);
``{% ikon "search" %}`` draws an icon from the vendored DKFDS sprite.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.forms import BoundField
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ky_debitor import etiketter, visning

register = template.Library()

IKON_SPRITE = "vendor/dkfds/img/all-svg-icons.svg"


@register.filter
def kr(beloeb: Decimal | int | str | None) -> str:
    """An amount the Danish way (``1.234,56``); empty for no amount."""
    return visning.beloeb(beloeb)


@register.filter
def dato(vaerdi: dt.date | dt.datetime | None) -> str:
    """A date as ``dd-mm-åååå``; an aware datetime is shown in Danish time first."""
    return visning.dato(vaerdi)


@register.filter
def tidspunkt(vaerdi: dt.datetime | None) -> str:
    """A moment as ``dd-mm-åååå tt:mm`` in Danish time."""
    return visning.tidspunkt(vaerdi)


@register.filter
def tal(vaerdi: int | float | Decimal | None, decimaler: int = 0) -> str:
    """A number with Danish thousands separators: ``1.234`` (``|tal:1`` gives ``2.392,9``)."""
    return visning.tal(vaerdi, int(decimaler))


@register.filter
def varighed(sekunder: float | None) -> str:
    """A wait as people say it: ``ca. 40 sekunder``, ``ca. 3 minutter``."""
    return visning.varighed(sekunder)


@register.filter
def filstoerrelse(byte: int | None) -> str:
    """A file's size: ``812 kB``, ``12,3 MB``."""
    return visning.filstoerrelse(byte)


@register.filter
def antal(vaerdi: int, former: str) -> str:
    """A count and its noun: ``{{ n|antal:"debitorkonto,debitorkonti" }}``."""
    ental, _, flertal = former.partition(",")
    return visning.antal(int(vaerdi), ental, flertal or ental)


@register.filter
def etiket(kode: object, tabel: str = "") -> str:
    """The Danish label of a stored code; ``{{ kode|etiket:"BeskedStatus" }}`` names its
    vocabulary where the code alone is ambiguous."""
    return etiketter.etiket(kode, tabel or None)


@register.simple_tag
def ikon(navn: str, klasser: str = "") -> SafeString:
    """A decorative DKFDS icon (hidden from screen readers; the text beside it says it)."""
    css = f"icon-svg {klasser}".strip()
    return format_html(
        '<svg class="{}" focusable="false" aria-hidden="true"><use href="{}#{}"></use></svg>',
        css,
        static(IKON_SPRITE),
        navn,
    )


@register.filter
def dkfds_input(felt: BoundField) -> SafeString:
    """Render a form field's widget as a DKFDS ``form-input``, tied to its hint and errors."""
    beskrevet_af = []
    attrs: dict[str, str | bool] = {"class": "form-input"}
    if felt.help_text:
        beskrevet_af.append(f"{felt.id_for_label}-hint")
    if felt.errors:
        beskrevet_af.append(f"{felt.id_for_label}-error")
        attrs["aria-invalid"] = "true"
    if beskrevet_af:
        attrs["aria-describedby"] = " ".join(beskrevet_af)
    return felt.as_widget(attrs=attrs)
