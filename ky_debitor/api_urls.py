"""The API's URLs under /api/v1/ (namespace ``api``): every app's ``api.py`` wired in.

Every name here has its row in ``adgang.ADGANG``.
"""

from django.urls import path, register_converter

from fordringer.debitorsystem import api as debitorsystem
from fordringer.dokumenter import api as dokumenter
from fordringer.eindkomst.api import afstemning as eindkomst_afstemning
from fordringer.eindkomst.api import efterregulering as eindkomst_efterregulering
from fordringer.indberetning import api as eindkomst_forsendelse
from fordringer.konto import api as fordringer
from fordringer.ompostering import api as ompostering
from fordringer.rente import api as rente
from fordringer.rykker import api as rykker
from fordringer.samling import api as samling
from opgavepakker import api as opgavepakker
from rapporter import api as rapporter
from sagstilknytning import api as sagstilknytning

from .api import IdConverter

register_converter(IdConverter, "id")

app_name = "api"

urlpatterns = [
    path("borgere/soeg/", fordringer.BorgerSoeg.as_view(), name="borger_soeg"),
    path("borgere/<id:pk>/", fordringer.BorgerDetalje.as_view(), name="borger"),
    path("debitorkonti/", fordringer.DebitorkontoListe.as_view(), name="debitorkonto_liste"),
    path("debitorkonti/<id:pk>/", fordringer.DebitorkontoDetalje.as_view(), name="debitorkonto"),
    path("fordringer/", fordringer.FordringListe.as_view(), name="fordring_liste"),
    path("fordringer/<id:pk>/", fordringer.FordringDetalje.as_view(), name="fordring"),
    path("fordringer/<id:pk>/rykker/", rykker.Rykker.as_view(), name="fordring_rykker"),
    path("posteringer/", fordringer.PosteringListe.as_view(), name="postering_liste"),
    path("indbetalinger/", fordringer.IndbetalingListe.as_view(), name="indbetaling_liste"),
    path("indbetalinger/<id:pk>/", fordringer.IndbetalingDetalje.as_view(), name="indbetaling"),
    path(
        "samling/vurderingsliste/",
        samling.Vurderingsliste.as_view(),
        name="samling_vurderingsliste",
    ),
    path(
        "maanedlige-samlinger/<id:pk>/udfoert/",
        samling.MaanedligSamlingAfslut.as_view(),
        name="maanedlig_samling_afslut",
    ),
    path("dokumenter/", dokumenter.DokumentListe.as_view(), name="dokument_liste"),
    path("dokumenter/<id:pk>/", dokumenter.DokumentDetalje.as_view(), name="dokument"),
    path("dokumenter/<id:pk>/pdf/", dokumenter.DokumentPdf.as_view(), name="dokument_pdf"),
    path(
        "dokumenter/<id:pk>/send-igen/",
        dokumenter.DokumentGensend.as_view(),
        name="dokument_gensend",
    ),
    path(
        "debitorkonti/<id:pk>/kontoudtog/",
        dokumenter.KontoudtogBestil.as_view(),
        name="kontoudtog_bestil",
    ),
    path(
        "borgere/<id:pk>/kontooversigt/",
        dokumenter.KontooversigtBestil.as_view(),
        name="kontooversigt_bestil",
    ),
    path(
        "samlingsbeslutninger/<id:pk>/brev/",
        dokumenter.SamlingBrevBestil.as_view(),
        name="samling_brev_bestil",
    ),
    path("omposteringer/", ompostering.OmposteringOpret.as_view(), name="ompostering_opret"),
    path(
        "omposteringer/<id:pk>/tilbagefoer/",
        ompostering.OmposteringTilbagefoer.as_view(),
        name="ompostering_tilbagefoer",
    ),
    path("udbetalinger/", ompostering.UdbetalingListe.as_view(), name="udbetaling_liste"),
    path(
        "sagsbehandlerfordeling/",
        ompostering.SagsbehandlerfordelingListe.as_view(),
        name="sagsbehandlerfordeling_liste",
    ),
    path(
        "sagsbehandlerfordeling/<id:pk>/fordel/",
        ompostering.SagsbehandlerfordelingFordel.as_view(),
        name="sagsbehandlerfordeling_fordel",
    ),
    path(
        "sagsbehandlerfordeling/<id:pk>/til-kunden/",
        ompostering.SagsbehandlerfordelingTilKunden.as_view(),
        name="sagsbehandlerfordeling_til_kunden",
    ),
    path(
        "sagsbehandlerfordeling/<id:pk>/adresser/",
        ompostering.SagsbehandlerfordelingAdresser.as_view(),
        name="sagsbehandlerfordeling_adresser",
    ),
    path(
        "sagsbehandlerfordeling/<id:pk>/udbetal/",
        ompostering.SagsbehandlerfordelingUdbetal.as_view(),
        name="sagsbehandlerfordeling_udbetal",
    ),
    path(
        "sagsbehandlerfordeling/<id:pk>/tilbagebetal/",
        ompostering.SagsbehandlerfordelingTilbagebetal.as_view(),
        name="sagsbehandlerfordeling_tilbagebetal",
    ),
    path("kundekreditter/", ompostering.KundekreditListe.as_view(), name="kundekredit_liste"),
    path(
        "udbetalinger/<id:pk>/godkend/",
        ompostering.UdbetalingGodkend.as_view(),
        name="udbetaling_godkend",
    ),
    path(
        "udbetalinger/<id:pk>/afvis/",
        ompostering.UdbetalingAfvis.as_view(),
        name="udbetaling_afvis",
    ),
    path(
        "debitorsystem/daekninger/",
        debitorsystem.DebitorsystemDaekning.as_view(),
        name="debitorsystem_daekning",
    ),
    path(
        "debitorsystem/kontostatus/",
        debitorsystem.DebitorsystemKontostatus.as_view(),
        name="debitorsystem_kontostatus",
    ),
    path("opgavepakker/", opgavepakker.OpgavepakkeListe.as_view(), name="opgavepakke_liste"),
    path("opgavepakker/burndown/", opgavepakker.Burndown.as_view(), name="burndown"),
    path("opgaver/", opgavepakker.OpgaveListe.as_view(), name="opgave_liste"),
    path("opgaver/<id:pk>/", opgavepakker.OpgaveDetalje.as_view(), name="opgave"),
    path("opgaver/<id:pk>/tag/", opgavepakker.OpgaveTag.as_view(), name="opgave_tag"),
    path("opgaver/<id:pk>/afslut/", opgavepakker.OpgaveAfslut.as_view(), name="opgave_afslut"),
    path("rentekoersler/start/", rente.RentekoerselStart.as_view(), name="rentekoersel_start"),
    path("rentekoersler/<id:pk>/", rente.RentekoerselDetalje.as_view(), name="rentekoersel"),
    path(
        "rentekoersler/<id:pk>/annuller/",
        rente.RentekoerselAnnuller.as_view(),
        name="rentekoersel_annuller",
    ),
    path(
        "rentekoersler/<id:pk>/genoptag/",
        rente.RentekoerselGenoptag.as_view(),
        name="rentekoersel_genoptag",
    ),
    path("koersler/", sagstilknytning.KoerselListe.as_view(), name="koersel_liste"),
    path("koersler/start/", sagstilknytning.KoerselStart.as_view(), name="koersel_start"),
    path("koersler/<id:pk>/", sagstilknytning.KoerselDetalje.as_view(), name="koersel"),
    path(
        "koersler/<id:pk>/annuller/",
        sagstilknytning.KoerselAnnuller.as_view(),
        name="koersel_annuller",
    ),
    path(
        "koersler/<id:pk>/genoptag/",
        sagstilknytning.KoerselGenoptag.as_view(),
        name="koersel_genoptag",
    ),
    path(
        "koersler/<id:pk>/beslutninger/",
        sagstilknytning.BeslutningListe.as_view(),
        name="beslutning_liste",
    ),
    path("rapporter/", rapporter.RapportListe.as_view(), name="rapport_liste"),
    path("eksporter/", rapporter.EksportListe.as_view(), name="eksport_liste"),
    path("eksporter/bestil/", rapporter.EksportBestil.as_view(), name="eksport_bestil"),
    path("eksporter/<id:pk>/", rapporter.EksportDetalje.as_view(), name="eksport"),
    path("eksporter/<id:pk>/fil/", rapporter.EksportFil.as_view(), name="eksport_fil"),
    path(
        "eindkomst/efterreguleringer/",
        eindkomst_efterregulering.EfterreguleringListe.as_view(),
        name="eindkomst_efterreguleringer",
    ),
    path("eindkomst/manuel/", eindkomst_afstemning.ManuelListe.as_view(), name="eindkomst_manuel"),
    path(
        "eindkomst/manuel/<id:pk>/annuller/",
        eindkomst_afstemning.ManuelAnnuller.as_view(),
        name="eindkomst_manuel_annuller",
    ),
    path(
        "eindkomst/afstemning/",
        eindkomst_afstemning.AfstemningVis.as_view(),
        name="eindkomst_afstemning",
    ),
    path(
        "eindkomst/forsendelser/",
        eindkomst_forsendelse.ForsendelseListe.as_view(),
        name="eindkomst_forsendelse_liste",
    ),
    path(
        "eindkomst/forsendelser/<id:pk>/",
        eindkomst_forsendelse.ForsendelseDetalje.as_view(),
        name="eindkomst_forsendelse",
    ),
    path(
        "eindkomst/forsendelser/<id:pk>/send-igen/",
        eindkomst_forsendelse.ForsendelseSendIgen.as_view(),
        name="eindkomst_forsendelse_send_igen",
    ),
]
