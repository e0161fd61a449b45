"""The intended outcomes of generated demo konti (test and benchmark yardstick).

The table keeps the name it had when the model lived in ``fordringer`` (migration
``demo.0001_initial`` took the model over without touching the table).
"""

from __future__ import annotations

from django.db import models

from fordringer.models import Debitorkonto
from ky_debitor.tenancy import TenantModel


class DemoForventning(TenantModel):
    """The intended linking outcome of a generated demo konto (``generer_demodata``).

    Lets tests and benchmarks measure how much the engine links and that it never links wrongly.
    """

    konto = models.OneToOneField(Debitorkonto, on_delete=models.CASCADE, related_name="forventning")
    resultat = models.CharField(max_length=20)
    aarsag = models.CharField("årsag", max_length=30, blank=True)
    bevillingsnummer = models.CharField(max_length=40, blank=True)
    sagsnummer = models.CharField(max_length=40, blank=True)
    scenarie = models.CharField(max_length=60)

    class Meta:
        db_table = "fordringer_demoforventning"
        verbose_name = "demo-forventning"
        verbose_name_plural = "demo-forventninger"

    def __str__(self) -> str:
        return f"{self.konto_id}: {self.resultat} {self.aarsag}".strip()
