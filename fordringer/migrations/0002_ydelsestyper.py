"""Reference data of DESIGN §6 and §7: ydelsestyper, KMD Aktiv benefit codes, LL § 8 O."""

from django.db import migrations

# kode, navn, forsørgelsesydelse
YDELSESTYPER = [
    ("KONTANTHJAELP", "Kontanthjælp", True),
    ("UDDANNELSESHJAELP", "Uddannelseshjælp", True),
    ("SELVFORSOERGELSESYDELSE", "Selvforsørgelses- og hjemrejseydelse", True),
    ("OVERGANGSYDELSE", "Overgangsydelse", True),
    ("LEDIGHEDSYDELSE", "Ledighedsydelse", True),
    ("REVALIDERINGSYDELSE", "Revalideringsydelse", True),
    ("RESSOURCEFORLOEBSYDELSE", "Ressourceforløbsydelse", True),
    ("FLEKSLOENTILSKUD", "Fleksløntilskud", True),
    ("ENKELTYDELSE", "Enkeltydelse (aktivloven §§ 81-85)", False),
    ("SAERLIG_STOETTE", "Særlig støtte (aktivloven § 34)", False),
]

KODER = [
    ("KTH", "KONTANTHJAELP"),
    ("UDH", "UDDANNELSESHJAELP"),
    ("SHY", "SELVFORSOERGELSESYDELSE"),
    ("OVG", "OVERGANGSYDELSE"),
    ("LED", "LEDIGHEDSYDELSE"),
    ("REV", "REVALIDERINGSYDELSE"),
    ("RFY", "RESSOURCEFORLOEBSYDELSE"),
    ("FLX", "FLEKSLOENTILSKUD"),
    ("ENK", "ENKELTYDELSE"),
    ("SST", "SAERLIG_STOETTE"),
]

FOER_2026 = "LL § 8 O (indtil indkomståret 2025): kontanthjælp m.fl."
FRA_2026 = "LL § 8 O som ændret ved lov nr. 198 af 25.2.2025, fra indkomståret 2026"
# (ydelsestype, fra, til, kilde). Kontanthjælp was covered before 2026 as well.
LL8O = [
    ("KONTANTHJAELP", 1994, None, FOER_2026),
    ("SELVFORSOERGELSESYDELSE", 2026, None, FRA_2026),
    ("OVERGANGSYDELSE", 2026, None, FRA_2026),
    ("UDDANNELSESHJAELP", 2026, None, FRA_2026),
    ("RESSOURCEFORLOEBSYDELSE", 2026, None, FRA_2026),
    ("REVALIDERINGSYDELSE", 2026, None, FRA_2026),
    ("LEDIGHEDSYDELSE", 2026, None, FRA_2026),
    ("FLEKSLOENTILSKUD", 2026, None, FRA_2026),
]


def indlaes(apps, schema_editor):
    Ydelsestype = apps.get_model("fordringer", "Ydelsestype")
    Ydelseskode = apps.get_model("fordringer", "Ydelseskode")
    LL8ODaekning = apps.get_model("fordringer", "LL8ODaekning")
    typer = {}
    for kode, navn, forsoergelse in YDELSESTYPER:
        typer[kode], _ = Ydelsestype.objects.update_or_create(
            kode=kode, defaults={"navn": navn, "forsoergelsesydelse": forsoergelse}
        )
    for kode, type_kode in KODER:
        Ydelseskode.objects.update_or_create(
            kode=kode,
            defaults={"ydelsestype": typer[type_kode], "beskrivelse": typer[type_kode].navn},
        )
    for type_kode, fra, til, kilde in LL8O:
        LL8ODaekning.objects.get_or_create(
            ydelsestype=typer[type_kode],
            fra_indkomstaar=fra,
            defaults={"til_indkomstaar": til, "kilde": kilde},
        )


class Migration(migrations.Migration):
    dependencies = [("fordringer", "0001_initial")]
    operations = [migrations.RunPython(indlaes, migrations.RunPython.noop)]
