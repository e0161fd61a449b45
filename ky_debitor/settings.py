"""Settings for KY Debitor, read from the environment in this one place.

With nothing set the app runs embedded: a SQLite file in ``var/`` and Celery tasks executed
in-process, so ``make demo`` needs no other service. Production sets:

* ``DATABASE_URL`` (``postgresql://…``) — PostgreSQL through psycopg 3;
* ``REDIS_URL`` — Celery broker and result backend; tasks then run on real workers;
* ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` (comma separated); HTTPS then follows
  (``DJANGO_HTTPS=0`` turns it off). Debug is off unless ``DJANGO_DEBUG=1``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KY_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


_SECRET_FROM_ENV = os.environ.get("DJANGO_SECRET_KEY", "")
# Debug (technical error pages) only when asked for: the demo, too, shows the Danish pages.
# Without a secret from the environment we are the embedded setup: a fixed dev key, plain http.
DEBUG = _flag("DJANGO_DEBUG", default=False)
# Served over HTTPS: secure cookies, HSTS and the redirect to https. Production (a secret from
# the environment) by default; the embedded demo on http://127.0.0.1 is not.
HTTPS = _flag("DJANGO_HTTPS", default=bool(_SECRET_FROM_ENV))
SECRET_KEY = _SECRET_FROM_ENV or "ky-debitor-udvikling-ikke-til-produktion-" + "x" * 24
ALLOWED_HOSTS = _list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "djangosaml2",
    "ky_debitor",
    "fordringer",
    "sagstilknytning",
    "opgavepakker",
    "rapporter",
    # The demo's data generator and expected outcomes; production code never imports it.
    "demo",
]

MIDDLEWARE = [
    # First: answers /healthz before host checks and the HTTPS redirect, so a probe by IP works.
    "ky_debitor.healthz.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The SAML login's own session (the outstanding AuthnRequests), beside the person's.
    "djangosaml2.middleware.SamlSessionMiddleware",
    "ky_debitor.adgang.AdgangMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ky_debitor.inaktivitet.InaktivitetMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ky_debitor.urls"
WSGI_APPLICATION = "ky_debitor.wsgi.application"
AUTH_USER_MODEL = "ky_debitor.Bruger"
AUTHENTICATION_BACKENDS = [
    # Refuses a login while the username is locked out, before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # A person logged on through the kommune's identity provider (``ky_debitor.saml``).
    "ky_debitor.saml.backend.SamlBackend",
    # Username and password; with SAML configured only the break-glass Drift account.
    "ky_debitor.saml.backend.LokalBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ky_debitor.context_processors.bruger",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # PostgreSQL's JIT compiles the expressions of every query it costs as big, which the
    # screens' counts over a big kommune are: the compiling took longer than it saved (the
    # KMD Aktiv report's preview 200 -> 33 ms, the stopped-sager preview 490 -> 415 ms), and
    # the exports ran as fast without it (docs/benchmarks.md). KY_PG_JIT=1 leaves it on.
    if os.environ.get("KY_PG_JIT", "0") != "1":
        tilvalg = DATABASES["default"].setdefault("OPTIONS", {})
        tilvalg["options"] = f"{tilvalg.get('options', '')} -c jit=off".strip()

else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Embedded: tasks run in-process, exceptions surface where they are raised.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
# A request that hands work to the queue must not hang when the broker is away: connecting
# gives up after KY_CELERY_BROKER_TIMEOUT seconds (ky_debitor/koe.py then leaves the work to
# the sweeps below and says so).
KY_CELERY_BROKER_TIMEOUT = float(os.environ.get("KY_CELERY_BROKER_TIMEOUT", "2"))
CELERY_BROKER_CONNECTION_TIMEOUT = KY_CELERY_BROKER_TIMEOUT
# A message a worker took but never acknowledged (the worker was killed) goes back to the queue
# after this many seconds; the chunk it carried then runs again from its last checkpoint.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("KY_CELERY_VISIBILITY_TIMEOUT", "3600")),
    "socket_connect_timeout": KY_CELERY_BROKER_TIMEOUT,
    "socket_timeout": 5 * KY_CELERY_BROKER_TIMEOUT,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = KY_CELERY_BROKER_TIMEOUT
CELERY_TIMEZONE = "Europe/Copenhagen"
CELERY_BEAT_SCHEDULE = {
    "ryd-gamle-udtraek": {
        "task": "rapporter.tasks.eksport_ryd_op",
        "schedule": 24 * 60 * 60,  # daily
    },
    "send-udgaaende-beskeder": {
        "task": "fordringer.tasks.udgaaende_send_forfaldne",
        # picks up messages whose retry time has come, and those the queue never got
        "schedule": 60,
    },
    "dan-ventende-dokumenter": {
        "task": "fordringer.tasks.dokumenter_send_ventende",
        "schedule": 60,  # documents ordered while the queue was away
    },
    "send-ventende-udtraek": {
        "task": "rapporter.tasks.eksport_send_ventende",
        "schedule": 60,  # exports ordered while the queue was away
    },
    "start-ventende-koersler": {
        "task": "sagstilknytning.tasks.koersler_send_ventende",
        "schedule": 60,  # linking runs started or resumed while the queue was away
    },
    # "Månedlig samling" (seed 000): creates what has fallen due, so it runs daily; early, so
    # the task is there when the caseworkers arrive on the first working day after the run.
    "maanedlige-samlinger": {
        "task": "opgavepakker.tasks.maanedlige_samlinger_opret",
        "schedule": crontab(hour=5, minute=30),
    },
    # The daily eIndkomst batch per kommune (fordringer.indberetning.forsendelse), after the day's
    # postings and before the working day.
    "eindkomst-forsendelser": {
        "task": "fordringer.tasks.eindkomst_forsendelser_opret",
        "schedule": crontab(hour=2, minute=15),
    },
    # Credits placed on customers (seed 004 afklaring b) cover their next claims, after the
    # night's imports and before the eIndkomst batch reports the dækninger.
    "udligning-af-kreditter": {
        "task": "fordringer.tasks.kreditter_udlign",
        "schedule": crontab(hour=1, minute=45),
    },
    # Interest on every open interest-bearing claim (fordringer.rente.koersel), one run per
    # kommune, early on the 1st: gebyrloven's monthly days and opkrævningsloven's month-end
    # bookings of the month before are then all due.
    "rentekoersel": {
        "task": "fordringer.tasks.renter_koer_alle",
        "schedule": crontab(day_of_month=1, hour=1, minute=15),
    },
    # The overview figures are sums of rows the writes add (ky_debitor.taellinger); folded into
    # one row per figure so reading them stays one small query.
    "taellinger-komprimer": {
        "task": "opgavepakker.tasks.taellinger_komprimer",
        "schedule": 10 * 60,
    },
}

# Lanes an interest run is split into (by konto), for that many workers side by side.
KY_RENTE_SPOR = max(1, int(os.environ.get("KY_RENTE_SPOR", "2")))

# --- Reports --------------------------------------------------------------------------------
KY_EKSPORT_DAGE = int(os.environ.get("KY_EKSPORT_DAGE", "7"))  # stored exports kept this long
KY_EKSPORT_GRAENSE = int(os.environ.get("KY_EKSPORT_GRAENSE", "20000"))  # rows: above → Celery
# An export still waiting for a worker this long after it was ordered is sent to the queue again.
KY_EKSPORT_GENSEND_SEKUNDER = int(os.environ.get("KY_EKSPORT_GENSEND_SEKUNDER", "60"))
# Extracts of this many rows or more are imported in bulk mode on PostgreSQL (checks foreign keys
# per set, locks the debt tables until commit; fordringer/importer/masseindlaesning.py).
KY_IMPORT_MASSE_GRAENSE = int(os.environ.get("KY_IMPORT_MASSE_GRAENSE", "100000"))
# Seconds a bulk import waits for other sessions to leave those tables before it gives up.
KY_IMPORT_LAASEVENTETID = int(os.environ.get("KY_IMPORT_LAASEVENTETID", "60"))

# --- Outbox (fordringer.udbakke) -------------------------------------------------------------
# The transport that delivers outgoing messages; the file transport writes one JSON document
# per message under KY_VAR_DIR/udgaaende/ (development and tests).
KY_UDGAAENDE_TRANSPORT = os.environ.get(
    "KY_UDGAAENDE_TRANSPORT", "fordringer.udbakke.transport.FilTransport"
)
KY_UDGAAENDE_MAKS_FORSOEG = int(os.environ.get("KY_UDGAAENDE_MAKS_FORSOEG", "8"))
# The Drift screen lists a waiting message as stuck after this many minutes or attempts.
KY_UDGAAENDE_FAST_MINUTTER = int(os.environ.get("KY_UDGAAENDE_FAST_MINUTTER", "30"))
KY_UDGAAENDE_FAST_FORSOEG = int(os.environ.get("KY_UDGAAENDE_FAST_FORSOEG", "3"))
# The debitorsystem's SF1590 services (``udgaaende.ServiceplatformenTransport``).
KY_SERVICEPLATFORMEN_URL = os.environ.get("KY_SERVICEPLATFORMEN_URL", "")
KY_SERVICEPLATFORMEN_CERTIFIKAT = os.environ.get("KY_SERVICEPLATFORMEN_CERTIFIKAT", "")

# --- Documents (fordringer.dokumenter) ------------------------------------------------------
# PDF/A-3a: archivable and tagged for screen readers (docs/adr/0009).
KY_DOKUMENT_PDF_VARIANT = os.environ.get("KY_DOKUMENT_PDF_VARIANT", "pdf/a-3a")
# A kontoudtog with more ledger entries than this is rendered by a Celery worker, with progress.
KY_DOKUMENT_BAGGRUND_LINJER = int(os.environ.get("KY_DOKUMENT_BAGGRUND_LINJER", "500"))
# Letters go to Digital Post through this transport (an outbox adapter; file transport here).
KY_DIGITAL_POST_TRANSPORT = os.environ.get(
    "KY_DIGITAL_POST_TRANSPORT", "fordringer.udbakke.transport.DigitalPostFilTransport"
)

# --- Language, time, money ------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
# Dates dd-mm-åååå in the admin too (``ky_debitor/formats/da``); numbers are grouped where they
# are shown (``ky_debitor.visning``), not by Django, which would group ids in links as well.
FORMAT_MODULE_PATH = ["ky_debitor.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# The embedded setup serves static files straight from the apps (no collectstatic needed for
# the demo); production serves the collected, compressed copies in STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG or not _SECRET_FROM_ENV
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

# --- Sessions and security ------------------------------------------------------------------
# Logged out after this many minutes without activity. Only a person's own requests count:
# ``InaktivitetMiddleware`` saves the session (and so moves its expiry) on every request except
# htmx background polls.
KY_SESSION_MINUTTER = int(os.environ.get("KY_SESSION_MINUTTER", "30"))
SESSION_COOKIE_AGE = KY_SESSION_MINUTTER * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy: everything from our own origin, nothing inline, no eval. Pages load
# their script and style from static files; htmx is told not to inject its indicator style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login lock-out (django-axes): after KY_LOGIN_FORSOEG failed logins for one username from one
# IP address the account is locked there for KY_LOGIN_SPAERRING_MINUTTER; each further try
# during the lock restarts it. Not by IP address alone: a kommune's caseworkers share one.
# Drift lifts a lock in the admin (Brugere → "Ophæv login-spærring").
AXES_FAILURE_LIMIT = int(os.environ.get("KY_LOGIN_FORSOEG", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("KY_LOGIN_SPAERRING_MINUTTER", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ky_debitor.login_spaerring.spaerret_svar"
# Axes' own admin lists every kommune's attempts; the kommune-scoped Bruger admin unlocks.
AXES_ENABLE_ADMIN = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Single sign-on: SAML 2.0 through Fælleskommunal Adgangsstyring (ky_debitor.saml) -------
# Off unless the IdP's metadata is named (a file, or an https URL). With it set, people log on
# at the kommune's identity provider; local passwords then work only for the break-glass Drift
# account ``KY_SAML_NOEDADGANG`` (audited on every use). docs/adr/0010.
KY_SAML_IDP_METADATA = os.environ.get("KY_SAML_IDP_METADATA", "")
# A certificate that signs the IdP's metadata when it is fetched by URL (checked if set).
KY_SAML_IDP_METADATA_CERT = os.environ.get("KY_SAML_IDP_METADATA_CERT", "")
# A metadata file is read again when it changes; a URL is fetched again this often (seconds).
KY_SAML_METADATA_INTERVAL = int(os.environ.get("KY_SAML_METADATA_INTERVAL", "3600"))
# The address people reach the app on (https://…): the endpoints in our metadata start here.
KY_SAML_BASE_URL = os.environ.get("KY_SAML_BASE_URL", "").rstrip("/")
KY_SAML_SP_ENTITY_ID = os.environ.get("KY_SAML_SP_ENTITY_ID", "")
# Our signing certificate and key (PEM files); the encryption pair defaults to the same.
KY_SAML_SP_CERT = os.environ.get("KY_SAML_SP_CERT", "")
KY_SAML_SP_KEY = os.environ.get("KY_SAML_SP_KEY", "")
KY_SAML_SP_KRYPTERING_CERT = os.environ.get("KY_SAML_SP_KRYPTERING_CERT", "")
KY_SAML_SP_KRYPTERING_KEY = os.environ.get("KY_SAML_SP_KRYPTERING_KEY", "")
# Clock skew accepted between the IdP and us, in seconds.
KY_SAML_TIDSAFVIGELSE = int(os.environ.get("KY_SAML_TIDSAFVIGELSE", "60"))
# The attribute with the privileges (OIOSAML Basic Privilege Profile, base64 XML) and the name
# of the data constraint that carries the kommunekode.
KY_SAML_PRIVILEGIE_ATTRIBUT = os.environ.get(
    "KY_SAML_PRIVILEGIE_ATTRIBUT", "dk:gov:saml:attribute:Privileges_intermediate"
)
KY_SAML_KOMMUNE_AFGRAENSNING = os.environ.get(
    "KY_SAML_KOMMUNE_AFGRAENSNING", "http://sts.kombit.dk/constraints/kommune/1"
)
# The one local account that may still log on with a password when SAML is on (Drift).
KY_SAML_NOEDADGANG = os.environ.get("KY_SAML_NOEDADGANG", "")
SAML_CONFIG_LOADER = "ky_debitor.saml.konfiguration.sp_konfiguration"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_SESSION_COOKIE_NAME = "ky_saml_session"
# The IdP posts its answer from its own site: the SAML session's cookie must travel with that
# POST (SameSite=None needs a secure cookie, so the plain-http demo keeps Lax).
SAML_SESSION_COOKIE_SAMESITE = "None" if HTTPS else "Lax"
SAML_IGNORE_LOGOUT_ERRORS = True
SAML_ACS_FAILURE_RESPONSE_FUNCTION = "ky_debitor.saml.views.login_fejl"

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated request gets 401 with "WWW-Authenticate: Bearer".
        "ky_debitor.api_noegler.ApiNoegleAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ky_debitor.api_adgang.AdgangTabel"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON only: the documentation is Swagger UI at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "ky_debitor.api_adgang.Markoerside",
    "DEFAULT_SCHEMA_CLASS": "ky_debitor.api.KySchema",
    "EXCEPTION_HANDLER": "ky_debitor.api.fejlhaandtering",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KY Debitor API",
    "DESCRIPTION": (
        "Læse- og skriveadgang til KY Debitor for systemer og browseren. Hver forespørgsel "
        "ser kun brugerens egen kommune; rollerne afgør, hvilke endepunkter der må bruges. "
        "Skrivninger, der flytter penge eller åbner arbejde, kræver headeren Idempotency-Key."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["ky_debitor.api_adgang.AdgangTabel"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ky_debitor.api.positive_id",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TilknytningEnum": "fordringer.choices.Tilknytning",
        "KontoStatusEnum": "fordringer.choices.KontoStatus",
        "ManuelKildeEnum": "fordringer.choices.ManuelKilde",
        "KildeEnum": "fordringer.choices.Kilde",
        "EIndkomstArtEnum": "fordringer.choices.EIndkomstArt",
        "RentekoerselStatusEnum": "fordringer.models.rente.RentekoerselStatus",
    },
}

# A technical error page (debug on) or error report hides connection strings and any password
# written into a URL, not only the names Django hides (ky_debitor/fejlrapport.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "ky_debitor.fejlrapport.Fejlrapportfilter"

# Every log record passes the one console handler, whose filter masks CPR numbers; Django's
# own loggers are pointed at it too, and the Celery worker keeps this configuration.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"cpr": {"()": "ky_debitor.logmaskering.CprMaskering"}},
    "formatters": {"enkel": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "enkel", "filters": ["cpr"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KY_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # lock-outs only, not every login
        # WeasyPrint logs every rendering step at INFO; warnings (a missing font) still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pysaml2's schema loading says at INFO that it has loaded a schema, at every start.
        "xmlschema": {"level": "WARNING"},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
