"""Who may use which URL: the one permission table of KY Debitor (issue #8).

``ADGANG`` names, for every URL name — screens, admin and API — the roles that may use it.
One mechanism reads it: ``AdgangMiddleware`` for every request of a logged-in person and
``api_adgang.AdgangTabel`` for the API (after token authentication, which runs inside DRF). A URL
name missing from the table is refused (fail closed), and the enumerating test
(``tests/test_adgang.py``) walks every URL by every role by own and foreign kommune against it.

The admin's model screens are not listed one by one: a role may use
``admin:<app>_<model>_<handling>`` when its group holds the model permission the handling
needs (``roles.GRUPPE_RETTIGHEDER``), so the admin's own permission check and this table can
never disagree. The admin additionally requires ``is_staff``; every list is still scoped to
the person's kommune.

Being allowed a URL is not being allowed every object behind it: rows of another kommune are
a 404 (``tenancy.for_user``), and services refuse what the state does not allow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from rest_framework.request import Request

    from .models import Bruger

from .roles import GRUPPE_RETTIGHEDER, Rolle, has_role, rettighed_matcher

# Every role of a kommune. The national administrator (``Rolle.NATIONAL``) has no kommune and
# no citizen: the start page and the admin (the national tables, the national audit trail).
ALLE = frozenset(Rolle) - {Rolle.NATIONAL}
INGEN: frozenset[Rolle] = frozenset()  # platform operators (superusers) only
# No login needed: logging on and off. Every other URL needs a person or a token with a role.
# The SAML endpoints (``saml``) are the IdP's way in and out: metadata, login, assertions, logout.
OFFENTLIGE = frozenset(
    {
        "login",
        "logout",
        "admin:login",
        "admin:logout",
        "saml2_metadata",
        "saml2_login",
        "saml2_acs",
        "saml2_ls",
        "saml2_ls_post",
    }
)
SB, BH, PL, DR = Rolle.SAGSBEHANDLER, Rolle.BOGHOLDER, Rolle.PROJEKTLEDER, Rolle.DRIFT
ARBEJDSRUM = frozenset({SB, PL})  # "Mine opgaver" and the "Opret fordringssag" screens
RAPPORTER = frozenset({SB, PL})  # "Dataudtræk": the project lead's reports
KOERSEL_LAESERE = frozenset({DR, PL})  # Drift runs the linking; the project lead follows it
OMPOSTERING = frozenset({SB, BH})  # Omposter fordeling (seed 004): caseworker and bookkeeper
# The debitorsystem's messages come with an API key Drift made for it (the view refuses a
# person's session); Drift alone watches the integration's outbox and readiness.
DEBITORSYSTEM = frozenset({DR})
# Vurder, saml og frigiv debitorkonto (seed 000): the caseworker decides, others may look.
SAMLING_LAESERE = frozenset({SB, BH, PL})
# eIndkomst's money: the bookkeeper records what was reported by hand; the reconciliation is
# the bookkeeper's and the project lead's to read.
EINDKOMST_BOGHOLDER = frozenset({BH})
EINDKOMST_AFSTEMNING = frozenset({BH, PL})
# Granting: making an API key and giving a person a role. Each grants only roles they hold
# themselves and a key acts as the person who made it (``rolletildeling``, ``api_noegler``);
# platform operators grant any role.
TILDELING = frozenset({DR})
# eIndkomst's efterreguleringer (seed 002): the bookkeeper, the project lead and the caseworker.
EINDKOMST_LAESERE = frozenset({SB, BH, PL})
# eIndkomst's daily batches: the bookkeeper and the project lead read them.
FORSENDELSE_LAESERE = frozenset({BH, PL})
# Documents for a borger (issue #20): the caseworker and the bookkeeper, who answer the
# citizen; only the bookkeeper sends a letter again.
DOKUMENTER = frozenset({SB, BH})
DOKUMENT_GENSEND = frozenset({BH})
# A reminder and its fee (issue #19): the caseworker and the bookkeeper, who answer the citizen.
RYKKER = frozenset({SB, BH})

ADGANG: dict[str, frozenset[Rolle]] = {
    # Screens: fordringer
    "start": ALLE | {Rolle.NATIONAL},
    "borger_soeg": ALLE,
    "borger": ALLE,
    "debitorkonto": ALLE,
    "fordring": ALLE,
    "fordring_rykker": RYKKER,
    "indbetaling": ALLE,
    # Screens: documents (issue #20)
    "dokumenter_konto": DOKUMENTER,
    "dokumenter_borger": DOKUMENTER,
    "dokument": DOKUMENTER,
    "dokument_hent": DOKUMENTER,
    "dokument_gensend": DOKUMENT_GENSEND,
    "dokument_samling_brev": DOKUMENTER,
    # Screens: Vurder, saml og frigiv debitorkonto (seed 000)
    "samling_liste": SAMLING_LAESERE,
    "samling_vurder": SAMLING_LAESERE,
    "samling_beslut": frozenset({SB}),
    # Screens: Omposter fordeling (seed 004); only the Bogholder approves payouts (four eyes)
    "ompostering_soeg": OMPOSTERING,
    "ompostering_bekraeft": OMPOSTERING,
    "ompostering_fordeling": OMPOSTERING,
    "ompostering_godkend": OMPOSTERING,
    "ompostering_kvittering": OMPOSTERING,
    "ompostering_tilbagefoer": OMPOSTERING,
    "sagsbehandlerfordeling": OMPOSTERING,
    "sagsbehandlerfordeling_post": OMPOSTERING,
    "sagsbehandlerfordeling_adresser": OMPOSTERING,
    "udbetalinger": frozenset({BH}),
    "udbetaling_behandl": frozenset({BH}),
    # Screens: Drift's view of the debitorsystem integration (outbox and readiness, seed 003)
    "drift_udbakke": DEBITORSYSTEM,
    "drift_udbakke_proev_igen": DEBITORSYSTEM,
    # Screens: opgavepakker
    "mine_opgaver": ARBEJDSRUM,
    "opgave_liste": ARBEJDSRUM,
    "opgaver_tildel": frozenset({PL}),
    "manglende_ydelsestype": ARBEJDSRUM,
    "opgave": ARBEJDSRUM,
    "opgave_tag": ARBEJDSRUM,
    "opgave_aflever": ARBEJDSRUM,
    "opgave_kvittering": ARBEJDSRUM,
    "naeste_opgave": ARBEJDSRUM,
    # "Månedlig samling" (seed 000): the list for both, marking one done for the caseworker
    "maanedlige_samlinger": ARBEJDSRUM,
    "maanedlig_samling_afslut": frozenset({SB}),
    # Screens: rapporter
    "dataudtraek": RAPPORTER,
    "udtraek_hent": RAPPORTER,
    "mine_udtraek": RAPPORTER,
    "eksport": RAPPORTER,
    "eksport_fil": RAPPORTER,
    # Admin: the run's own screens (only Drift starts, cancels and resumes runs)
    "admin:sagstilknytning_sagstilknytningskoersel_start": frozenset({DR}),
    "admin:sagstilknytning_sagstilknytningskoersel_annuller": frozenset({DR}),
    "admin:sagstilknytning_sagstilknytningskoersel_genoptag": frozenset({DR}),
    "admin:sagstilknytning_sagstilknytningskoersel_fremdrift": KOERSEL_LAESERE,
    # Admin: interest runs are started and resumed by Drift, as the linking runs are
    "admin:fordringer_rentekoersel_start": frozenset({DR}),
    "admin:fordringer_rentekoersel_annuller": frozenset({DR}),
    "admin:fordringer_rentekoersel_genoptag": frozenset({DR}),
    "admin:fordringer_rentekoersel_fremdrift": KOERSEL_LAESERE,
    "admin:fordringer_rentekoersel_add": INGEN,
    # Granting: an API key is made only by the TILDELING roles, with a role its maker holds.
    "admin:ky_debitor_apinoegle_add": TILDELING,
    # A run is started through "_start" (the service), never added as a bare row.
    "admin:sagstilknytning_sagstilknytningskoersel_add": INGEN,
    # Setting another person's password: no role holds ``change_bruger``.
    "admin:auth_user_password_change": INGEN,
    # API: documentation
    "api-schema": ALLE,
    "api-docs": ALLE,
    # API: fordringer (read)
    "api:borger_soeg": ALLE,
    "api:borger": ALLE,
    "api:debitorkonto_liste": ALLE,
    "api:debitorkonto": ALLE,
    "api:fordring_liste": ALLE,
    "api:fordring": ALLE,
    "api:postering_liste": ALLE,
    "api:indbetaling_liste": ALLE,
    "api:indbetaling": ALLE,
    # API: Vurder, saml og frigiv debitorkonto (seed 000) and "Månedlig samling"
    "api:samling_vurderingsliste": SAMLING_LAESERE,
    "api:maanedlig_samling_afslut": frozenset({SB}),
    # API: documents (issue #20)
    "api:dokument_liste": DOKUMENTER,
    "api:dokument": DOKUMENTER,
    "api:dokument_pdf": DOKUMENTER,
    "api:dokument_gensend": DOKUMENT_GENSEND,
    "api:fordring_rykker": RYKKER,
    "api:kontoudtog_bestil": DOKUMENTER,
    "api:kontooversigt_bestil": DOKUMENTER,
    "api:samling_brev_bestil": DOKUMENTER,
    # API: Omposter fordeling; payouts are the Bogholder's alone (four eyes in the service)
    "api:ompostering_opret": OMPOSTERING,
    "api:ompostering_tilbagefoer": OMPOSTERING,
    "api:udbetaling_liste": frozenset({BH}),
    "api:sagsbehandlerfordeling_liste": OMPOSTERING,
    "api:sagsbehandlerfordeling_fordel": OMPOSTERING,
    "api:sagsbehandlerfordeling_til_kunden": OMPOSTERING,
    "api:sagsbehandlerfordeling_adresser": OMPOSTERING,
    "api:sagsbehandlerfordeling_udbetal": OMPOSTERING,
    "api:sagsbehandlerfordeling_tilbagebetal": OMPOSTERING,
    "api:kundekredit_liste": OMPOSTERING,
    "api:udbetaling_godkend": frozenset({BH}),
    "api:udbetaling_afvis": frozenset({BH}),
    # API: the debitorsystem's incoming messages (SF1590 via the Beskedfordeler)
    "api:debitorsystem_daekning": DEBITORSYSTEM,
    "api:debitorsystem_kontostatus": DEBITORSYSTEM,
    # API: opgavepakker
    "api:opgavepakke_liste": ARBEJDSRUM,
    "api:opgave_liste": ARBEJDSRUM,
    "api:opgave": ARBEJDSRUM,
    "api:opgave_tag": ARBEJDSRUM,
    "api:opgave_afslut": ARBEJDSRUM,
    # The burn-down: the project lead's; "Mine opgaver" shows it to whoever this row lets in.
    "api:burndown": frozenset({PL}),
    # API: interest runs (started by Drift, as in the admin)
    "api:rentekoersel_start": frozenset({DR}),
    "api:rentekoersel": KOERSEL_LAESERE,
    "api:rentekoersel_annuller": frozenset({DR}),
    "api:rentekoersel_genoptag": frozenset({DR}),
    # API: sagstilknytning
    "api:koersel_liste": KOERSEL_LAESERE,
    "api:koersel": KOERSEL_LAESERE,
    "api:beslutning_liste": KOERSEL_LAESERE,
    "api:koersel_start": frozenset({DR}),
    "api:koersel_annuller": frozenset({DR}),
    "api:koersel_genoptag": frozenset({DR}),
    # API: rapporter
    "api:rapport_liste": RAPPORTER,
    "api:eksport_liste": RAPPORTER,
    "api:eksport": RAPPORTER,
    "api:eksport_fil": RAPPORTER,
    "api:eksport_bestil": RAPPORTER,
    # eIndkomst: the efterreguleringer (seed 002), screen and API
    "efterreguleringer": EINDKOMST_LAESERE,
    "api:eindkomst_efterreguleringer": EINDKOMST_LAESERE,
    # eIndkomst: by-hand amounts and the reconciliation, screens and API
    "eindkomst_manuel": EINDKOMST_BOGHOLDER,
    "eindkomst_manuel_opret": EINDKOMST_BOGHOLDER,
    "eindkomst_manuel_importer": EINDKOMST_BOGHOLDER,
    "eindkomst_manuel_annuller": EINDKOMST_BOGHOLDER,
    "eindkomst_afstemning": EINDKOMST_AFSTEMNING,
    "api:eindkomst_manuel": EINDKOMST_BOGHOLDER,
    "api:eindkomst_manuel_annuller": EINDKOMST_BOGHOLDER,
    "api:eindkomst_afstemning": EINDKOMST_AFSTEMNING,
    # eIndkomst: the daily batches; the Bogholder sends a failed one again
    "eindkomst_forsendelser": FORSENDELSE_LAESERE,
    "eindkomst_forsendelse": FORSENDELSE_LAESERE,
    "eindkomst_forsendelse_send_igen": frozenset({BH}),
    "api:eindkomst_forsendelse_liste": FORSENDELSE_LAESERE,
    "api:eindkomst_forsendelse": FORSENDELSE_LAESERE,
    "api:eindkomst_forsendelse_send_igen": frozenset({BH}),
}

# Admin screens that are no model's own: the front page, the app lists, password change,
# look-ups. What they show is limited by the person's model permissions.
ADMIN_OEVRIGE = frozenset(Rolle)

# The model permission each admin handling needs; any listed permission is enough.
ADMIN_HANDLINGER: dict[str, tuple[str, ...]] = {
    "changelist": ("view", "change"),
    "change": ("view", "change"),
    "history": ("view", "change"),
    "add": ("add",),
    "delete": ("delete",),
}


def _admin_modeller() -> dict[str, Any]:
    from django.contrib import admin

    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def admin_rettigheder(url_name: str) -> set[str]:
    """The model permissions (``app.codename``, any one suffices) an admin model URL needs;
    empty for any other URL."""
    navn = url_name.removeprefix("admin:")
    if navn == url_name:
        return set()
    for prefix, model in _admin_modeller().items():
        handling = navn.removeprefix(f"{prefix}_")
        if handling != navn and handling in ADMIN_HANDLINGER:
            return {
                f"{model._meta.app_label}.{h}_{model._meta.model_name}"
                for h in ADMIN_HANDLINGER[handling]
            }
    return set()


def roller_for(url_name: str) -> frozenset[Rolle] | None:
    """The roles that may use ``url_name`` (empty: platform operators only); ``None`` when
    the table does not know it. A public URL is open to every role (and to anonymous)."""
    if url_name in OFFENTLIGE:
        return ALLE
    if url_name in ADGANG:
        return ADGANG[url_name]
    if koder := admin_rettigheder(url_name):
        return frozenset(
            rolle
            for rolle, moenstre in GRUPPE_RETTIGHEDER.items()
            if any(rettighed_matcher(m, kode) for m in moenstre for kode in koder)
        )
    if url_name.startswith("admin:"):
        return ADMIN_OEVRIGE
    return None


def er_offentlig(url_name: str) -> bool:
    return url_name in OFFENTLIGE


def adgang_tilladt(user: Any, url_name: str) -> bool:
    """May ``user`` use the URL named ``url_name``? Platform operators may use everything."""
    if er_offentlig(url_name):
        return True
    roller = roller_for(url_name)
    if roller is None:
        return False
    if has_role(user, *roller):
        return True
    # A model permission a platform operator gave one person (not a role) opens that admin
    # screen too, unless the table names the screen itself: the admin checks it itself.
    if url_name in ADGANG:
        return False
    return any(user.has_perm(kode) for kode in admin_rettigheder(url_name))


def url_navn(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.view_name if match is not None else ""


NAEGTET = "Din rolle giver ikke adgang til denne side."


class AdgangMiddleware:
    """Refuse a logged-in person a URL the table does not give their role (403).

    Anonymous requests pass on to the view, which sends them to the login page (screens and
    admin) or answers 401/403 (API, where a token may still authenticate them).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not adgang_tilladt(user, url_navn(request)):
            raise PermissionDenied(NAEGTET)
        return None


def person(request: HttpRequest | Request) -> Bruger:
    """The person a request acts for (an API key acts as its holder).

    The permission table lets no one else reach a screen or endpoint that writes; should anything
    slip past it, this refuses instead of acting for nobody.
    """
    from .models import Bruger

    bruger = request.user
    if not isinstance(bruger, Bruger):
        raise PermissionDenied("Du skal være logget ind for at gøre dette.")
    return bruger
