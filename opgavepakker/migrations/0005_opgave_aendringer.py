from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opgavepakker", "0004_maanedlig_samling_til_fordringer"),
    ]

    operations = [
        migrations.AddField(
            model_name="opgave",
            name="aendringer",
            field=models.JSONField(blank=True, default=dict, verbose_name="ændringer"),
        ),
    ]
