"""The year-end warning's figure, kept by triggers on parkeringer (``ky_debitor.taellinger``):
per income year, the konti that still hold parked dækninger of it (``del_id`` is the year).
Installed by migration ``fordringer.0016``; a change here needs a new migration that installs
the triggers again.

A konto counts once however many dækninger it holds, so a change counts the konto's parked
dækninger of the year after it (``nu``) and its own net change of them (``d``): the konto is
added when it goes from none to some (``nu > 0`` and ``nu - d = 0``) and taken away when it goes
from some to none. Counting ``nu`` after locking the konto makes it see what a concurrent
change of the same konto committed."""

from __future__ import annotations

from ky_debitor.taellinger import Taeller, aendret

KONTI_PARKERET_DAEKNING = "konti_parkeret_daekning"

_AAR = (
    (
        "aar_q",
        "CAST(EXTRACT(YEAR FROM q.valoerdato) AS INTEGER)",
        "CAST(strftime('%Y', q.valoerdato) AS INTEGER)",
    ),
    (
        "aar_q2",
        "CAST(EXTRACT(YEAR FROM q2.valoerdato) AS INTEGER)",
        "CAST(strftime('%Y', q2.valoerdato) AS INTEGER)",
    ),
)

TAELLERE = (
    Taeller(
        navn="fordringer_parkering_aar",
        noegler=(KONTI_PARKERET_DAEKNING,),
        tabel="fordringer_parkering",
        kolonner=("id", "kommune_id", "konto_id", "postering_id", "frigivet"),
        aendret=aendret("frigivet", "konto_id", "postering_id", "kommune_id"),
        bidrag=(
            f"SELECT c.kommune_id, '{KONTI_PARKERET_DAEKNING}' AS noegle, c.aar AS del_id, "
            "CASE WHEN c.nu > 0 THEN 1 ELSE 0 END - CASE WHEN c.nu - c.d > 0 THEN 1 ELSE 0 END "
            "AS vaerdi FROM (SELECT e.kommune_id, e.aar, e.d, (SELECT COUNT(*) "
            "FROM fordringer_parkering p2 JOIN fordringer_postering q2 ON q2.id = p2.postering_id "
            "WHERE p2.konto_id = e.konto_id AND p2.frigivet IS NULL AND q2.art = 'DAEKNING' "
            "AND {aar_q2} = e.aar) AS nu FROM (SELECT r.kommune_id, r.konto_id, {aar_q} AS aar, "
            "SUM(r.f) AS d FROM {r} r JOIN fordringer_postering q ON q.id = r.postering_id "
            "WHERE r.frigivet IS NULL AND q.art = 'DAEKNING' "
            "GROUP BY r.kommune_id, r.konto_id, {aar_q}) e) c",
        ),
        laas_konti=True,
        udtryk=_AAR,
    ),
)
