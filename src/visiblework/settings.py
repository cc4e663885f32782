"""Visible Work settings: one file, configured by environment variables only.

Every variable is read through a typed helper that fails loudly on a value it cannot
understand, so a typo in production is an error at start-up, not a silent default.
See docs/settings.md for the full list.
"""

from __future__ import annotations

import math
import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from visiblework.core.dbfiles import make_private

PACKAGE_DIR = Path(__file__).resolve().parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number; got {raw!r}") from None
    if not math.isfinite(value):
        raise ImproperlyConfigured(f"{name} must be a finite number; got {raw!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- The data folder ---------------------------------------------------------------------------
# Private to the account that runs the server (0700): it holds the database, raw reports
# included, and the secret key. Files in it are made 0600 where they are made.
HOME = Path(env_str("VISIBLEWORK_HOME", "var")).resolve()
HOME.mkdir(mode=0o700, parents=True, exist_ok=True)
if HOME.stat().st_mode & 0o077:
    try:
        HOME.chmod(0o700)
    except PermissionError:  # another account's folder: say so, and go on
        warnings.warn(f"VISIBLEWORK_HOME ({HOME}) is open to other accounts and is not ours to "
                      "change; make it private (chmod 700)", stacklevel=1)


def _secret_key() -> str:
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = HOME / "secret_key"
    if not key_file.exists():
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# Secure cookies whenever the site is served over HTTPS; `visiblework demo` serves plain
# HTTP on 127.0.0.1 and turns this off for its own process only.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)

# --- Applications ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "ninja",
    "axes",
    "csp",
    "visiblework.core",
    "visiblework.accounts",
    "visiblework.cases",
    "visiblework.review",
    "visiblework.refdata",
    "visiblework.reports",
    "visiblework.insights",
    "visiblework.voice",
    "visiblework.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "visiblework.core.versioned.VersionsPerRequest",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "visiblework.core.middleware.NulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "visiblework.core.middleware.LanguageFromQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "visiblework.core.middleware.ApiCsrfMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "visiblework.core.middleware.LoginRateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "visiblework.core.middleware.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "visiblework.site.urls"
WSGI_APPLICATION = "visiblework.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# --- Database ----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{HOME / 'visiblework.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60)
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Tests run on an in-memory database, as Django's own SQLite backend would by default
    # (named here because tools such as pytest-django recognise that backend by its path).
    _db["TEST"] = {"NAME": ":memory:"}
    # Connections are kept (60 s, per server thread) on SQLite too: opening one and running
    # the PRAGMAs below was a third of the cost of taking a report.
    _db["OPTIONS"] = {
        # WAL lets readers run beside one writer.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE), so that
        # writers queue in SQLite's busy handler for up to `timeout` seconds instead of failing
        # part way; past it the error is "database is locked" (docs/operations.md).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Raw reports: the database is created 0600 before SQLite first opens it, and it and its
    # -wal and -shm files are made 0600 if they were not (core/dbfiles.py).
    if _db["NAME"] and _db["NAME"] != ":memory:" and not str(_db["NAME"]).startswith("file:"):
        try:
            make_private(str(_db["NAME"]))
        except OSError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL: cannot open {_db['NAME']}: "
                                       f"{exc.strerror}") from None
elif _db["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL")
DATABASES = {"default": _db}

# A database cache: shared by every server process (login throttling, rate limits) on both
# SQLite and PostgreSQL, with nothing more to run. Its table is made by a migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "visiblework_cache",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# --- Security ----------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes, in the cache): a user name is locked out for one client
# address at a time, so that nobody can lock another person out from elsewhere. The address
# axes sees is a peppered hash (core/clients.py): its rows hold no recoverable address.
# Before it, core.middleware.LoginRateLimitMiddleware limits sign-in attempts per address.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "visiblework.core.clients.hashed_client_address"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "user_agent"]  # masked in its log lines
# Sign-in attempts (POSTs) per client address in ten minutes, on these forms.
VISIBLEWORK_LOGIN_RATE_LIMIT = env_int("VISIBLEWORK_LOGIN_RATE_LIMIT", 30)
VISIBLEWORK_LOGIN_PATHS = ("/accounts/login/", "/admin/login/")

SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_COOKIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)

