"""Template filters for Danish amounts and dates, and the design system's icons.

``{{ beloeb|kr }}`` gives ``1.234,56``; ``{{ dato|dato }}`` gives ``dd-mm-åååå``;
``{{ tidspunkt|tidspunkt }}`` gives ``dd-mm-åååå tt:mm`` in Danish time; ``{% ikon "search" %}``
draws an icon from the vendored DKFDS sprite.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.forms import BoundField
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ky_debitor.money import format_beloeb

register = template.Library()

IKON_SPRITE = "vendor/dkfds/img/all-svg-icons.svg"


@register.filter
def kr(beloeb: Decimal | int | str | None) -> str:
    """An amount the Danish way (``1.234,56``); empty for no amount."""
    if beloeb is None or beloeb == "":
        return ""
    return format_beloeb(Decimal(beloeb))


@register.filter
def dato(vaerdi: dt.date | dt.datetime | None) -> str:
    """A date as ``dd-mm-åååå``; an aware datetime is shown in Danish time first."""
    if vaerdi is None or vaerdi == "":
        return ""
    if isinstance(vaerdi, dt.datetime) and timezone.is_aware(vaerdi):
        vaerdi = timezone.localtime(vaerdi)
    return vaerdi.strftime("%d-%m-%Y")


@register.filter
def tidspunkt(vaerdi: dt.datetime | None) -> str:
    """A moment as ``dd-mm-åååå tt:mm`` in Danish time."""
    if vaerdi is None or vaerdi == "":
        return ""
    if timezone.is_aware(vaerdi):
        vaerdi = timezone.localtime(vaerdi)
    return vaerdi.strftime("%d-%m-%Y %H:%M")


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
