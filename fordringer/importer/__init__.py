"""The KMD Aktiv import (DESIGN §6): a folder of Danish CSV files into KY Debitor.

``import_kmd_aktiv`` validates every row of every file first and stores nothing if one is bad
(``ImportFejl`` lists them all as ``fil:række: årsag``); otherwise it upserts the rows set-based
in one transaction, books the ledger and parks dækninger on unlinked KMD Aktiv konti. Running
it twice on the same files changes nothing.
"""

from .resultat import ImportFejl, ImportResultat
from .service import import_kmd_aktiv

__all__ = ["ImportFejl", "ImportResultat", "import_kmd_aktiv"]
