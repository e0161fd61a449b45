"""Documents a borger can read (issue #20): kontoudtog, kontooversigt and letters, as PDF.

A ``Dokument`` is ordered (``VENTER``), rendered once (``KOERER`` → ``FAERDIG``) and from then on
immutable: its PDF and the PDF's SHA-256 are written together and never again. On PostgreSQL a
trigger (``DOKUMENT_LAAST_SQL``) refuses any UPDATE that changes a finished document's content
and any DELETE of one, so not even raw SQL can swap a letter that was sent.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q

from fordringer.choices import DokumentStatus, DokumentType
from ky_debitor.errors import ApplicationError
from ky_debitor.tenancy import TenantQuerySet

from .kerne import Borger, Debitorkonto
from .ompostering import AlternativModtager, Ompostering, Udbetaling
from .samling import Samlingsbeslutning


class DokumentLaastError(ApplicationError):
    pass


def _laast() -> NoReturn:
    raise DokumentLaastError("Et dannet dokument kan ikke ændres eller slettes; dan et nyt.")


class DokumentQuerySet(TenantQuerySet):
    def delete(self) -> NoReturn:  # type: ignore[override]
        _laast()


class DokumentManager(models.Manager.from_queryset(DokumentQuerySet)):  # type: ignore[misc]
    pass


class Dokument(models.Model):
    """One document for one recipient: what it is about (borger, konto, ompostering, payout or
    samling decision), who asked for it, its progress while it is rendered, and then the PDF
    with its hash. ``send`` says it goes to the recipient by Digital Post once rendered."""

    kommune = models.ForeignKey("ky_debitor.Kommune", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=15, choices=DokumentType.choices)
    titel = models.CharField(max_length=200)
    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="dokumenter")
    konto = models.ForeignKey(
        Debitorkonto, on_delete=models.PROTECT, null=True, blank=True, related_name="dokumenter"
    )
    # A reminder is about one claim (``fordringer/rykker``).
    fordring = models.ForeignKey(
        "fordringer.Fordring",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dokumenter",
    )
    ompostering = models.ForeignKey(
        Ompostering, on_delete=models.PROTECT, null=True, blank=True, related_name="dokumenter"
    )
    udbetaling = models.ForeignKey(
        Udbetaling, on_delete=models.PROTECT, null=True, blank=True, related_name="dokumenter"
    )
    samlingsbeslutning = models.ForeignKey(
        Samlingsbeslutning,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dokumenter",
    )
    # The recipient: the borger himself, or an alternative recipient (seed 004 trin 8).
    modtager_alternativ = models.ForeignKey(
        AlternativModtager, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    modtager_navn = models.CharField("modtager", max_length=200)
    parametre = models.JSONField(default=dict, blank=True)
    send = models.BooleanField("sendes med Digital Post", default=False)
    status = models.CharField(
        max_length=10, choices=DokumentStatus.choices, default=DokumentStatus.VENTER
    )
    antal = models.PositiveIntegerField("linjer i alt", default=0)
    skrevet = models.PositiveIntegerField("linjer sat op", default=0)
    fejl = models.CharField(max_length=500, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    stoerrelse = models.PositiveIntegerField("størrelse (byte)", null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    startet = models.DateTimeField(null=True, blank=True)
    faerdig = models.DateTimeField("færdig", null=True, blank=True)

    objects: ClassVar[DokumentManager] = DokumentManager()

    class Meta:
        ordering = ["-oprettet", "-id"]
        verbose_name = "dokument"
        verbose_name_plural = "dokumenter"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="FAERDIG") | (Q(pdf__isnull=False) & ~Q(sha256="")),
                name="dokument_faerdig_har_indhold",
            ),
        ]
        indexes = [
            models.Index(fields=["kommune", "borger", "oprettet"]),
            models.Index(fields=["status", "oprettet"]),
        ]

    def __str__(self) -> str:
        return f"{self.titel} til {self.modtager_navn}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            gemt = type(self).objects.filter(pk=self.pk).values_list("sha256", flat=True).first()
            if gemt:
                _laast()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _laast()

    @property
    def er_aktiv(self) -> bool:
        return self.status in (DokumentStatus.VENTER, DokumentStatus.KOERER)

    @property
    def procent(self) -> int:
        if self.status == DokumentStatus.FAERDIG:
            return 100
        if not self.antal:
            return 0
        return min(99, self.skrevet * 100 // self.antal)

    @property
    def filnavn(self) -> str:
        emne = self.konto.kontonummer if self.konto_id and self.konto else str(self.borger_id)
        return f"{self.type.lower()}_{emne}_{self.pk}.pdf"


# Refuses changing a finished document's content and deleting a finished document, in the
# database itself (the model refuses it too; this also stops raw SQL).
DOKUMENT_LAAST_SQL = """
CREATE OR REPLACE FUNCTION fordringer_dokument_laast() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.sha256 <> '' THEN
            RAISE EXCEPTION 'Et dannet dokument kan ikke slettes';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.sha256 <> '' AND (
        NEW.sha256 IS DISTINCT FROM OLD.sha256
        OR NEW.pdf IS DISTINCT FROM OLD.pdf
        OR NEW.type IS DISTINCT FROM OLD.type
        OR NEW.borger_id IS DISTINCT FROM OLD.borger_id
        OR NEW.modtager_navn IS DISTINCT FROM OLD.modtager_navn
    ) THEN
        RAISE EXCEPTION 'Et dannet dokument kan ikke ændres';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER fordringer_dokument_laast BEFORE UPDATE OR DELETE ON fordringer_dokument
    FOR EACH ROW EXECUTE FUNCTION fordringer_dokument_laast();
"""
DOKUMENT_LAAST_SQL_REVERSE = """
DROP TRIGGER IF EXISTS fordringer_dokument_laast ON fordringer_dokument;
DROP FUNCTION IF EXISTS fordringer_dokument_laast();
"""