# Nothing is loaded from another host; no inline script except JSON-LD data blocks
# (which browsers never execute).
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

# --- Languages ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("sw", "Kiswahili"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Visible Work ------------------------------------------------------------------------------
# Rows a single list, facet or search may hold; every query is bounded by these.
VISIBLEWORK_PAGE_SIZE = env_int("VISIBLEWORK_PAGE_SIZE", 20)
VISIBLEWORK_MAX_PAGE_SIZE = 100
VISIBLEWORK_MAX_SEARCH_HITS = env_int("VISIBLEWORK_MAX_SEARCH_HITS", 10_000)
# Relevance ranking covers the newest this many matches of a search; older matches follow,
# newest first. Bounds the cost of a common word in a large catalogue (docs/performance.md).
VISIBLEWORK_SEARCH_RANK_WINDOW = env_int("VISIBLEWORK_SEARCH_RANK_WINDOW", 500)
VISIBLEWORK_FACET_VALUES = 10
VISIBLEWORK_FACET_VALUES_MAX = 200
VISIBLEWORK_FEED_ITEMS = 50
VISIBLEWORK_SITE_NAME = "Visible Work"
# Smallest number of distinct workers before a country is named beside a review, and before
# a release cell is published (DESIGN.md, privacy model).
VISIBLEWORK_K = env_int("VISIBLEWORK_K", 5)
# Anonymous reports about one platform (or client) and country: more than this many on the
# same or the previous UTC day are marked as a burst for editors (reports/bursts.py). 0: off.
VISIBLEWORK_BURST_REPORTS = env_int("VISIBLEWORK_BURST_REPORTS", 5)
# Lifetime privacy budget of each worker (an account, or an anonymous report on its own): a
# release leaves out every worker it would take past either figure (insights/budget.py and
# docs/privacy-method.md, "The lifetime budget", for the defaults).
VISIBLEWORK_WORKER_EPSILON_BUDGET = env_float("VISIBLEWORK_WORKER_EPSILON_BUDGET", 10.0)
VISIBLEWORK_WORKER_DELTA_BUDGET = env_float("VISIBLEWORK_WORKER_DELTA_BUDGET", 1e-5)
if VISIBLEWORK_WORKER_EPSILON_BUDGET <= 0:
    raise ImproperlyConfigured("VISIBLEWORK_WORKER_EPSILON_BUDGET must be above 0")
if not 0 <= VISIBLEWORK_WORKER_DELTA_BUDGET < 1:
    raise ImproperlyConfigured("VISIBLEWORK_WORKER_DELTA_BUDGET must be at least 0 and below 1")
# Public bound on the rows of a release's per-worker tables (OpenDP's max_length): at most
# this many workers per release; it changes no noise (docs/privacy-method.md).
VISIBLEWORK_RELEASE_MAX_LENGTH = env_int("VISIBLEWORK_RELEASE_MAX_LENGTH", 100_000_000)
if not 1 <= VISIBLEWORK_RELEASE_MAX_LENGTH <= 2**53:
    raise ImproperlyConfigured("VISIBLEWORK_RELEASE_MAX_LENGTH must be between 1 and 2**53")
LOGIN_URL = "/accounts/login/"
# What apps on higher floors add to pages that lower apps own (core/sections.py), in order.
VISIBLEWORK_PAGE_SECTIONS = {
    "actor": [  # /actors/<slug>/ (cases)
        "visiblework.insights.actor_page.worker_figures",
        "visiblework.insights.actor_page.what_workers_say",
        "visiblework.reports.replies.actor_replies",
        "visiblework.insights.actor_page.statistics_links",
        "visiblework.voice.help_sections.organisation_box",
        "visiblework.voice.help_sections.organisations_for_actor",
    ],
    "account": [  # /accounts/me/ (accounts)
        "visiblework.reports.account_page.my_reports",
        "visiblework.voice.account_page_demands.my_demands",
        "visiblework.reports.replies.my_representations",
    ],
    "case": [  # /cases/<id>/<slug>/ (cases); cached for anonymous readers: the same for all
        "visiblework.reports.replies.case_replies",
    ],
    "own_report": [  # a worker's own report: the page after sending it, and its page (reports)
        "visiblework.insights.report_page.same_work_figures",
        "visiblework.voice.help_sections.organisations_for_report",
    ],
    "cases_country": [  # /cases/?country=XX, exactly one country (cases)
        "visiblework.voice.help_sections.organisations_in_country",
    ],
}
# Per-client rate limits on contributions, reports and sign-ups (keyed hashes in the cache).
# Turn off only for load tests on a private machine.
VISIBLEWORK_RATE_LIMITS = env_bool("VISIBLEWORK_RATE_LIMITS", True)
# The day's key of those hashes lives here, never in the database or a backup (core/pepper.py).
VISIBLEWORK_RATE_LIMIT_PEPPER_DIR = Path(
    env_str("VISIBLEWORK_RATE_LIMIT_PEPPER_DIR", str(HOME / "pepper"))).resolve()
