"""Mine opgaver's figures per opgavepakke, kept current by triggers on tasks and parkeringer
(``ky_debitor.taellinger``). Installed by migration ``opgavepakker.0006``; a change here
needs a new migration that installs the triggers again.

The parked sum (and the restance) of a pakke is that of the konti with an open task in it, so
it moves when a task opens, closes or changes pakke, and when a parkering comes or is
released (a claim's restance changes): both sides lock their konti first."""

from __future__ import annotations

from ky_debitor.taellinger import Taeller, aendret, oere

from .workflow import OpgaveStatus

OPGAVER = "opgaver_"  # + status: tasks per pakke and status
PARKERET_PAKKE_OERE = "parkeret_pakke_oere"
RESTANCE_PAKKE_OERE = "restance_pakke_oere"  # restance of the konti with an open task there
AABNE_SQL = "('AABEN', 'I_GANG')"

TAELLERE = (
    Taeller(
        navn="opgavepakker_opgave",
        noegler=(*(OPGAVER + s for s in OpgaveStatus), PARKERET_PAKKE_OERE, RESTANCE_PAKKE_OERE),
        tabel="opgavepakker_opgave",
        kolonner=("id", "kommune_id", "pakke_id", "konto_id", "status"),
        aendret=aendret("status", "pakke_id", "konto_id", "kommune_id"),
        bidrag=(
            f"SELECT r.kommune_id, '{OPGAVER}' || r.status AS noegle, r.pakke_id AS del_id, "
            "r.f AS vaerdi FROM {r} r",
            f"SELECT r.kommune_id, '{PARKERET_PAKKE_OERE}' AS noegle, r.pakke_id AS del_id, "
            f"r.f * (SELECT COALESCE(SUM({oere('p.beloeb')}), 0) FROM fordringer_parkering p "
            "WHERE p.konto_id = r.konto_id AND p.frigivet IS NULL) AS vaerdi "
            f"FROM {{r}} r WHERE r.status IN {AABNE_SQL}",
            f"SELECT r.kommune_id, '{RESTANCE_PAKKE_OERE}' AS noegle, r.pakke_id AS del_id, "
            f"r.f * (SELECT COALESCE(SUM({oere('fo.restance')}), 0) FROM fordringer_fordring fo "
            "WHERE fo.konto_id = r.konto_id) AS vaerdi "
            f"FROM {{r}} r WHERE r.status IN {AABNE_SQL}",
        ),
        laas_konti=True,
    ),
    Taeller(
        navn="opgavepakker_parkering",
        noegler=(PARKERET_PAKKE_OERE,),
        tabel="fordringer_parkering",
        kolonner=("id", "konto_id", "beloeb", "frigivet"),
        aendret=aendret("beloeb", "frigivet", "konto_id"),
        bidrag=(
            f"SELECT o.kommune_id, '{PARKERET_PAKKE_OERE}' AS noegle, o.pakke_id AS del_id, "
            f"r.f * {oere('r.beloeb')} AS vaerdi "
            "FROM {r} r JOIN opgavepakker_opgave o ON o.konto_id = r.konto_id "
            f"WHERE r.frigivet IS NULL AND o.status IN {AABNE_SQL}",
        ),
        laas_konti=True,
        fyld=False,  # counted from the tasks' side
    ),
    Taeller(
        navn="opgavepakker_fordring",
        noegler=(RESTANCE_PAKKE_OERE,),
        tabel="fordringer_fordring",
        kolonner=("id", "konto_id", "restance"),
        aendret=aendret("restance", "konto_id"),
        bidrag=(
            f"SELECT o.kommune_id, '{RESTANCE_PAKKE_OERE}' AS noegle, o.pakke_id AS del_id, "
            f"r.f * {oere('r.restance')} AS vaerdi "
            "FROM {r} r JOIN opgavepakker_opgave o ON o.konto_id = r.konto_id "
            f"WHERE o.status IN {AABNE_SQL}",
        ),
        laas_konti=True,
        fyld=False,  # counted from the tasks' side
    ),
)
