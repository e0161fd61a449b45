"""``DemoForventning`` moves from ``fordringer`` to ``demo`` without touching its table.

Only the migration state changes: this app takes the model over with the table it already has
(``fordringer_demoforventning``, made by ``fordringer.0001_initial``), and
``fordringer.0013_demoforventning_til_demo`` then lets go of it.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("fordringer", "0012_nationale_referencetabeller"),
        ("ky_debitor", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DemoForventning",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("resultat", models.CharField(max_length=20)),
                        (
                            "aarsag",
                            models.CharField(blank=True, max_length=30, verbose_name="årsag"),
                        ),
                        ("bevillingsnummer", models.CharField(blank=True, max_length=40)),
                        ("sagsnummer", models.CharField(blank=True, max_length=40)),
                        ("scenarie", models.CharField(max_length=60)),
                        (
                            "kommune",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="ky_debitor.kommune",
                            ),
                        ),
                        (
                            "konto",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="forventning",
                                to="fordringer.debitorkonto",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "demo-forventning",
                        "verbose_name_plural": "demo-forventninger",
                        "db_table": "fordringer_demoforventning",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
