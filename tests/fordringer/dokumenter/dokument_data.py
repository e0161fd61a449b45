"""Shared set-up for the document tests: demo data, an ompostering with letters, and reading
a PDF's text back with pypdf."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.db.models import Count
from pypdf import PdfReader

from fordringer.choices import Udbetalingskanal
from fordringer.models import Debitorkonto, Ompostering
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.udbetaling import NyModtager, UdbetalingValg
from tests.fordringer.ompostering.ompostering_data import IDAG, Sag, opret

NOTE = "Indbetalingen er omstødt af skifteretten; beløbet udbetales til boet."


def pdf_tekst(pdf: bytes | memoryview | None) -> str:
    """The PDF's text as a reader would copy it, every run of white space (a line wrapped in a
    narrow column, a page break) as one space."""
    assert pdf is not None
    reader = PdfReader(io.BytesIO(bytes(pdf)))
    return " ".join(" ".join(side.extract_text() or "" for side in reader.pages).split())


def pdf_bytes(dokument: Any) -> bytes:
    """A stored document's PDF."""
    assert dokument.pdf is not None
    return bytes(dokument.pdf)


def demodata(kode: int = 101, konti: int = 12, seed: int = 5) -> None:
    call_command(
        "generer_demodata",
        "--kommune",
        str(kode),
        "--konti",
        str(konti),
        "--seed",
        str(seed),
        stdout=io.StringIO(),
    )


def demokonto(kode: int = 101) -> Debitorkonto:
    """The demo konto with the most ledger entries (claims, dækninger, parked ones)."""
    konto = (
        Debitorkonto.objects.filter(kommune__kode=kode)
        .annotate(n=Count("fordringer__posteringer"))
        .order_by("-n", "pk")
        .select_related("borger")
        .first()
    )
    assert konto is not None
    return konto


def ompostering_til_advokat(user: Any) -> tuple[Sag, Ompostering]:
    """Anna's 500,00 moved: 200,00 to Bo's claim FB and 300,00 paid out to Bo's estate's
    lawyer by NemKonto, with a note (so the lawyer gets a letter too)."""
    s = opret(user)
    ompostering = ompostering_opret(
        user=user,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(s.fb.pk, Decimal("200.00"))],
        udbetaling=UdbetalingValg(
            beloeb=Decimal("300.00"),
            kanal=Udbetalingskanal.NEMKONTO,
            ny_modtager=NyModtager(
                navn="Advokat Hansen",
                identifikation="12345674",
                adresse="Vestergade 1, 8000 Aarhus C",
            ),
        ),
        note=NOTE,
        idag=IDAG,
    )
    return s, ompostering
