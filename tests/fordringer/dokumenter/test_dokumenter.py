"""Every document renders for the demo data and says what the ledger says (issue #20).

The PDFs are read back with pypdf: a figure that is not in the text a reader copies is not in
the document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from fordringer.choices import DokumentStatus, PosteringArt
from fordringer.dokumenter.services import (
    kontooversigt_bestil,
    kontoudtog_bestil,
    samling_brev_bestil,
)
from fordringer.konto.selectors import kontoudtog, restance_fra_ledger
from fordringer.models import (
    Dokument,
    Fordring,
    OmposteringAarsag,
    Parkering,
    Postering,
    Udbetaling,
    UdgaaendeBesked,
)
from fordringer.ompostering.services import ompostering_automatisk
from fordringer.ompostering.udbetaling import udbetaling_godkend
from fordringer.samling.services import samlingsbeslutning_opret
from ky_debitor.money import NUL
from ky_debitor.visning import beloeb as kr
from ky_debitor.visning import dato
from tests.fordringer.samling import samling_data

from .dokument_data import NOTE, demodata, demokonto, ompostering_til_advokat, pdf_bytes, pdf_tekst

pytestmark = pytest.mark.django_db


def test_kontoudtog_of_a_demo_konto_shows_every_entry_and_the_ledgers_balance(bent):
    demodata()
    konto = demokonto()
    dokument = kontoudtog_bestil(user=bent, konto_id=konto.pk)

    assert dokument.status == DokumentStatus.FAERDIG
    assert dokument.sha256 == hashlib.sha256(pdf_bytes(dokument)).hexdigest()
    tekst = pdf_tekst(dokument.pdf)
    linjer = kontoudtog(konto)
    assert len(linjer) == Postering.objects.filter(fordring__konto=konto).count() > 3
    for linje in linjer:
        # the amount and the running balance after it, side by side on the line
        assert f"{kr(linje.beloeb)} {kr(linje.saldo)}" in tekst, linje
        assert f"{dato(linje.dato)} {linje.fordringsid}" in tekst
    restance = sum((restance_fra_ledger(f) for f in konto.fordringer.all()), NUL)
    assert f"Saldo ultimo {kr(restance)} kr." in tekst
    assert "Saldo primo 0,00 kr." in tekst
    daekket = sum(
        (p.beloeb for p in Postering.objects.filter(fordring__konto=konto, art="DAEKNING")), NUL
    )
    assert f"Indbetalt (dækninger) {kr(daekket)} kr." in tekst
    # letterhead, masked CPR, page numbers
    assert "Københavns Kommune" in tekst
    assert f"CPR-nr. {konto.borger.cpr_maskeret}" in tekst
    assert konto.borger.cpr not in tekst.replace("-", "")
    assert "Side 1 af" in tekst


def test_a_period_starts_from_the_balance_before_it_and_ends_at_its_last_day(bent):
    demodata()
    konto = demokonto()
    linjer = kontoudtog(konto)
    midt = linjer[len(linjer) // 2].dato
    fra, til = midt, midt + dt.timedelta(days=400)
    dokument = kontoudtog_bestil(user=bent, konto_id=konto.pk, fra=fra, til=til)
    tekst = pdf_tekst(dokument.pdf)

    foer = [linje for linje in linjer if linje.dato < fra]
    inden = [linje for linje in linjer if fra <= linje.dato <= til]
    primo = foer[-1].saldo if foer else NUL
    ultimo = inden[-1].saldo if inden else primo
    assert f"Saldo primo {kr(primo)} kr." in tekst
    assert f"Saldo ultimo {kr(ultimo)} kr." in tekst
    assert f"Periode {dato(fra)} \N{EN DASH} {dato(til)}" in tekst
    for linje in linjer:
        inde = f"{dato(linje.dato)} {linje.fordringsid}" in tekst
        assert inde == (fra <= linje.dato <= til), linje


def test_kontooversigt_shows_every_konto_the_restance_per_claim_and_what_is_parked_and_why(
    bent,
):
    demodata()
    konto = demokonto()
    borger = konto.borger
    dokument = kontooversigt_bestil(user=bent, borger_id=borger.pk)
    tekst = pdf_tekst(dokument.pdf)

    total = NUL
    for k in borger.konti.all():
        assert f"Debitorkonto {k.kontonummer}" in tekst
        for f in Fordring.objects.filter(konto=k):
            assert f.restance == restance_fra_ledger(f)
            assert f.fordringsid in tekst
            assert f"{kr(f.hovedstol)} {kr(f.restance)}" in tekst
            total += f.restance
    assert f"Restance i alt {kr(total)} kr." in tekst
    parkeret = sum(
        (p.beloeb for p in Parkering.objects.filter(konto__borger=borger, frigivet__isnull=True)),
        NUL,
    )
    assert parkeret > 0, "the demo konto has parked dækninger"
    assert f"Parkerede dækninger og afskrivninger {kr(parkeret)} kr." in tekst
    assert "Kontoen er endnu ikke knyttet til en sag i KY." in tekst


def test_an_ompostering_sends_letters_to_both_borgere_and_the_alternative_recipient(
    bent, django_capture_on_commit_callbacks
):
    """Seed 004: the booking orders the letters; after commit they are rendered and sent."""
    with django_capture_on_commit_callbacks(execute=True):
        _s, ompostering = ompostering_til_advokat(bent)
    breve = {d.modtager_navn: d for d in Dokument.objects.filter(ompostering=ompostering)}
    assert set(breve) == {"Anna Andersen", "Bo Berg", "Advokat Hansen"}
    assert all(d.status == DokumentStatus.FAERDIG and d.send for d in breve.values())

    anna = pdf_tekst(breve["Anna Andersen"].pdf)
    assert "Vi har omposteret en indbetaling" in anna
    assert "500,00 kr." in anna and "28-01-2025" in anna
    assert "Indbetalingen er placeret på en forkert borger" in anna  # the reason as booked
    assert NOTE in anna  # the 255-character note
    assert "FA K-A 500,00" in anna  # what moved from her claim
    assert "FB En anden borgers konto 200,00" in anna
    assert "Bo Berg" not in anna and "Advokat Hansen" not in anna  # nobody else's data
    assert "CPR-nr. 020280-****" in anna

    bo = pdf_tekst(breve["Bo Berg"].pdf)
    assert "FB K-B 200,00" in bo
    assert "Anna Andersen" not in bo
    assert "300,00 kr. udbetales til Advokat Hansen via NemKonto" in bo

    advokat = pdf_tekst(breve["Advokat Hansen"].pdf)
    assert "Meddelelse om ompostering og udbetaling" in advokat
    assert "vedrørende Bo Berg (CPR-nr. 030380-****)" in advokat
    assert "Vestergade 1, 8000 Aarhus C" in advokat
    assert NOTE in advokat
    assert "300,00 kr. udbetales til Advokat Hansen via NemKonto" in advokat


def test_an_approved_payout_sends_the_recipient_a_payout_notice(
    bent, birgit, django_capture_on_commit_callbacks
):
    _s, ompostering = ompostering_til_advokat(bent)
    udbetaling = Udbetaling.objects.get(ompostering=ompostering)
    with django_capture_on_commit_callbacks(execute=True):
        udbetaling_godkend(user=birgit, udbetaling_id=udbetaling.pk)
    meddelelse = Dokument.objects.get(udbetaling=udbetaling, type="UDBETALING")
    tekst = pdf_tekst(meddelelse.pdf)
    assert "Meddelelse om udbetaling" in tekst
    assert "udbetaler 300,00 kr. til Advokat Hansen vedrørende Bo Berg" in tekst
    assert "Udbetalingsform NemKonto" in tekst
    assert "Status Godkendt" in tekst
    assert meddelelse.modtager_navn == "Advokat Hansen"


def test_the_samling_letter_names_the_konti_merged_and_the_amount(alice):
    d = samling_data.opret()
    beslutning = samlingsbeslutning_opret(
        user=alice,
        konto_id=d.kmd.pk,
        beslutning="SAML",
        begrundelse="Samme ydelse, samme borger",
        ky_konto_id=d.ky.pk,
        idag=dt.date(2025, 3, 10),
    )
    brev = samling_brev_bestil(user=alice, beslutning_id=beslutning.pk)
    tekst = pdf_tekst(brev.pdf)
    assert "Vi har samlet dine konti" in tekst
    assert f"debitorkonto {d.kmd.kontonummer}" in tekst
    assert f"debitorkonto {d.ky.kontonummer}" in tekst
    assert "Samlet restance 1.500,00 kr." in tekst
    for f in (d.f1, d.f2):
        assert f.fordringsid in tekst
    assert "Din gæld er ikke blevet større eller mindre" in tekst
    assert brev.send and brev.samlingsbeslutning == beslutning


def test_interest_and_omposteringer_are_on_the_kontoudtog_as_on_screen(
    bent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        s, _o = ompostering_til_advokat(bent)
    for konto, fordring in ((s.fa.konto, s.fa), (s.fb.konto, s.fb)):
        dokument = kontoudtog_bestil(user=bent, konto_id=konto.pk)
        tekst = pdf_tekst(dokument.pdf)
        linjer = kontoudtog(konto)
        assert any(linje.art == "Ompostering" for linje in linjer)
        for linje in linjer:
            assert f"{kr(linje.beloeb)} {kr(linje.saldo)}" in tekst
        assert "Ompostering" in tekst
        renter = sum(
            (p.beloeb for p in fordring.posteringer.filter(art=PosteringArt.RENTE)), Decimal(0)
        )
        assert renter > 0
        fordring.refresh_from_db()
        assert f"Saldo ultimo {kr(fordring.restance)} kr." in tekst


def test_an_ompostering_on_demo_data_sends_a_letter_with_the_figures_moved(
    bent, django_capture_on_commit_callbacks
):
    """The demo kommune after its linking run: "Lad system ompostere" on one of its dækninger;
    the borger's letter names each claim and amount the booking moved."""
    demodata(konti=30)
    call_command("sagstilknytning", "--kommune", "101", stdout=io.StringIO())
    daekning = (
        Postering.objects.filter(
            kommune__kode=101,
            art=PosteringArt.DAEKNING,
            tilbagefoert_af__isnull=True,
            parkering__isnull=True,
        )
        .select_related("fordring__konto")
        .order_by("pk")
        .first()
    )
    assert daekning is not None
    with django_capture_on_commit_callbacks(execute=True):
        ompostering = ompostering_automatisk(
            user=bent,
            daekning_ids=[daekning.pk],
            aarsag_id=OmposteringAarsag.objects.filter(aktiv=True).order_by("pk")[0].pk,
            fra_borger_id=daekning.fordring.konto.borger_id,
        )
    brev = Dokument.objects.get(ompostering=ompostering)
    tekst = pdf_tekst(pdf_bytes(brev))
    assert f"flyttet en indbetaling på {kr(ompostering.beloeb)} kr." in tekst
    assert ompostering.aarsag_tekst in tekst
    for link in ompostering.posteringer.exclude(rolle="RENTE").select_related(
        "postering__fordring__konto"
    ):
        p = link.postering
        assert f"{p.fordring.fordringsid} {p.fordring.konto.kontonummer} {kr(abs(p.beloeb))}" in (
            tekst
        )
    assert UdgaaendeBesked.objects.filter(noegle=f"digitalpost:dokument:{brev.pk}").exists()


