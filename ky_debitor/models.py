"""Tenancy, people and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from .append_only import AppendOnlyModel, AppendOnlyQuerySet
from .roles import Rolle
from .tenancy import TenantManager, TenantModel


class Kommune(models.Model):
    """A Danish municipality: the tenant. Loaded with the 98 codes by a data migration."""

    kode = models.PositiveSmallIntegerField("kommunekode", unique=True)
    navn = models.CharField(max_length=60)
    # Deadline for packages med dækninger: end of January after the tax year (seed 000).
    frist_maaned_dag = models.CharField(
        "frist (dd-mm året efter skatteåret)", max_length=5, default="31-01"
    )
    # Seed 000: løbende forsørgelsesydelser med tilbagebetalingspligt are merged the first
    # working day after the monthly payment run (fordringer.samling.maanedlig).
    udbetalingsdag = models.PositiveSmallIntegerField(
        "dag for den månedlige udbetalingskørsel",
        null=True,
        blank=True,
        help_text="Dag i måneden (1-31). Tom: månedens sidste arbejdsdag.",
    )
    # The letterhead of the kommune's documents (fordringer.dokumenter); both may be empty.
    adresse = models.TextField(
        blank=True, help_text="Afsenderadresse på breve og kontoudtog, én linje pr. linje."
    )
    logo = models.FileField(
        upload_to="kommuner/logo/",
        blank=True,
        help_text="PNG eller JPEG, vises øverst på breve og kontoudtog.",
    )

    class Meta:
        ordering = ["kode"]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(udbetalingsdag__isnull=True)
                | models.Q(udbetalingsdag__gte=1, udbetalingsdag__lte=31),
                name="kommune_udbetalingsdag_gyldig",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.navn}"


class Bruger(AbstractUser):
    """A person who logs in. Belongs to one kommune; roles are Django groups."""

    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, null=True, blank=True, related_name="brugere"
    )
    # A person who logs on through the kommune's identity provider (``ky_debitor.saml``): the
    # assertion's NameID, and the data constraints of their last login other than the kommune
    # (KLE numbers, organisation units), kept to be shown, not enforced (docs/adr/0010).
    saml_name_id = models.CharField(
        "SAML-identitet", max_length=500, null=True, blank=True, unique=True, editable=False
    )
    dataafgraensninger = models.JSONField(
        "dataafgrænsninger", default=list, blank=True, editable=False
    )
    # On the user of a request with an API key (``api_noegler``): the roles it has there
    # (read by ``roles.has_role``) and the key, which the audit trail names too.
    _ky_roller: set[str]
    ky_api_noegle: ApiNoegle

    class Meta:
        verbose_name = "bruger"
        verbose_name_plural = "brugere"

    @property
    def visningsnavn(self) -> str:
        return self.get_full_name() or self.username


class Enhed(TenantModel):
    """An organisational unit of the kommune. Seed 004: an amount for the sagsbehandlerfordeling
    goes "til en sagsbehandler eller en organisatorisk enhed" and lands on a list that they
    have access to; the unit's members see what is addressed to it. The unit marked as
    receiver gets the new items no person made (a payment, an overpayment's rest)."""

    navn = models.CharField(max_length=100)
    medlemmer = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="enheder")
    modtager_sagsbehandlerfordeling = models.BooleanField(
        "modtager nye poster på sagsbehandlerfordelingen", default=False
    )

    class Meta:
        ordering = ["navn"]
        verbose_name = "organisatorisk enhed"
        verbose_name_plural = "organisatoriske enheder"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "navn"], name="enhed_navn_unik"),
            models.UniqueConstraint(
                fields=["kommune"],
                condition=models.Q(modtager_sagsbehandlerfordeling=True),
                name="enhed_en_modtager_pr_kommune",
                violation_error_message="Kommunen har allerede en modtagerenhed.",
            ),
        ]

    def __str__(self) -> str:
        return self.navn


class AuditEvent(AppendOnlyModel):
    """Who did what, when and why. Written by the service in the same transaction as the write.

    ``bruger`` is empty for automatic work (a linking run, an import); ``aktoer`` then names it.
    """

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, null=True, blank=True)
    tidspunkt = models.DateTimeField(auto_now_add=True, db_index=True)
    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    aktoer = models.CharField("aktør", max_length=150)
    handling = models.CharField(max_length=60, db_index=True)
    objekt_type = models.CharField(max_length=60)
    objekt_id = models.CharField(max_length=60)
    beskrivelse = models.TextField()
    begrundelse = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-tidspunkt", "-id"]
        indexes = [models.Index(fields=["objekt_type", "objekt_id"])]
        verbose_name = "audithændelse"
        verbose_name_plural = "audithændelser"

    def __str__(self) -> str:
        return f"{self.tidspunkt:%d-%m-%Y %H:%M} {self.aktoer}: {self.beskrivelse}"


