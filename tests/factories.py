"""factory_boy factories with traits, shared by all tests."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from fordringer.choices import (
    BeskedStatus,
    BeskedType,
    Kilde,
    KontoStatus,
    Overfoersel,
    PosteringArt,
    SamlingBeslutningType,
    Udbetalingskanal,
    UdbetalingStatus,
)
from fordringer.models import (
    AlternativModtager,
    Bevilling,
    Borger,
    Debitorkonto,
    Fordring,
    Indbetaling,
    Ompostering,
    OmposteringAarsag,
    Postering,
    Sag,
    Samlingsbeslutning,
    Udbetaling,
    UdgaaendeBesked,
)
from ky_debitor.models import Bruger, Kommune
from opgavepakker.models import Opgave, OpgaveType
from opgavepakker.pakker import VENTESKRIDT_KODE, pakke_kode
from opgavepakker.services import pakker_sikr
from opgavepakker.workflow import OpgaveStatus
from rapporter.models import Eksport, EksportStatus
from sagstilknytning.models import KoerselStatus, KontoBeslutning, Sagstilknytningskoersel


def kommune(kode: int = 101) -> Kommune:
    return Kommune.objects.get(kode=kode)


# Hashing a password takes a third of a second by design (PBKDF2); one hash per distinct
# password serves every test person, who still logs in through the real check.
_kodeord_hash = functools.lru_cache(maxsize=None)(make_password)


class BrugerFactory(factory.django.DjangoModelFactory[Bruger]):
    class Meta:
        model = Bruger
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    kommune = factory.LazyFunction(lambda: kommune(101))
    password = factory.django.Password("Hemmeligt-kodeord-1", transform=_kodeord_hash)

    @factory.post_generation
    def roller(obj: Bruger, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            for navn in extracted:
                obj.groups.add(Group.objects.get(name=navn))


class BorgerFactory(factory.django.DjangoModelFactory[Borger]):
    class Meta:
        model = Borger

    kommune = factory.LazyFunction(lambda: kommune(101))
    cpr = factory.Sequence(lambda n: f"0101{n % 100:02d}{n % 10000:04d}")
    navn = factory.Faker("name", locale="da_DK")


class SagFactory(factory.django.DjangoModelFactory[Sag]):
    class Meta:
        model = Sag

    kommune = factory.SelfAttribute("borger.kommune")
    borger = factory.SubFactory(BorgerFactory)
    sagsnummer = factory.Sequence(lambda n: f"SAG-{n:06d}")
    ydelseskode = "KTH"


class BevillingFactory(factory.django.DjangoModelFactory[Bevilling]):
    class Meta:
        model = Bevilling

    kommune = factory.SelfAttribute("borger.kommune")
    borger = factory.SubFactory(BorgerFactory)
    bevillingsnummer = factory.Sequence(lambda n: f"B{n:07d}")
    ydelseskode = "KTH"
    periode_fra = dt.date(2023, 1, 1)
    periode_til = dt.date(2024, 12, 31)


class DebitorkontoFactory(factory.django.DjangoModelFactory[Debitorkonto]):
    class Meta:
        model = Debitorkonto

    kommune = factory.SelfAttribute("borger.kommune")
    borger = factory.SubFactory(BorgerFactory)
    kontonummer = factory.Sequence(lambda n: f"K{n:08d}")
    kilde = Kilde.KMD_AKTIV
    status = KontoStatus.AKTIV

    class Params:
        ky = factory.Trait(kilde=Kilde.KY)
        venter = factory.Trait(status=KontoStatus.VENTER_PAA_DAEKNING)


class FordringFactory(factory.django.DjangoModelFactory[Fordring]):
    """A claim with its HOVEDSTOL entry booked, so restance and ledger agree from the start."""

    class Meta:
        model = Fordring
        skip_postgeneration_save = True

    kommune = factory.SelfAttribute("konto.kommune")
    konto = factory.SubFactory(DebitorkontoFactory)
    fordringsid = factory.Sequence(lambda n: f"F{n:09d}")
    kilde = factory.SelfAttribute("konto.kilde")
    ydelseskode = "KTH"
    tekst = "Tilbagebetaling af kontanthjælp"
    periode_fra = dt.date(2024, 1, 1)
    periode_til = dt.date(2024, 1, 31)
    forfaldsdato = dt.date(2024, 3, 1)
    hovedstol = Decimal("1000.00")
    restance = factory.SelfAttribute("hovedstol")

    @factory.post_generation
    def hovedstol_postering(
        obj: Fordring, create: bool, extracted: object, **kwargs: object
    ) -> None:
        if create:
            Postering.objects.create(
                kommune_id=obj.kommune_id,
                fordring=obj,
                art=PosteringArt.HOVEDSTOL,
                beloeb=obj.hovedstol,
                valoerdato=obj.forfaldsdato or dt.date(2024, 1, 1),
                tekst="Hovedstol",
                aktoer="test",
            )


class IndbetalingFactory(factory.django.DjangoModelFactory[Indbetaling]):
    class Meta:
        model = Indbetaling

    kommune = factory.LazyFunction(lambda: kommune(101))
    indbetalingsid = factory.Sequence(lambda n: f"I{n:08d}")
    beloeb = Decimal("500.00")
    valoerdato = dt.date(2025, 3, 1)


class EksportFactory(factory.django.DjangoModelFactory[Eksport]):
    """A stored report export, a quarter written: its page keeps polling its progress."""

    class Meta:
        model = Eksport

    bruger = factory.SubFactory(BrugerFactory)
    kommune = factory.SelfAttribute("bruger.kommune")
    rapport = "detaljer_debitor"
    titel = "Detaljer_Debitor"
    format = "csv"
    status = EksportStatus.KOERER
    antal = 200
    skrevet = 50
    udloeber = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def _person_i_kommunen() -> factory.SubFactory:
    """A person of the row's own kommune: who created, took or decided it."""
    return factory.SubFactory(BrugerFactory, kommune=factory.SelfAttribute("..kommune"))


