"""HTML to PDF/A with WeasyPrint (docs/adr/0009).

The HTML comes from Django templates with autoescaping on, so text from imports (a claim's
text, a borger's name, a note) is text, never markup. The URL fetcher refuses every resource
that is not an inline ``data:`` URI: a document never reaches the network or the file system
while it is rendered, whatever its text says.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def _kun_data_uri() -> URLFetcher:
    """Fetches inline ``data:`` URIs (the kommune's logo) and nothing else."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def html_dan(skabelon: str, kontekst: dict[str, Any]) -> str:
    """The document's HTML (autoescaped) from ``templates/fordringer/dokumenter/pdf/``."""
    return render_to_string(f"fordringer/dokumenter/pdf/{skabelon}", kontekst)


def pdf_dan(html: str, *, fremskridt: Callable[[str], None] | None = None) -> bytes:
    """Lay out and write the PDF in the variant ``settings.KY_DOKUMENT_PDF_VARIANT``
    (PDF/A-3a: archivable, tagged for screen readers)."""
    # Layout makes millions of short-lived objects; the cyclic garbage collector scanning them
    # again and again cost a third of the time (bench/dokument.py). It runs once afterwards.
    gc_til = gc.isenabled()
    gc.disable()
    try:
        dokument = HTML(string=html, url_fetcher=_kun_data_uri()).render()
        if fremskridt is not None:
            fremskridt("sat op")
        pdf: bytes = dokument.write_pdf(pdf_variant=settings.KY_DOKUMENT_PDF_VARIANT)
    finally:
        if gc_til:
            gc.enable()
    return pdf


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
