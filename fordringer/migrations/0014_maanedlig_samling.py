"""``MaanedligSamling`` comes to ``fordringer`` from ``opgavepakker`` without touching its table.

State only: the model keeps its table ``opgavepakker_maanedligsamling`` (made by
``opgavepakker.0003_maanedlig_samling``, which this waits for so that the table exists before
any later migration here changes it), its index and its constraint; ``opgavepakker.0004`` then
lets go of it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fordringer", "0013_demoforventning_til_demo"),
        ("ky_debitor", "0005_kommune_udbetalingsdag"),
        ("opgavepakker", "0003_maanedlig_samling"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MaanedligSamling",
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
                        ("maaned", models.DateField(verbose_name="udbetalingsmåned")),
                        ("udbetalingskoersel", models.DateField(verbose_name="udbetalingskørsel")),
                        ("forfald", models.DateField()),
                        ("oprettet", models.DateTimeField(auto_now_add=True)),
                        ("afsluttet", models.DateTimeField(blank=True, null=True)),
                        (
                            "note",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="afslutningsnote"
                            ),
                        ),
                        (
                            "afsluttet_af",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "kommune",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="ky_debitor.kommune",
                            ),
                        ),
                        (
                            "konto",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="maanedlige_samlinger",
                                to="fordringer.debitorkonto",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "månedlig samling",
                        "verbose_name_plural": "månedlige samlinger",
                        "db_table": "opgavepakker_maanedligsamling",
                        "ordering": ["forfald", "id"],
                        "indexes": [
                            models.Index(
                                fields=["kommune", "afsluttet", "forfald"],
                                name="opgavepakke_kommune_79d85e_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("konto", "maaned"),
                                name="maanedlig_samling_en_pr_konto_og_maaned",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