# How many proxies in front of the server append to X-Forwarded-For (a TLS proxy: 1). The
# client address is the one that many places from the right; 0 ignores the header.
VISIBLEWORK_TRUSTED_PROXIES = env_int("VISIBLEWORK_TRUSTED_PROXIES", 0)
if VISIBLEWORK_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("VISIBLEWORK_TRUSTED_PROXIES must be 0 or more")
# Whole anonymous catalogue pages kept per process until the catalogue changes
# (core/pagecache.py). Off to measure the cost of a first view (the benchmarks do).
VISIBLEWORK_PAGE_CACHE = env_bool("VISIBLEWORK_PAGE_CACHE", True)
# Those pages carry an ETag and `Cache-Control: public, max-age=0, must-revalidate`, so a shared
# HTTP cache in front may keep them and ask again with If-None-Match (a 304 costs one version
# read). Seconds set here add `s-maxage`: the shared cache then answers alone for that long,
# and a change can take that long to show (docs/operations.md).
VISIBLEWORK_SHARED_CACHE_SECONDS = env_int("VISIBLEWORK_SHARED_CACHE_SECONDS", 0)
if VISIBLEWORK_SHARED_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("VISIBLEWORK_SHARED_CACHE_SECONDS must be 0 or more")
# The reference wage beside which medians are judged (scorecards, the worth calculator):
# by default the US federal minimum wage, 7.25 USD an hour; set your own.
VISIBLEWORK_REFERENCE_WAGE_USD = env_str("VISIBLEWORK_REFERENCE_WAGE_USD", "7.25")
# Collective demands (voice): how many supporters before a count is shown at all, and the ε
# of each (at most daily) noisy count of supporters published past it.
VISIBLEWORK_DEMAND_THRESHOLD = env_int("VISIBLEWORK_DEMAND_THRESHOLD", 25)
if VISIBLEWORK_DEMAND_THRESHOLD < 1:
    raise ImproperlyConfigured("VISIBLEWORK_DEMAND_THRESHOLD must be 1 or more")
VISIBLEWORK_DEMAND_EPSILON = env_float("VISIBLEWORK_DEMAND_EPSILON", 0.5)
# Consultations (voice): the ε of the one noisy publication of a closed consultation's results.
VISIBLEWORK_CONSULTATION_EPSILON = env_float("VISIBLEWORK_CONSULTATION_EPSILON", 1.0)
# Data-rights letters (voice): the ε of the answer rates per company and law that each release
# publishes from the optional follow-ups, stated separately from the release's own ε.
VISIBLEWORK_RIGHTS_EPSILON = env_float("VISIBLEWORK_RIGHTS_EPSILON", 1.0)
if VISIBLEWORK_RIGHTS_EPSILON <= 0:
    raise ImproperlyConfigured("VISIBLEWORK_RIGHTS_EPSILON must be above 0")
# Extra cells that apps on higher floors add to every release build (insights.releases.
# ExtraCells): dotted paths of functions (cutoff, k) -> ExtraCells, each with its own stated ε.
VISIBLEWORK_RELEASE_EXTRAS = [
    "visiblework.voice.rights_release.answer_rates",
]

# Every handler redacts secrets and client addresses (core/logredact.py). Django's own
# handlers are replaced: its console handler (DEBUG only) and mail_admins (which would mail
# whole requests) would write unredacted lines; its records reach the root handler instead.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "visiblework.core.logredact.RedactSecrets"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter",
                          "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server",
                          "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