# --- Linking runs and tasks -----------------------------------------------------------------


class KoerselFactory(factory.django.DjangoModelFactory[Sagstilknytningskoersel]):
    """A finished linking run in København (rows only: a test of the engine itself runs one
    with ``sagstilknytning.services.koer_synkront``)."""

    class Meta:
        model = Sagstilknytningskoersel

    kommune = factory.LazyFunction(lambda: kommune(101))
    status = KoerselStatus.DONE
    startet = factory.LazyFunction(timezone.now)
    afsluttet = factory.LazyFunction(timezone.now)

    class Params:
        # At most one waiting or running run per kommune (``koersel_en_aktiv_pr_kommune``).
        venter = factory.Trait(status=KoerselStatus.PENDING, startet=None, afsluttet=None)
        koerer = factory.Trait(status=KoerselStatus.RUNNING, afsluttet=None)
        fejlet = factory.Trait(
            status=KoerselStatus.FAILED, fejl="OperationalError: forbindelsen faldt"
        )
        proevekoersel = factory.Trait(proeve=True)


class KontoBeslutningFactory(factory.django.DjangoModelFactory[KontoBeslutning]):
    """What a run decided for one konto: by default a task (no bevilling could be chosen)."""

    class Meta:
        model = KontoBeslutning

    konto = factory.SubFactory(DebitorkontoFactory)
    kommune = factory.SelfAttribute("konto.kommune")
    koersel = factory.SubFactory(KoerselFactory, kommune=factory.SelfAttribute("..kommune"))
    resultat = "OPGAVE"
    aarsag = "FLERE_BEVILLINGER"
    # The compact form a run stores (``sagstilknytning.services._evidens_kompakt``).
    evidens = factory.LazyFunction(lambda: {"grupper": [], "kandidat_sager": [], "bevillinger": []})

    class Params:
        sagstilknyttet = factory.Trait(
            resultat="SAGSTILKNYTTET",
            aarsag="",
            bevilling=factory.SubFactory(
                BevillingFactory, borger=factory.SelfAttribute("..konto.borger")
            ),
            aendring="Tilknyttet bevillingen",
        )
        uaendret = factory.Trait(resultat="UAENDRET", aarsag="")


class OpgaveFactory(factory.django.DjangoModelFactory[Opgave]):
    """An open "Opret fordringssag" task on a new konto, in its kommune's package for the
    reason (``aarsag``; ``med_daekninger`` picks the package *med* parked dækninger)."""

    class Meta:
        model = Opgave

    konto = factory.SubFactory(DebitorkontoFactory)
    kommune = factory.SelfAttribute("konto.kommune")
    type = OpgaveType.OPRET_FORDRINGSSAG
    aarsag = "FLERE_BEVILLINGER"
    status = OpgaveStatus.AABEN
    pakke = factory.LazyAttribute(
        lambda o: pakker_sikr(o.kommune.pk)[
            VENTESKRIDT_KODE
            if o.type == OpgaveType.DAEKNINGER
            else pakke_kode(o.aarsag, o.med_daekninger)
        ]
    )

    class Params:
        med_daekninger = False
        # The waiting step for parked dækninger and afskrivninger.
        daekninger = factory.Trait(type=OpgaveType.DAEKNINGER, aarsag="")
        i_gang = factory.Trait(
            status=OpgaveStatus.I_GANG,
            tildelt=_person_i_kommunen(),
        )
        lukket = factory.Trait(
            status=OpgaveStatus.AFSLUTTET,
            afsluttet=factory.LazyFunction(timezone.now),
            afsluttet_af=_person_i_kommunen(),
            afslutning="Fordringssag oprettet",
        )


# --- Omposteringer, payouts and the outbox --------------------------------------------------


class AlternativModtagerFactory(factory.django.DjangoModelFactory[AlternativModtager]):
    class Meta:
        model = AlternativModtager

    kommune = factory.LazyFunction(lambda: kommune(101))
    navn = "Advokat Hansen"
    identifikation = "12345674"
    oprettet_af = _person_i_kommunen()


