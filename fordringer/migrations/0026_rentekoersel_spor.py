"""An interest run in lanes: each lane (by konto) has its own checkpoint and row lock, so two
workers run one run side by side. A run made before has one lane, whose checkpoint is the
run's old ``sidste_pk``."""

import django.db.models.deletion
from django.db import migrations, models


def spor_fra_checkpoint(apps, schema_editor):
    Rentekoersel = apps.get_model("fordringer", "Rentekoersel")
    Rentekoerselspor = apps.get_model("fordringer", "Rentekoerselspor")
    Rentekoerselspor.objects.bulk_create(
        Rentekoerselspor(
            koersel_id=k.pk,
            kommune_id=k.kommune_id,
            nummer=0,
            sidste_pk=k.sidste_pk,
            faerdig=k.status == "DONE",
        )
        for k in Rentekoersel.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("fordringer", "0025_gebyrsatser_og_rykker"),
        ("ky_debitor", "0010_enhed"),
    ]

    operations = [
        migrations.AddField(
            model_name="rentekoersel",
            name="spor",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="spor"),
        ),
        migrations.CreateModel(
            name="Rentekoerselspor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("nummer", models.PositiveSmallIntegerField()),
                (
                    "sidste_pk",
                    models.BigIntegerField(default=0, verbose_name="sidste fordring (id)"),
                ),
                ("faerdig", models.BooleanField(default=False, verbose_name="færdig")),
                (
                    "koersel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="spor_raekker",
                        to="fordringer.rentekoersel",
                    ),
                ),
                (
                    "kommune",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ky_debitor.kommune",
                    ),
                ),
            ],
            options={
                "verbose_name": "rentekørselsspor",
                "verbose_name_plural": "rentekørselsspor",
                "ordering": ["koersel", "nummer"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("koersel", "nummer"), name="rentekoerselspor_unik"
                    )
                ],
            },
        ),
        migrations.RunPython(spor_fra_checkpoint, migrations.RunPython.noop),
        migrations.RemoveField(model_name="rentekoersel", name="sidste_pk"),
    ]