class Opslag(AppendOnlyModel):
    """A person opened a screen that shows a citizen's CPR number (logged, as the law requires)."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, null=True, blank=True)
    tidspunkt = models.DateTimeField(auto_now_add=True, db_index=True)
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    objekt_type = models.CharField(max_length=60)
    objekt_id = models.CharField(max_length=60)
    formaal = models.CharField("formål", max_length=200)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-tidspunkt", "-id"]
        indexes = [models.Index(fields=["objekt_type", "objekt_id"])]
        verbose_name = "CPR-opslag"
        verbose_name_plural = "CPR-opslag"

    def __str__(self) -> str:
        return f"{self.tidspunkt:%d-%m-%Y %H:%M} {self.bruger}: {self.formaal}"


class ApiNoegle(TenantModel):
    """A token for a system that calls the API, for one kommune and one role (issue #8).

    The secret is shown once when the token is made; only its SHA-256 is stored (the secret is
    32 random bytes, so a fast hash is enough and the look-up stays cheap). A request with the
    token acts as its holder (``indehaver``, a person of the kommune) with the roles the key's
    role and the holder's own roles have in common, so a key never exceeds its holder and four
    eyes are two persons whatever the channel. Revoked tokens are kept for the audit trail;
    they authenticate nothing.

    ``bruger`` is the token's own user of keys made before keys had holders: kept for the audit
    trail and for what it did, it authenticates nothing and holds no role.
    """

    navn = models.CharField(max_length=100, help_text="Hvilket system bruger nøglen?")
    rolle = models.CharField(max_length=30, choices=[(r.value, r.value) for r in Rolle])
    indehaver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="api_noegler",
        help_text="Personen, som nøglen handler på vegne af.",
    )
    bruger = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_noegle",
    )
    praefiks = models.CharField("præfiks", max_length=12, unique=True)
    hash = models.CharField(max_length=64)
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    tilbagekaldt = models.DateTimeField(null=True, blank=True)
    tilbagekaldt_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sidst_brugt = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-oprettet", "-id"]
        verbose_name = "API-nøgle"
        verbose_name_plural = "API-nøgler"

    def __str__(self) -> str:
        return f"{self.navn} ({self.rolle}, {self.praefiks}…)"

    @property
    def aktiv(self) -> bool:
        return self.tilbagekaldt is None


class IdempotensNoegle(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key`` header (issue #8).

    The same key from the same user again gets this answer back and nothing is done twice; the
    same key with another body or on another endpoint is refused.
    """

    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    noegle = models.CharField("nøgle", max_length=255)
    forespoergsel = models.CharField("forespørgsel", max_length=300)
    indhold_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    svar = models.JSONField(null=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "idempotensnøgle"
        verbose_name_plural = "idempotensnøgler"
        constraints = [
            models.UniqueConstraint(fields=["bruger", "noegle"], name="idempotens_unik_noegle"),
        ]

    def __str__(self) -> str:
        return f"{self.bruger_id}: {self.noegle}"


class Taellingsdelta(TenantModel):
    """One change to a kommune's overview figures (``ky_debitor.taellinger``).

    Written only by database triggers on the tables the figures count, in the transaction that
    changes them; a figure is the sum of its rows. Rows are only added (compaction replaces
    many rows by their sum), so writers never wait for each other here.
    """

    kommune = models.ForeignKey(
        Kommune, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    noegle = models.CharField("nøgle", max_length=40)
    del_id = models.IntegerField(default=0)  # an opgavepakke's id, else 0
    vaerdi = models.BigIntegerField("værdi")  # a count, or an amount in øre

    class Meta:
        indexes = [models.Index(fields=["kommune", "noegle"], name="taelling_kommune_noegle")]
        verbose_name = "tællingsændring"
        verbose_name_plural = "tællingsændringer"

    def __str__(self) -> str:
        return f"{self.kommune_id} {self.noegle}[{self.del_id}] {self.vaerdi:+d}"


class Rolleprivilegium(models.Model):
    """Which privilege of Fælleskommunal Adgangsstyring gives which role (issue #21).

    A privilege is the identifier of a jobfunktionsrolle as it arrives in the assertion
    (``http://<kommune>.dk/roles/jobrole/…``). A kommune's Drift keeps its own rows; a row
    without a kommune is national and can only give the national administrator's role (kept by
    platform operators). Changes are audited by the admin (``KommuneAdmin``).
    """

    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    privilegium = models.CharField(
        max_length=255, help_text="Jobfunktionsrollens identifikator, som den står i adgangen."
    )
    rolle = models.CharField(max_length=30, choices=[(r.value, r.value) for r in Rolle])
    beskrivelse = models.CharField(max_length=200, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["kommune__kode", "privilegium", "rolle"]
        verbose_name = "rolle fra adgangsstyring"
        verbose_name_plural = "roller fra adgangsstyring"
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "privilegium", "rolle"], name="rolleprivilegium_unik"
            ),
            models.UniqueConstraint(
                fields=["privilegium", "rolle"],
                condition=models.Q(kommune__isnull=True),
                name="rolleprivilegium_unik_national",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kommune__isnull=True, rolle=Rolle.NATIONAL.value)
                    | (models.Q(kommune__isnull=False) & ~models.Q(rolle=Rolle.NATIONAL.value))
                ),
                name="rolleprivilegium_national_uden_kommune",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.privilegium} → {self.rolle}"


class BrugtAssertion(models.Model):
    """An assertion that has logged someone on: the same one again is refused (replay).

    Kept until it expires (its ``NotOnOrAfter`` plus the accepted clock skew)."""

    assertion_id = models.CharField(max_length=200, unique=True)
    udloeber = models.DateTimeField("udløber", db_index=True)
    modtaget = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "brugt SAML-assertion"
        verbose_name_plural = "brugte SAML-assertioner"

    def __str__(self) -> str:
        return self.assertion_id
