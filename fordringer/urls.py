"""The caseworker's screens of the money side."""

from django.urls import path

from fordringer.dokumenter import views as views_dokumenter
from fordringer.eindkomst.views import afstemning as views_afstemning
from fordringer.eindkomst.views import efterregulering as views_efterregulering
from fordringer.importer import views as views_importer
from fordringer.indberetning import views as views_forsendelse
from fordringer.konto import views
from fordringer.ompostering import views as views_ompostering
from fordringer.rykker import views as views_rykker
from fordringer.samling import views as views_samling
from fordringer.udbakke import views as views_drift

urlpatterns = [
    path("", views.start, name="start"),
    path("borgere/soeg/", views.borger_soeg, name="borger_soeg"),
    path("borgere/<int:pk>/", views.borger_detalje, name="borger"),
    path("konti/<int:pk>/", views.debitorkonto_detalje, name="debitorkonto"),
    path("fordringer/<int:pk>/", views.fordring_detalje, name="fordring"),
    path("fordringer/<int:pk>/rykker/", views_rykker.rykker_send, name="fordring_rykker"),
    path("indbetalinger/<int:pk>/", views.indbetaling_detalje, name="indbetaling"),
    # Documents: kontoudtog, kontooversigt and letters (issue #20)
    path("konti/<int:pk>/dokumenter/", views_dokumenter.dokumenter_konto, name="dokumenter_konto"),
    path(
        "borgere/<int:pk>/dokumenter/", views_dokumenter.dokumenter_borger, name="dokumenter_borger"
    ),
    path("dokumenter/<int:pk>/", views_dokumenter.dokument_detalje, name="dokument"),
    path("dokumenter/<int:pk>/pdf/", views_dokumenter.dokument_hent, name="dokument_hent"),
    path(
        "dokumenter/<int:pk>/send-igen/",
        views_dokumenter.dokument_gensend,
        name="dokument_gensend",
    ),
    path(
        "samlingsbeslutninger/<int:pk>/brev/",
        views_dokumenter.dokument_samling_brev,
        name="dokument_samling_brev",
    ),
    # Vurder, saml og frigiv debitorkonto (seed 000)
    path("samling/", views_samling.samling_liste, name="samling_liste"),
    path("konti/<int:pk>/samling/", views_samling.samling_vurder, name="samling_vurder"),
    path("konti/<int:pk>/samling/beslut/", views_samling.samling_beslut, name="samling_beslut"),
    # Omposter fordeling (seed 004)
    path(
        "borgere/<int:pk>/ompostering/",
        views_ompostering.ompostering_soeg,
        name="ompostering_soeg",
    ),
    path(
        "ompostering/bekraeft/", views_ompostering.ompostering_bekraeft, name="ompostering_bekraeft"
    ),
    path(
        "ompostering/fordeling/",
        views_ompostering.ompostering_fordeling,
        name="ompostering_fordeling",
    ),
    path("ompostering/godkend/", views_ompostering.ompostering_godkend, name="ompostering_godkend"),
    path(
        "omposteringer/<int:pk>/",
        views_ompostering.ompostering_kvittering,
        name="ompostering_kvittering",
    ),
    path(
        "omposteringer/<int:pk>/tilbagefoer/",
        views_ompostering.ompostering_tilbagefoer_view,
        name="ompostering_tilbagefoer",
    ),
    path("udbetalinger/", views_ompostering.udbetalinger, name="udbetalinger"),
    path(
        "udbetalinger/<int:pk>/behandl/",
        views_ompostering.udbetaling_behandl,
        name="udbetaling_behandl",
    ),
    path(
        "sagsbehandlerfordeling/",
        views_ompostering.sagsbehandlerfordeling,
        name="sagsbehandlerfordeling",
    ),
    path(
        "sagsbehandlerfordeling/<int:pk>/",
        views_ompostering.sagsbehandlerfordeling_post,
        name="sagsbehandlerfordeling_post",
    ),
    path(
        "sagsbehandlerfordeling/<int:pk>/adresser/",
        views_ompostering.sagsbehandlerfordeling_adresser_view,
        name="sagsbehandlerfordeling_adresser",
    ),
    # Drift: the debitorsystem integration's outbox and readiness (seed 003)
    path("drift/udbakke/", views_drift.drift_udbakke, name="drift_udbakke"),
    path(
        "drift/udbakke/<int:pk>/proev-igen/",
        views_drift.drift_udbakke_proev_igen,
        name="drift_udbakke_proev_igen",
    ),
    # eIndkomst: lines written after their income year's deadline (seed 002)
    path(
        "eindkomst/efterreguleringer/",
        views_efterregulering.efterreguleringer_liste,
        name="efterreguleringer",
    ),
    # eIndkomst: amounts the kommune reported by hand (seed 000) and the reconciliation
    path("eindkomst/manuel/", views_afstemning.eindkomst_manuel, name="eindkomst_manuel"),
    path(
        "eindkomst/manuel/opret/",
        views_afstemning.eindkomst_manuel_opret_view,
        name="eindkomst_manuel_opret",
    ),
    path(
        "eindkomst/manuel/importer/",
        views_importer.eindkomst_manuel_importer_view,
        name="eindkomst_manuel_importer",
    ),
    path(
        "eindkomst/manuel/<int:pk>/annuller/",
        views_afstemning.eindkomst_manuel_annuller_view,
        name="eindkomst_manuel_annuller",
    ),
    path(
        "eindkomst/afstemning/",
        views_afstemning.eindkomst_afstemning_view,
        name="eindkomst_afstemning",
    ),
    # eIndkomst: the daily batches, their rows, "Send igen"
    path(
        "eindkomst/forsendelser/",
        views_forsendelse.forsendelse_liste,
        name="eindkomst_forsendelser",
    ),
    path(
        "eindkomst/forsendelser/<int:pk>/",
        views_forsendelse.forsendelse_detalje,
        name="eindkomst_forsendelse",
    ),
    path(
        "eindkomst/forsendelser/<int:pk>/send-igen/",
        views_forsendelse.forsendelse_send_igen,
        name="eindkomst_forsendelse_send_igen",
    ),
]
