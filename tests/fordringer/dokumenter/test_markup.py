"""Text from imports is text: it cannot add markup, styles or fetches to the HTML that becomes
the PDF (DESIGN §8, "Files for people")."""

from __future__ import annotations

import base64
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from pypdf import PdfReader

from fordringer.choices import Renteregime
from fordringer.dokumenter.pdf import pdf_dan
from fordringer.dokumenter.services import dokument_html, kontooversigt_bestil
from fordringer.models import Dokument, Gebyrsats
from fordringer.rykker.services import rykker_send
from tests.factories import BorgerFactory, DebitorkontoFactory, FordringFactory

from .dokument_data import pdf_bytes, pdf_tekst

pytestmark = pytest.mark.django_db

ONDT = (
    '<img src="file:///etc/hostname"><b style="font-size:40pt">FED</b></td></tr>'
    "<script>x()</script>"
)
NAVN = 'Eva "</p><h1>Falsk overskrift</h1>" Ek'
KILDE = "<i>Lov</i> om ondt </p><p>§ 6"

# A 1 x 1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def billeder(pdf: bytes) -> int:
    """How many images the PDF draws."""
    reader = PdfReader(io.BytesIO(pdf))
    antal = 0
    for side in reader.pages:
        ressourcer = side.get("/Resources") or {}
        for objekt in (ressourcer.get("/XObject") or {}).values():
            if objekt.get_object().get("/Subtype") == "/Image":
                antal += 1
    return antal


def test_markup_in_an_imported_claim_text_and_name_is_printed_as_text(bent):
    borger = BorgerFactory.create(navn=NAVN)
    konto = DebitorkontoFactory.create(borger=borger, kontonummer="K-ONDT")
    FordringFactory.create(konto=konto, fordringsid="F-ONDT", tekst=ONDT)
    dokument = kontooversigt_bestil(user=bent, borger_id=borger.pk)

    html = dokument_html(Dokument.objects.get(pk=dokument.pk))
    assert "<b style" not in html and "<script>" not in html and "<h1>Falsk" not in html
    assert "&lt;b style=&quot;font-size:40pt&quot;&gt;FED&lt;/b&gt;" in html
    # the reader sees the characters that were imported, not their effect (the narrow column
    # wraps the long text, so it is compared without spaces)
    tekst = pdf_tekst(dokument.pdf).replace(" ", "")
    assert ONDT.replace(" ", "") in tekst
    assert NAVN.replace(" ", "") in tekst
    assert billeder(pdf_bytes(dokument)) == 0  # the <img> was text, nothing was fetched


def test_markup_in_a_reminders_claim_text_name_and_fee_source_is_printed_as_text(bent):
    """The reminder letter carries the claim's imported text, the borger's name and the fee's
    legal ground from the national table: each is text in the letter, whatever it holds."""
    Gebyrsats.objects.create(
        renteregime=Renteregime.OPKRAEVNINGSLOVEN_7,
        gyldig_fra=dt.date(2025, 1, 1),
        beloeb=Decimal("250.00"),
        hoejst_pr_fordring=3,
        mindste_interval_dage=10,
        kilde=f"{KILDE}: rykkergebyr",
    )
    borger = BorgerFactory.create(navn=NAVN)
    konto = DebitorkontoFactory.create(borger=borger, kontonummer="K-ONDT-R", ky=True)
    fordring = FordringFactory.create(
        konto=konto,
        fordringsid="F-ONDT-R",
        tekst=ONDT,
        renteregime=Renteregime.OPKRAEVNINGSLOVEN_7,
        forfaldsdato=dt.date(2025, 2, 20),
    )
    with time_machine.travel(dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC), tick=False):
        dokument = rykker_send(user=bent, fordring_id=fordring.pk).dokument

    html = dokument_html(Dokument.objects.get(pk=dokument.pk))
    for ondt in ("<b style", "<script>", "<h1>Falsk", "<i>Lov</i>"):
        assert ondt not in html
    tekst = pdf_tekst(dokument.pdf).replace(" ", "")
    for skrevet in (ONDT, NAVN, KILDE):
        assert skrevet.replace(" ", "") in tekst
    assert billeder(pdf_bytes(dokument)) == 0


def test_the_renderer_fetches_inline_images_only(tmp_path):
    """Even markup that reached the renderer could not read a file or call a server: only a
    ``data:`` URI (the kommune's logo) is loaded."""
    fil = tmp_path / "billede.png"
    fil.write_bytes(PNG)
    data_uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    ramme = '<html lang="da"><head><title>t</title></head><body><p>x</p>{}</body></html>'
    assert billeder(pdf_dan(ramme.format(f'<img src="{data_uri}" alt="logo">'))) == 1
    assert billeder(pdf_dan(ramme.format(f'<img src="file://{fil}" alt="fil">'))) == 0
    assert billeder(pdf_dan(ramme.format('<img src="http://127.0.0.1:9/x.png" alt="net">'))) == 0


def test_the_kommunes_logo_and_address_head_every_document(bent, koebenhavn):
    koebenhavn.adresse = "Borgerservice\nRådhuspladsen 1\n1550 København V"
    koebenhavn.logo.save("logo.png", ContentFile(PNG), save=True)
    konto = DebitorkontoFactory.create(kontonummer="K-LOGO")
    FordringFactory.create(konto=konto)
    dokument = kontooversigt_bestil(user=bent, borger_id=konto.borger_id)
    assert billeder(pdf_bytes(dokument)) == 1
    assert "Københavns Kommune Borgerservice Rådhuspladsen 1 1550 København V" in pdf_tekst(
        pdf_bytes(dokument)
    )
