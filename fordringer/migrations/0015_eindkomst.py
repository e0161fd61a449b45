"""eIndkomst end to end: the reporting ledger (``EIndkomstLinje``, append-only, with the line
each reverses), the batches that send it, and amounts a kommune reported by hand.

The old outbox rows (``EIndkomstIndberetning``, one per § 8 O dækning) become § 8 O lines of
the new ledger before the old table goes; the next change of money on their claims reconciles
them with the rule. On PostgreSQL triggers refuse UPDATE and DELETE of lines and by-hand rows.
"""

import django.db.models.deletion
from django.db import migrations, models

import ky_debitor.money
from ky_debitor.append_only import append_only_sql

TABELLER = ["fordringer_eindkomstlinje", "fordringer_eindkomstmanuel"]


def kopier(apps, schema_editor):
    Gammel = apps.get_model("fordringer", "EIndkomstIndberetning")
    Linje = apps.get_model("fordringer", "EIndkomstLinje")
    Linje.objects.bulk_create(
        [
            Linje(
                kommune_id=g.kommune_id,
                postering_id=g.postering_id,
                art="LL8O",
                cpr=g.cpr,
                indkomstaar=g.indkomstaar,
                beloeb=g.beloeb,
                ydelsestype_id=g.ydelsestype_id,
            )
            for g in Gammel.objects.order_by("id").iterator()
            if g.beloeb
        ],
        batch_size=2000,
    )