def test_undoing_an_ompostering_tells_both_borgere_why_and_what_stands_again(
    bent, birgit, django_capture_on_commit_callbacks
):
    """A person undoes a mistaken ompostering: each borger it touched gets a letter saying the
    dækninger stand again as before, with the reason given for the undo."""
    from fordringer.ompostering.tilbagefoersel import ompostering_tilbagefoer

    with django_capture_on_commit_callbacks(execute=True):
        _s, ompostering = ompostering_til_advokat(bent)
    foer = set(Dokument.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        ompostering_tilbagefoer(
            user=birgit, ompostering_id=ompostering.pk, begrundelse="Fejl i valg af borger"
        )
    breve = {
        d.modtager_navn: d
        for d in Dokument.objects.exclude(pk__in=foer).filter(ompostering=ompostering)
    }
    assert set(breve) == {"Anna Andersen", "Bo Berg"}
    assert all(d.status == DokumentStatus.FAERDIG and d.send for d in breve.values())

    anna = pdf_tekst(breve["Anna Andersen"].pdf)
    assert "Vi har tilbageført en ompostering" in anna
    assert "Fejl i valg af borger" in anna
    assert "Beløbet er ført tilbage til Fordring Debitorkonto Beløb FA K-A 500,00 Bel" in anna
    assert "Bo Berg" not in anna and "Advokat Hansen" not in anna
    bo = pdf_tekst(breve["Bo Berg"].pdf)
    assert "Beløbet er taget tilbage fra Fordring Debitorkonto Beløb FB K-B 200,00 Omp" in bo
    assert "udbetales til Advokat" not in bo  # the payout fell away with the undo
