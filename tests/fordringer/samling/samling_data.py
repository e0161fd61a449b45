"""A borger with a KMD Aktiv konto and a KY konto for the same ydelse, for the samling tests
(service, screens, browser)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fordringer.choices import Kilde, KontoStatus, SagStatus, Tilknytning
from fordringer.models import Bevilling, Borger, Debitorkonto, Fordring, Sag, Ydelsestype
from tests.factories import (
    BevillingFactory,
    BorgerFactory,
    DebitorkontoFactory,
    FordringFactory,
    SagFactory,
    kommune,
)


@dataclass
class Samlingsdata:
    borger: Borger
    bevilling: Bevilling
    sag: Sag
    kmd: Debitorkonto
    ky: Debitorkonto
    f1: Fordring
    f2: Fordring
    ky_fordring: Fordring


def opret(
    *,
    kode: int = 101,
    loebende: bool = False,
    tilbagebetalingspligt: bool = False,
    periode_til: dt.date | None = dt.date(2024, 12, 31),
    ydelseskode: str = "KTH",
    cpr: str | None = None,
    **kmd_felter: Any,
) -> Samlingsdata:
    """Karl Kontant's KMD Aktiv konto KA-1 (two claims, 1.000,00 and 500,00) and his KY konto
    KY-1 (one claim of 300,00), both kontanthjælp, linked to the same sag."""
    k = kommune(kode)
    ydelsestype = Ydelsestype.objects.get(koder__kode=ydelseskode)
    borger = BorgerFactory.create(kommune=k, navn="Karl Kontant", cpr=cpr or f"0203804{kode:03d}")
    sag = SagFactory.create(
        borger=borger, ydelseskode=ydelseskode, ydelsestype=ydelsestype, status=SagStatus.AABEN
    )
    bevilling = BevillingFactory.create(
        borger=borger,
        ydelseskode=ydelseskode,
        loebende=loebende,
        tilbagebetalingspligt=tilbagebetalingspligt,
        periode_til=periode_til,
        sag=sag,
    )
    kmd = DebitorkontoFactory.create(
        borger=borger,
        kontonummer=f"KA-{kode}" if cpr is None else f"KA-{cpr}",
        kilde=Kilde.KMD_AKTIV,
        bevilling=bevilling,
        sag=sag,
        tilknytning=Tilknytning.MANUEL,
        **kmd_felter,
    )
    ky = DebitorkontoFactory.create(
        borger=borger,
        kontonummer=f"KY-{kode}" if cpr is None else f"KY-{cpr}",
        kilde=Kilde.KY,
        sag=sag,
        tilknytning=Tilknytning.IMPORT,
        status=KontoStatus.AKTIV,
    )
    felles = {"ydelsestype": ydelsestype, "ydelseskode": ydelseskode}
    f1 = FordringFactory.create(
        konto=kmd,
        fordringsid=f"FA-{cpr or kode}-1",
        tekst="Kontanthjælp januar",
        hovedstol=Decimal("1000.00"),
        kmd_aktiv_reference=bevilling.bevillingsnummer,
        **felles,
    )
    f2 = FordringFactory.create(
        konto=kmd,
        fordringsid=f"FA-{cpr or kode}-2",
        tekst="Kontanthjælp februar",
        hovedstol=Decimal("500.00"),
        forfaldsdato=dt.date(2024, 4, 1),
        kmd_aktiv_reference=bevilling.bevillingsnummer,
        **felles,
    )
    ky_fordring = FordringFactory.create(
        konto=ky,
        fordringsid=f"FK-{cpr or kode}-1",
        tekst="Kontanthjælp KY",
        hovedstol=Decimal("300.00"),
        **felles,
    )
    return Samlingsdata(borger, bevilling, sag, kmd, ky, f1, f2, ky_fordring)
