"""Holding the kept overview figures to the tables (``manage.py taellinger``).

The figures of the start page and Mine opgaver are kept by triggers (``ky_debitor.taellinger``);
this counts them again from the tables, the way the screens once did on every view, and says
where they differ, and can count a kommune anew (after a change made with the triggers off,
such as a restore of some tables)."""

from __future__ import annotations

from django.db import connection, transaction

from fordringer.eindkomst import taellinger as eindkomst_taellinger
from fordringer.eindkomst.efterregulering import (
    konti_med_parkerede_daekninger,
    konti_med_parkerede_daekninger_optalt,
)
from fordringer.konto import taellinger as fordringer_taellinger
from fordringer.konto.selectors import kommune_noegletal, kommune_noegletal_optalt
from fordringer.models import Parkering
from ky_debitor.models import Bruger, Kommune, Taellingsdelta

from . import taellinger as pakke_taellinger_def
from .selectors import PakkeTal, pakke_taellinger, pakke_taellinger_optalt

TAELLERE = (
    fordringer_taellinger.TAELLERE + eindkomst_taellinger.TAELLERE + pakke_taellinger_def.TAELLERE
)
TALTE_TABELLER = sorted({t.tabel for t in TAELLERE})


def afvigelser(kommune: Kommune) -> list[str]:
    """Where the kept figures differ from the counted ones (empty: none)."""
    som = Bruger(username="taellingskontrol", kommune=kommune)  # reads as a person there
    ud = []
    holdt, talt = kommune_noegletal(user=som), kommune_noegletal_optalt(user=som)
    for felt in holdt.__dataclass_fields__:
        if getattr(holdt, felt) != getattr(talt, felt):
            ud.append(f"Forside {felt}: holdt {getattr(holdt, felt)}, talt {getattr(talt, felt)}")
    holdte, talte = pakke_taellinger(user=som), pakke_taellinger_optalt(user=som)
    for pakke in sorted(set(holdte) | set(talte)):
        a, b = holdte.get(pakke, PakkeTal()), talte.get(pakke, PakkeTal())
        if a != b:
            ud.append(f"Opgavepakke {pakke}: holdt {a}, talt {b}")
    aar = Parkering.objects.for_kommune(kommune.pk).filter(frigivet__isnull=True)
    for indkomstaar in (d.year for d in aar.dates("postering__valoerdato", "year")):
        holdt_aar = konti_med_parkerede_daekninger(user=som, indkomstaar=indkomstaar)
        talt_aar = konti_med_parkerede_daekninger_optalt(user=som, indkomstaar=indkomstaar)
        if holdt_aar != talt_aar:
            ud.append(
                f"Parkerede dækninger {indkomstaar}: holdt {holdt_aar} konti, talt {talt_aar}"
            )
    return ud


@transaction.atomic
def genopbyg(kommune: Kommune) -> None:
    """Count the kommune's figures anew from the tables, with writers to them held off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {', '.join(TALTE_TABELLER)} IN SHARE MODE")
    Taellingsdelta.objects.for_kommune(kommune.pk).delete()
    with connection.cursor() as cursor:
        for taeller in TAELLERE:
            for sql in taeller.fyld_sql(connection.vendor, kommune.pk):
                cursor.execute(sql)