def triggere(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for tabel in TABELLER:
            schema_editor.execute(append_only_sql(tabel)[0], params=None)


def triggere_fjern(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for tabel in TABELLER:
            schema_editor.execute(append_only_sql(tabel)[1], params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("fordringer", "0014_maanedlig_samling"),
        ("ky_debitor", "0006_api_noegle_indehaver"),
    ]

    operations = [
        migrations.AlterField(
            model_name="udgaaendebesked",
            name="type",
            field=models.CharField(
                choices=[
                    ("UDBETALING", "Udbetaling"),
                    ("INDDRIVELSE_OPDATERING", "Send opdatering til inddrivelse (18.05)"),
                    ("MEDDELELSE", "Meddelelse (brev)"),
                    ("SF1590_B_01", "DebitorRegistrering (SF1590_B_01)"),
                    ("SF1590_B_02", "DebitorForespørgsel (SF1590_B_02)"),
                    ("SF1590_B_03", "DebitorIndbetaling (SF1590_B_03)"),
                    ("SF1590_B_04", "Debitorkonto-anmodning (SF1590_B_04)"),
                    ("EINDKOMST", "eIndkomst-indberetning"),
                ],
                max_length=30,
            ),
        ),
        migrations.CreateModel(
            name="EIndkomstForsendelse",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "noegle",
                    models.CharField(max_length=120, unique=True, verbose_name="idempotensnøgle"),
                ),
                ("periode_fra", models.DateTimeField(verbose_name="linjer fra")),
                ("periode_til", models.DateTimeField(verbose_name="linjer til")),
                ("antal", models.PositiveIntegerField(verbose_name="antal linjer")),
                (
                    "antal_raekker",
                    models.PositiveIntegerField(default=0, verbose_name="antal rækker"),
                ),
                ("total", ky_debitor.money.MoneyField(verbose_name="sendt i alt")),
                (
                    "modregnet",
                    ky_debitor.money.MoneyField(
                        default=0, verbose_name="modregnet manuelt indberettet"
                    ),
                ),
                ("oprettet", models.DateTimeField(auto_now_add=True)),
                (
                    "besked",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fordringer.udgaaendebesked",
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
                "verbose_name": "eIndkomst-forsendelse",
                "verbose_name_plural": "eIndkomst-forsendelser",
                "ordering": ["-oprettet", "-id"],
            },
        ),
        migrations.CreateModel(
            name="EIndkomstForsendelseRaekke",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("cpr", models.CharField(max_length=10, verbose_name="CPR-nummer")),
                ("indkomstaar", models.PositiveSmallIntegerField(verbose_name="indkomstår")),
                (
                    "art",
                    models.CharField(
                        choices=[
                            ("LL8O", "Fradrag efter LL § 8 O"),
                            ("KORREKTION", "Korrektion af udbetalingsårets indkomst"),
                        ],
                        max_length=12,
                    ),
                ),
                ("linjer", ky_debitor.money.MoneyField(verbose_name="linjernes sum")),
                (
                    "modregnet",
                    ky_debitor.money.MoneyField(
                        default=0, verbose_name="modregnet manuelt indberettet"
                    ),
                ),
                ("beloeb", ky_debitor.money.MoneyField(verbose_name="sendt beløb")),
                (
                    "forsendelse",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="raekker",
                        to="fordringer.eindkomstforsendelse",
                    ),
                ),
                (
                    "ydelsestype",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fordringer.ydelsestype",
                    ),
                ),
            ],
            options={
                "verbose_name": "række i eIndkomst-forsendelse",
                "verbose_name_plural": "rækker i eIndkomst-forsendelser",
                "ordering": ["cpr", "indkomstaar", "art", "ydelsestype_id"],
            },
        ),
        migrations.CreateModel(
            name="EIndkomstLinje",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "art",
                    models.CharField(
                        choices=[
                            ("LL8O", "Fradrag efter LL § 8 O"),
                            ("KORREKTION", "Korrektion af udbetalingsårets indkomst"),
                        ],
                        max_length=12,
                    ),
                ),
                ("cpr", models.CharField(max_length=10, verbose_name="CPR-nummer")),
                ("indkomstaar", models.PositiveSmallIntegerField(verbose_name="indkomstår")),
                ("beloeb", ky_debitor.money.MoneyField(verbose_name="beløb")),
                ("efterregulering", models.BooleanField(default=False)),
                ("oprettet", models.DateTimeField(auto_now_add=True)),
                (
                    "kommune",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ky_debitor.kommune",
                    ),
                ),
                (
                    "postering",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="eindkomst_linjer",
                        to="fordringer.postering",
                    ),
                ),
                (
                    "tilbagefoerer",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tilbagefoert_af",
                        to="fordringer.eindkomstlinje",
                        verbose_name="tilbagefører",
                    ),
                ),
                (
                    "ydelsestype",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fordringer.ydelsestype",
                    ),
                ),
            ],
            options={
                "verbose_name": "eIndkomst-linje",
                "verbose_name_plural": "eIndkomst-linjer",
                "ordering": ["oprettet", "id"],
            },
        ),
        migrations.CreateModel(
            name="EIndkomstForsendelseLinje",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "forsendelse",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="linjer",
                        to="fordringer.eindkomstforsendelse",
                    ),
                ),
                (
                    "linje",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sendt_i",
                        to="fordringer.eindkomstlinje",
                    ),
                ),
            ],
            options={
                "verbose_name": "linje i eIndkomst-forsendelse",
                "verbose_name_plural": "linjer i eIndkomst-forsendelser",
            },
        ),
        migrations.CreateModel(
            name="EIndkomstManuel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("cpr", models.CharField(max_length=10, verbose_name="CPR-nummer")),
                ("indkomstaar", models.PositiveSmallIntegerField(verbose_name="indkomstår")),
                ("beloeb", ky_debitor.money.MoneyField(verbose_name="beløb")),
                ("tekst", models.CharField(blank=True, max_length=255)),
                (
                    "kilde",
                    models.CharField(
                        choices=[
                            ("IMPORT", "Import"),
                            ("SKAERM", "Skærmbillede"),
                            ("API", "API"),
                            ("ADMIN", "Administration"),
                        ],
                        max_length=10,
                    ),
                ),
                ("aktoer", models.CharField(max_length=150, verbose_name="aktør")),
                ("oprettet", models.DateTimeField(auto_now_add=True)),
                (
                    "kommune",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ky_debitor.kommune",
                    ),
                ),
                (
                    "tilbagefoerer",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tilbagefoert_af",
                        to="fordringer.eindkomstmanuel",
                        verbose_name="annullerer",
                    ),
                ),
            ],
            options={
                "verbose_name": "manuelt indberettet eIndkomst-beløb",
                "verbose_name_plural": "manuelt indberettede eIndkomst-beløb",
                "ordering": ["-oprettet", "-id"],
            },
        ),
        migrations.RunPython(kopier, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="EIndkomstIndberetning",
        ),
        migrations.AddIndex(
            model_name="eindkomstforsendelseraekke",
            index=models.Index(fields=["cpr", "indkomstaar"], name="fordringer__cpr_fea4bc_idx"),
        ),
        migrations.AddIndex(
            model_name="eindkomstlinje",
            index=models.Index(
                fields=["kommune", "indkomstaar", "cpr"], name="fordringer__kommune_422733_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="eindkomstlinje",
            index=models.Index(fields=["cpr", "indkomstaar"], name="fordringer__cpr_a47605_idx"),
        ),
        migrations.AddConstraint(
            model_name="eindkomstlinje",
            constraint=models.CheckConstraint(
                condition=models.Q(("beloeb", 0), _negated=True), name="eindkomstlinje_ikke_nul"
            ),
        ),
        migrations.AddIndex(
            model_name="eindkomstmanuel",
            index=models.Index(
                fields=["kommune", "cpr", "indkomstaar"], name="fordringer__kommune_33a099_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="eindkomstmanuel",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("tilbagefoerer__isnull", True), ("beloeb__gt", 0)),
                    models.Q(("tilbagefoerer__isnull", False), ("beloeb__lt", 0)),
                    _connector="OR",
                ),
                name="eindkomstmanuel_fortegn",
            ),
        ),
        migrations.RunPython(triggere, triggere_fjern),
    ]
