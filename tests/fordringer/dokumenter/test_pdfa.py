"""The documents are PDF/A-3a: archivable and tagged for screen readers.

veraPDF is not available offline; this checks what it would check first, read back with pypdf:
the XMP metadata declares PDF/A part 3 conformance A, an sRGB OutputIntent (GTS_PDFA1) with an
embedded ICC profile, a structure tree and ``/MarkInfo /Marked true`` (tagged), the document
language, every font embedded, and no encryption.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from fordringer.dokumenter.services import kontooversigt_bestil, kontoudtog_bestil

from .dokument_data import demodata, demokonto, pdf_bytes

pytestmark = pytest.mark.django_db


def fonte(reader: PdfReader) -> list[Any]:
    fundet: dict[Any, Any] = {}
    for side in reader.pages:
        ressourcer: Any = side.get("/Resources") or {}
        for font in (ressourcer.get("/Font") or {}).values():
            font = font.get_object()
            for under in font.get("/DescendantFonts") or [font]:
                under = under.get_object()
                fundet[under.get("/BaseFont")] = under.get("/FontDescriptor").get_object()
    return list(fundet.values())


@pytest.mark.parametrize("bestil", ["kontoudtog", "kontooversigt"])
def test_documents_are_tagged_pdf_a_3a_with_embedded_fonts(bent, bestil):
    demodata(konti=4)
    konto = demokonto()
    dokument = (
        kontoudtog_bestil(user=bent, konto_id=konto.pk)
        if bestil == "kontoudtog"
        else kontooversigt_bestil(user=bent, borger_id=konto.borger_id)
    )
    reader = PdfReader(io.BytesIO(pdf_bytes(dokument)))
    rod: Any = reader.trailer["/Root"]

    xmp = rod["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert dokument.titel.split(",")[0] in xmp  # dc:title
    (intent,) = rod["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert len(intent["/DestOutputProfile"].get_object().get_data()) > 1000  # the ICC profile
    assert bool(rod["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in rod
    assert rod["/Lang"] == "da"
    assert not reader.is_encrypted
    fontbeskrivelser = fonte(reader)
    assert fontbeskrivelser
    assert all(
        any(k in f for k in ("/FontFile", "/FontFile2", "/FontFile3")) for f in fontbeskrivelser
    )
