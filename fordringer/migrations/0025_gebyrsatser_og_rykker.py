"""Fees as national data (``Gebyrsats``), and a reminder letter is about one claim.

The shipped row is the reminder fee of opkrævningsloven (the regime of claims whose interest
follows its § 7). Gebyrloven's regime gets no row: a reminder on such a claim carries no fee
until a row with its source is added. The table is append-only in the database, as the
interest rates are (migration 0012's ``ky_reference_fast``).
"""

import datetime as dt
from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models

import ky_debitor.money

OPKRAEVNINGSLOVEN_6 = (
    "Opkrævningsloven § 6, stk. 1: gebyr pr. rykkerskrivelse for en offentlig fordring, "
    "højst 3 rykkere for samme ydelse, sendt med mindst 10 dages mellemrum"
)


def load(apps, schema_editor):
    Gebyrsats = apps.get_model("fordringer", "Gebyrsats")
    Gebyrsats.objects.create(
        renteregime="OPKRAEVNINGSLOVEN_7",
        art="RYKKER",
        gyldig_fra=dt.date(2019, 1, 1),
        beloeb=Decimal("250.00"),
        hoejst_pr_fordring=3,
        mindste_interval_dage=10,
        kilde=OPKRAEVNINGSLOVEN_6,
    )


TRIGGER = """
    CREATE TRIGGER fordringer_gebyrsats_append_only BEFORE UPDATE OR DELETE
        ON fordringer_gebyrsats FOR EACH ROW EXECUTE FUNCTION ky_reference_fast();
"""


def trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)


def trigger_fjern(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS fordringer_gebyrsats_append_only ON fordringer_gebyrsats;",
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fordringer", "0024_rentekoersel_annulleret_og_i_alt"),
    ]

    operations = [
        migrations.AddField(
            model_name="dokument",
            name="fordring",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dokumenter",
                to="fordringer.fordring",
            ),
        ),
        migrations.AlterField(
            model_name="dokument",
            name="type",
            field=models.CharField(
                choices=[
                    ("KONTOUDTOG", "Kontoudtog"),
                    ("KONTOOVERSIGT", "Kontooversigt"),
                    ("OMPOSTERING", "Brev om ompostering"),
                    ("SAMLING", "Brev om samling og frigivelse"),
                    ("UDBETALING", "Meddelelse om udbetaling"),
                    ("RYKKER", "Rykker"),
                ],
                max_length=15,
            ),
        ),
        migrations.CreateModel(
            name="Gebyrsats",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "renteregime",
                    models.CharField(
                        choices=[
                            ("GEBYRLOVEN_3", "Gebyrloven § 3"),
                            ("OPKRAEVNINGSLOVEN_7", "Opkrævningsloven § 7"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "art",
                    models.CharField(
                        choices=[("RYKKER", "Rykkergebyr")], default="RYKKER", max_length=10
                    ),
                ),
                ("gyldig_fra", models.DateField(verbose_name="gyldig fra")),
                ("beloeb", ky_debitor.money.MoneyField(verbose_name="beløb")),
                (
                    "hoejst_pr_fordring",
                    models.PositiveSmallIntegerField(verbose_name="højst pr. fordring"),
                ),
                (
                    "mindste_interval_dage",
                    models.PositiveSmallIntegerField(verbose_name="mindst dage mellem rykkere"),
                ),
                (
                    "kilde",
                    models.CharField(
                        help_text="Lov, bekendtgørelse eller afgørelse.", max_length=250
                    ),
                ),
            ],
            options={
                "verbose_name": "gebyrsats",
                "verbose_name_plural": "gebyrsatser",
                "ordering": ["renteregime", "art", "gyldig_fra"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("renteregime", "art", "gyldig_fra"), name="gebyrsats_en_pr_dato"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("beloeb__gt", 0)), name="gebyrsats_positiv"
                    ),
                ],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(trigger, trigger_fjern),
    ]
