"""The start page's figures, kept current by triggers on konti, fordringer and parkeringer
(``ky_debitor.taellinger``). Installed by migration ``fordringer.0016``; a change here needs a
new migration that installs the triggers again."""

from __future__ import annotations

from ky_debitor.taellinger import Taeller, aendret, oere

KONTI_KMD = "konti_kmd"  # KMD Aktiv konti
KONTI_TILKNYTTET = "konti_tilknyttet"  # of those, linked
PARKERET_ANTAL = "parkeret_antal"  # unreleased parkeringer
PARKERET_OERE = "parkeret_oere"  # their amount
RESTANCE_KMD_OERE = "restance_kmd_oere"  # restance of the fordringer on KMD Aktiv konti

TAELLERE = (
    Taeller(
        navn="fordringer_konto",
        noegler=(KONTI_KMD, KONTI_TILKNYTTET),
        tabel="fordringer_debitorkonto",
        kolonner=("id", "kommune_id", "kilde", "tilknytning"),
        aendret=aendret("kilde", "tilknytning", "kommune_id"),
        bidrag=(
            f"SELECT r.kommune_id, '{KONTI_KMD}' AS noegle, 0 AS del_id, r.f AS vaerdi "
            "FROM {r} r WHERE r.kilde = 'KMD_AKTIV' "
            f"UNION ALL SELECT r.kommune_id, '{KONTI_TILKNYTTET}', 0, r.f "
            "FROM {r} r WHERE r.kilde = 'KMD_AKTIV' AND r.tilknytning <> 'INGEN'",
        ),
    ),
    # A konto that changes source takes its fordringer's restance along (counted from the
    # fordringer's side for a new install, so not filled from here).
    Taeller(
        navn="fordringer_konto_kilde",
        noegler=(RESTANCE_KMD_OERE,),
        tabel="fordringer_debitorkonto",
        kolonner=("id", "kilde"),
        aendret=aendret("kilde"),
        bidrag=(
            f"SELECT fo.kommune_id, '{RESTANCE_KMD_OERE}' AS noegle, 0 AS del_id, "
            f"r.f * {oere('fo.restance')} AS vaerdi "
            "FROM {r} r JOIN fordringer_fordring fo ON fo.konto_id = r.id "
            "WHERE r.kilde = 'KMD_AKTIV'",
        ),
        fyld=False,
    ),
    Taeller(
        navn="fordringer_fordring",
        noegler=(RESTANCE_KMD_OERE,),
        tabel="fordringer_fordring",
        kolonner=("id", "kommune_id", "konto_id", "restance"),
        aendret=aendret("restance", "konto_id", "kommune_id"),
        bidrag=(
            f"SELECT r.kommune_id, '{RESTANCE_KMD_OERE}' AS noegle, 0 AS del_id, "
            f"r.f * {oere('r.restance')} AS vaerdi "
            "FROM {r} r JOIN fordringer_debitorkonto k ON k.id = r.konto_id "
            "WHERE k.kilde = 'KMD_AKTIV'",
        ),
    ),
    Taeller(
        navn="fordringer_parkering",
        noegler=(PARKERET_ANTAL, PARKERET_OERE),
        tabel="fordringer_parkering",
        kolonner=("id", "kommune_id", "konto_id", "beloeb", "frigivet"),
        aendret=aendret("beloeb", "frigivet", "kommune_id"),
        bidrag=(
            f"SELECT r.kommune_id, '{PARKERET_ANTAL}' AS noegle, 0 AS del_id, r.f AS vaerdi "
            "FROM {r} r WHERE r.frigivet IS NULL "
            f"UNION ALL SELECT r.kommune_id, '{PARKERET_OERE}', 0, r.f * {oere('r.beloeb')} "
            "FROM {r} r WHERE r.frigivet IS NULL",
        ),
    ),
)
