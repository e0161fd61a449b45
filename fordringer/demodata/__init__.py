"""Synthetic KMD Aktiv data for one kommune, with the intended linking outcome of each konto.

``demodata_generer`` writes the five CSV files of DESIGN §6 (``writer``), built scenario by
scenario (``scenarier``) from Danish names and valid-format CPR numbers (``names``,
``bygger``), imports them with the ordinary KMD Aktiv import and stores a ``DemoForventning``
per konto.
"""

from .scenarier import Forventning
from .service import (
    DemoResultat,
    Generering,
    demodata_findes,
    demodata_generer,
    demodata_skriv_csv,
    demoforventninger_gem,
)

__all__ = [
    "DemoResultat",
    "Forventning",
    "Generering",
    "demodata_findes",
    "demodata_generer",
    "demodata_skriv_csv",
    "demoforventninger_gem",
]
