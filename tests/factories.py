"""factory_boy factories with traits, shared by all tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from fordringer.choices import Kilde, KontoStatus, PosteringArt
from fordringer.models import (
    Bevilling,
    Borger,
    Debitorkonto,
    Fordring,
    Indbetaling,
    Postering,
    Sag,
)
from ky_debitor.models import Bruger, Kommune
from rapporter.models import Eksport, EksportStatus


def kommune(kode: int = 101) -> Kommune:
    return Kommune.objects.get(kode=kode)


class BrugerFactory(factory.django.DjangoModelFactory[Bruger]):
    class Meta:
        model = Bruger
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    kommune = factory.LazyFunction(lambda: kommune(101))
    password = factory.django.Password("Hemmeligt-kodeord-1")

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
