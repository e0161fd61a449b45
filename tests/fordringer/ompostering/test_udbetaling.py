"""Payouts from an ompostering: approval by another Bogholder, the letter, the outbox."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from fordringer.choices import BeskedStatus, BeskedType, Overfoersel, Udbetalingskanal
from fordringer.models import (
    AlternativModtager,
    Dokument,
    Fordring,
    Sagsbehandlerfordeling,
    Udbetaling,
    UdgaaendeBesked,
)
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.tilbagefoersel import ompostering_tilbagefoer
from fordringer.ompostering.udbetaling import (
    NyModtager,
    UdbetalingValg,
    sagsbehandlerfordeling_behandl,
    udbetaling_afvis,
    udbetaling_godkend,
)
from fordringer.udbakke.services import udgaaende_besked_lever, udgaaende_besked_opret
from ky_debitor.errors import ApplicationError, ConflictError
from tests.fordringer.ompostering.ompostering_data import IDAG, invarianter, opret, tilstand

D = Decimal
ADRESSE = "Vestergade 1, 8000 Aarhus C"
NOTE = "Indbetalingen er omstødt af skifteretten; beløbet udbetales til boet."


@pytest.fixture
def udbetaling_til_advokat(bent):
    """Anna's 500,00 moved: 200,00 to Bo's claim, 300,00 paid out to a lawyer (new recipient)
    by NemKonto over SAP38, exempt from modregning, with a note (so a letter is made)."""
    s = opret(bent)
    ompostering = ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(s.fb.pk, D("200.00"))],
        udbetaling=UdbetalingValg(
            beloeb=D("300.00"),
            kanal=Udbetalingskanal.NEMKONTO,
            fritaget_modregning=True,
            ny_modtager=NyModtager(navn="Advokat Hansen", identifikation="12345674"),
        ),
        note=NOTE,
        idag=IDAG,
    )
    return s, ompostering, Udbetaling.objects.get(ompostering=ompostering)


def test_payout_waits_for_approval_and_the_alternative_recipient_gets_a_letter(
    udbetaling_til_advokat,
):
    _s, ompostering, udbetaling = udbetaling_til_advokat
    assert (ompostering.fordelt, ompostering.udbetalt, ompostering.venter) == (
        D("200.00"),
        D("300.00"),
        D("0.00"),
    )
    assert udbetaling.status == "AFVENTER"
    assert udbetaling.modtager_navn == "Advokat Hansen"
    assert AlternativModtager.objects.get().identifikation == "12345674"
    # The letter to the lawyer is ordered with the booking (its text: tests/fordringer/
    # dokumenter/test_breve.py); the borgere each get one too.
    brev = Dokument.objects.get(modtager_alternativ__isnull=False)
    assert (brev.modtager_navn, brev.send, brev.udbetaling_id) == (
        "Advokat Hansen",
        True,
        udbetaling.pk,
    )
    assert Dokument.objects.filter(ompostering=ompostering).count() == 3
    # Nothing goes out for the payout before it is approved.
    assert not UdgaaendeBesked.objects.filter(type=BeskedType.UDBETALING).exists()
    invarianter()


def test_the_creator_cannot_approve_their_own_payout(udbetaling_til_advokat, bent):
    _s, _o, udbetaling = udbetaling_til_advokat
    with pytest.raises(ApplicationError, match="fire øjne"):
        udbetaling_godkend(user=bent, udbetaling_id=udbetaling.pk)
    udbetaling.refresh_from_db()
    assert udbetaling.status == "AFVENTER"


def test_a_sagsbehandler_cannot_approve(udbetaling_til_advokat, alice):
    _s, _o, udbetaling = udbetaling_til_advokat
    with pytest.raises(ApplicationError, match="Kun en bogholder"):
        udbetaling_godkend(user=alice, udbetaling_id=udbetaling.pk)


def test_another_bogholder_approves_and_the_payout_is_delivered_as_a_file(
    udbetaling_til_advokat, birgit, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    _s, _o, udbetaling = udbetaling_til_advokat
    with django_capture_on_commit_callbacks(execute=True):
        udbetaling_godkend(user=birgit, udbetaling_id=udbetaling.pk, begrundelse="Kontrolleret")
    udbetaling.refresh_from_db()
    assert (udbetaling.status, udbetaling.behandlet_af) == ("GODKENDT", birgit)
    besked = UdgaaendeBesked.objects.get(type=BeskedType.UDBETALING)
    assert besked.status == BeskedStatus.SENDT
    dokument = json.loads(
        (tmp_path / "udgaaende" / "udbetaling" / f"udbetaling_{udbetaling.pk}.json").read_text()
    )
    assert dokument["payload"]["beloeb"] == "300.00"
    assert dokument["payload"]["kanal"] == "NEMKONTO"
    assert dokument["payload"]["fritaget_modregning"] is True
    assert dokument["payload"]["modtager_navn"] == "Advokat Hansen"
    with pytest.raises(ConflictError, match="allerede godkendt"):
        udbetaling_afvis(user=birgit, udbetaling_id=udbetaling.pk, begrundelse="for sent")


def test_rejected_payout_goes_to_the_sagsbehandlerfordeling_list(udbetaling_til_advokat, birgit):
    _s, ompostering, udbetaling = udbetaling_til_advokat
    with pytest.raises(ApplicationError, match="Angiv en begrundelse"):
        udbetaling_afvis(user=birgit, udbetaling_id=udbetaling.pk, begrundelse=" ")
    udbetaling_afvis(user=birgit, udbetaling_id=udbetaling.pk, begrundelse="Forkert modtager")
    ompostering.refresh_from_db()
    assert (ompostering.udbetalt, ompostering.venter) == (D("0.00"), D("300.00"))
    post = Sagsbehandlerfordeling.objects.get()
    assert post.beloeb == D("300.00")
    assert "Forkert modtager" in post.tekst
    invarianter()


def test_handled_item_leaves_the_list_but_keeps_who_and_when(udbetaling_til_advokat, birgit):
    s, ompostering, udbetaling = udbetaling_til_advokat
    udbetaling_afvis(user=birgit, udbetaling_id=udbetaling.pk, begrundelse="Forkert modtager")
    post = Sagsbehandlerfordeling.objects.get()
    sagsbehandlerfordeling_behandl(
        user=birgit,
        post_id=post.pk,
        fordeling=[NyDaekning(s.fb.pk, D("250.00"))],
        behandling="Dækket på Bos fordring efter aftale",
        idag=IDAG,
    )
    post.refresh_from_db()
    assert (post.behandlet_af, post.behandlet is not None) == (birgit, True)
    aaben = Sagsbehandlerfordeling.objects.get(behandlet__isnull=True)
    assert aaben.beloeb == D("50.00")
    ompostering.refresh_from_db()
    assert (ompostering.fordelt, ompostering.venter) == (D("450.00"), D("50.00"))
    fb = Fordring.objects.get(pk=s.fb.pk)
    assert fb.posteringer.filter(art="DAEKNING", valoerdato=dt.date(2025, 1, 28)).count() == 2
    invarianter()


@pytest.mark.parametrize(
    ("valg", "fejl"),
    [
        (
            {"kanal": "", "overfoersel": Overfoersel.KUNDEKONTO, "ny_modtager": None},
            "Overførsel til kundens konto kan kun vælges med en alternativ modtager.",
        ),
        ({"kanal": "KONTANT"}, "Vælg udbetalingsform: NemKonto eller check."),
        (
            {"kanal": "", "overfoersel": "KONTANT"},
            "Vælg overførsel: SAP38, EFI eller kundens konto.",
        ),
        # Seed 004 trin 7: a transfer *or* a payout form.
        (
            {"kanal": ""},
            "Vælg enten en udbetalingsform (NemKonto eller check) eller en overførsel (SAP38, EFI "
            "eller kundens konto).",
        ),
        (
            {"overfoersel": Overfoersel.EFI},
            "Vælg enten en udbetalingsform eller en overførsel, ikke begge.",
        ),
        (
            {"ny_modtager": NyModtager(navn=" ", adresse=ADRESSE)},
            "Angiv navnet på den nye modtager.",
        ),
        (
            {"ny_modtager": NyModtager(navn="x" * 201, adresse=ADRESSE)},
            "Modtagerens navn må højst være 200 tegn.",
        ),
        (
            {"kanal": Udbetalingskanal.NEMKONTO, "ny_modtager": NyModtager(navn="Advokat Hansen")},
            "Udbetaling til NemKonto kræver modtagerens CPR- eller CVR-nummer.",
        ),
        (
            {
                "kanal": Udbetalingskanal.NEMKONTO,
                # Fails the CVR register's modulus-11 check, and is no CPR number.
                "ny_modtager": NyModtager(navn="Advokat Hansen", identifikation="12345678"),
            },
            "'12345678' er hverken et gyldigt CPR-nummer (DDMMÅÅ-XXXX) eller et gyldigt "
            "CVR-nummer (8 cifre).",
        ),
        (
            {
                "kanal": Udbetalingskanal.NEMKONTO,
                # Forty characters, as the API once took and cut to twenty.
                "ny_modtager": NyModtager(navn="Advokat Hansen", identifikation="1" * 40),
            },
            f"'{'1' * 40}' er hverken et gyldigt CPR-nummer (DDMMÅÅ-XXXX) eller et gyldigt "
            "CVR-nummer (8 cifre).",
        ),
        (
            {"ny_modtager": NyModtager(navn="Advokat Hansen", adresse="Boet")},
            "En check sendes med posten: angiv modtagerens fulde adresse med vej, husnummer, "
            "postnummer og by.",
        ),
        (
            {"ny_modtager": NyModtager(navn="Advokat Hansen", adresse=ADRESSE + "x" * 300)},
            "Adressen må højst være 300 tegn.",
        ),
        ({"beloeb": D("0.00")}, "Beløbet til udbetaling skal være større end 0,00 kr."),
        (
            {"beloeb": D("300.01")},
            "Det samlede beløb til dækning og udbetaling (500,01 kr.) må ikke være større end "
            "det samlede omposteringsbeløb (500,00 kr.).",
        ),
    ],
)
def test_payout_validation_is_danish_and_changes_nothing(bent, valg, fejl):
    s = opret(bent)
    felter = {
        "beloeb": D("300.00"),
        "kanal": Udbetalingskanal.CHECK,
        "ny_modtager": NyModtager(navn="Advokat Hansen", adresse=ADRESSE),
    } | valg
    foer = tilstand()
    with pytest.raises(ApplicationError) as info:
        ompostering_opret(
            user=bent,
            daekning_ids=[s.daekning.pk],
            aarsag_id=s.aarsag.pk,
            til_borger_id=s.bo.pk,
            fordeling=[NyDaekning(s.fb.pk, D("200.00"))],
            udbetaling=UdbetalingValg(**felter),
            idag=IDAG,
        )
    assert info.value.message == fejl
    assert tilstand() == foer
    assert not AlternativModtager.objects.exists()


@pytest.mark.parametrize(
    ("kanal", "ny", "gemt"),
    [
        (
            Udbetalingskanal.NEMKONTO,
            NyModtager(navn="Boet", identifikation="DK 1234 5674"),
            "12345674",
        ),
        (
            Udbetalingskanal.NEMKONTO,
            NyModtager(navn="Arving", identifikation="010190-1234"),
            "0101901234",
        ),
        (Udbetalingskanal.CHECK, NyModtager(navn="Boet", adresse=ADRESSE), ""),
    ],
)
def test_a_payable_new_recipient_is_stored_as_given_normalised(bent, kanal, ny, gemt):
    s = opret(bent)
    ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(s.fb.pk, D("200.00"))],
        udbetaling=UdbetalingValg(beloeb=D("300.00"), kanal=kanal, ny_modtager=ny),
        idag=IDAG,
    )
    modtager = AlternativModtager.objects.get()
    assert (modtager.navn, modtager.identifikation, modtager.adresse) == (
        ny.navn,
        gemt,
        ny.adresse,
    )


class FejlendeTransport:
    def send(self, besked):
        raise ConnectionError("modtageren svarer ikke")


def test_failed_delivery_is_retried_with_exponential_back_off_then_given_up(
    udbetaling_til_advokat, settings
):
    settings.KY_UDGAAENDE_TRANSPORT = (
        "tests.fordringer.ompostering.test_udbetaling.FejlendeTransport"
    )
    settings.KY_UDGAAENDE_MAKS_FORSOEG = 3
    besked = udgaaende_besked_opret(
        kommune_id=udbetaling_til_advokat[1].kommune_id,
        type=BeskedType.INDDRIVELSE_OPDATERING,
        noegle="test:genforsoeg",
        payload={"usecase": "18.05"},
    )
    nu = timezone.now()
    besked = udgaaende_besked_lever(besked_id=besked.pk, nu=nu)
    assert (besked.forsoeg, besked.naeste_forsoeg) == (1, nu + dt.timedelta(minutes=1))
    assert "modtageren svarer ikke" in besked.sidste_fejl
    besked = udgaaende_besked_lever(besked_id=besked.pk, nu=nu)
    assert besked.naeste_forsoeg == nu + dt.timedelta(minutes=2)
    besked = udgaaende_besked_lever(besked_id=besked.pk, nu=nu)
    assert (besked.status, besked.naeste_forsoeg) == (BeskedStatus.FEJLET, None)


def test_rolling_back_an_ompostering_restores_the_exact_earlier_state(bent, birgit):
    """Anna's 500,00 moved to Bo (200,00 on FB, 300,00 to a lawyer) and rolled back: FA and
    FB owe to the øre what they owed before (interest included), the payment covers FA again,
    the payout is rejected, and the ompostering cannot be rolled back twice."""
    s = opret(bent)
    foer = tilstand()
    ompostering = ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(s.fb.pk, D("200.00"))],
        udbetaling=UdbetalingValg(
            beloeb=D("250.00"),
            kanal=Udbetalingskanal.NEMKONTO,
            ny_modtager=NyModtager(navn="Advokat Hansen", identifikation="12345674"),
        ),
        idag=IDAG,
    )
    assert tilstand() != foer
    ompostering_tilbagefoer(
        user=birgit, ompostering_id=ompostering.pk, begrundelse="Fejlagtig ompostering", idag=IDAG
    )
    restancer, daekket, _posteringer, _omposteringer = tilstand()
    assert (restancer, daekket) == foer[:2]
    assert Fordring.objects.get(pk=s.fa.pk).restance == D("520.20")
    assert Udbetaling.objects.get().status == "AFVIST"
    assert not Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True).exists()
    invarianter()
    with pytest.raises(ConflictError, match="allerede tilbageført"):
        ompostering_tilbagefoer(
            user=birgit, ompostering_id=ompostering.pk, begrundelse="igen", idag=IDAG
        )


def test_an_approved_payout_stops_the_rollback(udbetaling_til_advokat, birgit):
    _s, ompostering, udbetaling = udbetaling_til_advokat
    udbetaling_godkend(user=birgit, udbetaling_id=udbetaling.pk)
    foer = tilstand()
    with pytest.raises(ApplicationError, match="godkendt"):
        ompostering_tilbagefoer(
            user=birgit, ompostering_id=ompostering.pk, begrundelse="for sent", idag=IDAG
        )
    assert tilstand() == foer