class OmposteringFactory(factory.django.DjangoModelFactory[Ompostering]):
    """An ompostering's row as the screens, the API and the reports read it: 500,00 moved to
    the same borger's claims. It books nothing; a test of the booking itself calls
    ``ompostering_opret``. ``beloeb = fordelt + udbetalt + venter`` holds in every trait."""

    class Meta:
        model = Ompostering

    fra_borger = factory.SubFactory(BorgerFactory)
    kommune = factory.SelfAttribute("fra_borger.kommune")
    til_borger = factory.SelfAttribute("fra_borger")
    beloeb = Decimal("500.00")
    fordelt = factory.SelfAttribute("beloeb")
    udbetalt = Decimal("0.00")
    venter = Decimal("0.00")
    valoerdato = dt.date(2025, 3, 1)
    aarsag = factory.LazyFunction(lambda: OmposteringAarsag.objects.order_by("pk")[0])
    aarsag_tekst = factory.SelfAttribute("aarsag.tekst")
    oprettet_af = _person_i_kommunen()

    class Params:
        til_anden_borger = factory.Trait(
            til_borger=factory.SubFactory(BorgerFactory, kommune=factory.SelfAttribute("..kommune"))
        )
        udbetalt_helt = factory.Trait(
            fordelt=Decimal("0.00"), udbetalt=factory.SelfAttribute("beloeb")
        )
        venter_helt = factory.Trait(fordelt=Decimal("0.00"), venter=factory.SelfAttribute("beloeb"))
        rullet_tilbage = factory.Trait(
            tilbagefoert=factory.LazyFunction(timezone.now),
            tilbagefoert_af=factory.SelfAttribute("oprettet_af"),
        )


def _behandlet(status: str, begrundelse: str) -> dict[str, object]:
    return {
        "status": status,
        "behandlet": factory.LazyFunction(timezone.now),
        "behandlet_af": _person_i_kommunen(),
        "begrundelse": begrundelse,
    }


class UdbetalingFactory(factory.django.DjangoModelFactory[Udbetaling]):
    """A payout of a whole ompostering by NemKonto over SAP38, awaiting a second Bogholder."""

    class Meta:
        model = Udbetaling

    ompostering = factory.SubFactory(OmposteringFactory, udbetalt_helt=True)
    kommune = factory.SelfAttribute("ompostering.kommune")
    borger = factory.SelfAttribute("ompostering.til_borger")
    beloeb = factory.SelfAttribute("ompostering.udbetalt")
    kanal = Udbetalingskanal.NEMKONTO
    oprettet_af = factory.SelfAttribute("ompostering.oprettet_af")

    class Params:
        # Four eyes: another person than the one who created it decides.
        godkendt = factory.Trait(**_behandlet(UdbetalingStatus.GODKENDT, "Kontrolleret"))
        afvist = factory.Trait(**_behandlet(UdbetalingStatus.AFVIST, "Forkert modtager"))
        til_alternativ = factory.Trait(
            kanal="",
            overfoersel=Overfoersel.KUNDEKONTO,
            modtager_alternativ=factory.SubFactory(
                AlternativModtagerFactory, kommune=factory.SelfAttribute("..kommune")
            ),
        )


class UdgaaendeBeskedFactory(factory.django.DjangoModelFactory[UdgaaendeBesked]):
    """A message in the outbox for the debitorsystem, waiting for its first attempt."""

    class Meta:
        model = UdgaaendeBesked

    kommune = factory.LazyFunction(lambda: kommune(101))
    type = BeskedType.SF1590_B_01
    noegle = factory.Sequence(lambda n: f"test:{n:08d}")
    payload = factory.LazyFunction(lambda: {"kontonummer": "K00000001"})

    class Params:
        sendt_ok = factory.Trait(
            status=BeskedStatus.SENDT, forsoeg=1, sendt=factory.LazyFunction(timezone.now)
        )
        fejlet = factory.Trait(
            status=BeskedStatus.FEJLET,
            forsoeg=8,
            sidste_fejl="ConnectionError: debitorsystemet svarede ikke",
        )


# --- Samling ------------------------------------------------------------------------------


class SamlingsbeslutningFactory(factory.django.DjangoModelFactory[Samlingsbeslutning]):
    """A caseworker's decision on a KMD Aktiv konto: by default "Ingen samling". The row
    only; ``fordringer.samling`` moves the claims when a test needs that."""

    class Meta:
        model = Samlingsbeslutning

    konto = factory.SubFactory(DebitorkontoFactory)
    kommune = factory.SelfAttribute("konto.kommune")
    beslutning = SamlingBeslutningType.INGEN_SAMLING
    begrundelse = "Fordringerne vedrører ikke samme ydelse"
    bruger = _person_i_kommunen()

    class Params:
        saml = factory.Trait(
            beslutning=SamlingBeslutningType.SAML,
            begrundelse="Samme borger og ydelse",
            ky_konto=factory.SubFactory(
                DebitorkontoFactory, ky=True, borger=factory.SelfAttribute("..konto.borger")
            ),
        )
        frigiv = factory.Trait(
            beslutning=SamlingBeslutningType.FRIGIV,
            begrundelse="Kravet fortsætter i KY",
            frigivet_konto=factory.SelfAttribute("konto"),
        )
