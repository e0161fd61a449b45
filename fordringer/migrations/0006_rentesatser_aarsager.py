"""Reference data for ompostering and interest (seed 004 trin 5, DESIGN §7), and the
append-only trigger on the ompostering's ledger links."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

from ky_debitor.append_only import append_only_sql

OPKRAEVNINGSLOVEN = (
    "Opkrævningsloven § 7, stk. 1: basisrente (Nationalbankens udlånsrente pr. 1. januar, "
    "renteloven § 5, pr. måned) med tillæg af 0,7 procentpoint pr. måned"
)
# year, basisrente per month (percent)
BASISRENTER = [
    (2019, "0.000"),
    (2020, "0.000"),
    (2021, "0.000"),
    (2022, "0.000"),
    (2023, "0.100"),
    (2024, "0.300"),
    (2025, "0.200"),
    (2026, "0.100"),
]
GEBYRLOVEN = "Gebyrloven § 3: 1 % pr. påbegyndt måned af den til enhver tid skyldige hovedstol"

AARSAGER = [
    "Indbetalingen er omstødt i et dødsbo",
    "Indbetalingen skulle have dækket en anden fordring",
    "Indbetalingen er placeret på en forkert borger",
    "Borgeren har anmodet om en anden fordeling",
    "Dækningen skulle have dækket en fordring under inddrivelse",
    "For meget dækket - tilbagebetales",
    "Modregning foretaget ved en fejl",
    "Andet - se noten",
]

FORWARD, REVERSE = append_only_sql("fordringer_omposteringpostering")


def load(apps, schema_editor):
    Rentesats = apps.get_model("fordringer", "Rentesats")
    Rentesats.objects.create(
        renteregime="GEBYRLOVEN_3",
        gyldig_fra=dt.date(2000, 1, 1),
        basisrente=Decimal("0.000"),
        tillaeg=Decimal("1.000"),
        kilde=GEBYRLOVEN,
    )
    for aar, basisrente in BASISRENTER:
        Rentesats.objects.create(
            renteregime="OPKRAEVNINGSLOVEN_7",
            gyldig_fra=dt.date(aar, 1, 1),
            basisrente=Decimal(basisrente),
            tillaeg=Decimal("0.700"),
            kilde=OPKRAEVNINGSLOVEN,
        )
    OmposteringAarsag = apps.get_model("fordringer", "OmposteringAarsag")
    for n, tekst in enumerate(AARSAGER, start=1):
        OmposteringAarsag.objects.create(tekst=tekst, raekkefoelge=n * 10)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def unload(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE, params=None)
    apps.get_model("fordringer", "Rentesats").objects.all().delete()
    apps.get_model("fordringer", "OmposteringAarsag").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("fordringer", "0005_ompostering_rente_udbetaling_udgaaende")]
    operations = [migrations.RunPython(load, unload)]
