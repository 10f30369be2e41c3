"""Settings for blilyst's web application, all taken from the environment.

The embedded default (nothing set) is an SQLite database and a generated secret key under
``BLILYST_HOME``, DEBUG off, served on localhost. Production sets ``DATABASE_URL``
(PostgreSQL), ``BLILYST_SECRET_KEY`` and ``BLILYST_ALLOWED_HOSTS``; see docs/production.md.
A bad value stops the start with a message that names the variable (never a silent default).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

WEB_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = WEB_DIR.parents[2]  # the checkout root when running from a source tree


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value; use 1 or 0.")


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is too small; the least allowed is {minimum}.")
    return number


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if value == "":
        return list(default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name}={value!r} holds no values; give a comma-separated list.")
    return items


def _default_home() -> Path:
    """./var in a source checkout (ignored by git), else the XDG data directory."""
    if (SOURCE_ROOT / "pyproject.toml").is_file() and (SOURCE_ROOT / "src" / "blilyst").is_dir():
        return SOURCE_ROOT / "var"
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "blilyst"


# --- Where the embedded default keeps its files -----------------------------------------------
BLILYST_HOME = Path(os.environ.get("BLILYST_HOME", "").strip() or _default_home()).expanduser()
try:
    BLILYST_HOME.mkdir(parents=True, exist_ok=True)
except OSError as exc:
    raise ImproperlyConfigured(f"BLILYST_HOME={BLILYST_HOME} cannot be created: {exc.strerror}.") from None

DEBUG = _env_bool("BLILYST_DEBUG", False)

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    import dj_database_url

    try:
        _database = dj_database_url.parse(DATABASE_URL, conn_max_age=_env_int("BLILYST_DB_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
    if _database.get("ENGINE") not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"DATABASE_URL uses {_database.get('ENGINE')!r}; blilyst supports postgres:// and sqlite://."
        )
    _database["CONN_HEALTH_CHECKS"] = True
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # The test database gets its own name, so tests never touch the named database's rows.
        _database.setdefault("TEST", {})["NAME"] = f"test_{_database['NAME']}_blilyst"
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BLILYST_HOME / "blilyst.sqlite3"),
    }
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE avoids "database is locked"
    # surprises when two requests upgrade a read transaction to a write at once.
    _database.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # secure_delete: an erased household's rows are overwritten in the file, not left in free pages.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
        }
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Secret key -----------------------------------------------------------------------------------
SECRET_KEY = os.environ.get("BLILYST_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if DATABASE_URL:
        raise ImproperlyConfigured(
            "BLILYST_SECRET_KEY is not set. With DATABASE_URL (production) the key must come from the "
            "environment; generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    _key_file = BLILYST_HOME / "secret_key"
    if not _key_file.exists():
        _tmp = _key_file.with_suffix(".tmp")
        _tmp.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        _tmp.chmod(0o600)
        _tmp.replace(_key_file)
    SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("BLILYST_SECRET_KEY is shorter than 32 characters; use a long random value.")

# --- Hosts and HTTPS ---------------------------------------------------------------------------------
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = _env_list("BLILYST_ALLOWED_HOSTS", LOCAL_HOSTS)
CSRF_TRUSTED_ORIGINS = _env_list("BLILYST_CSRF_TRUSTED_ORIGINS", [])
_only_local = all(host in LOCAL_HOSTS for host in ALLOWED_HOSTS)
# HTTPS is assumed everywhere but plain localhost development; BLILYST_HTTPS=0/1 overrides.
HTTPS = _env_bool("BLILYST_HTTPS", not _only_local)

SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "blilyst_session"
CSRF_COOKIE_NAME = "blilyst_csrftoken"
CSRF_FAILURE_VIEW = "blilyst.web.api.api.csrf_failure"  # JSON under /api/, the usual page elsewhere
SESSION_COOKIE_AGE = _env_int("BLILYST_SESSION_HOURS", 10, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
if HTTPS:
    SECURE_SSL_REDIRECT = _env_bool("BLILYST_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _env_int("BLILYST_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("BLILYST_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = False
if _env_bool("BLILYST_BEHIND_PROXY", False):
    # Only behind a proxy that sets X-Forwarded-Proto itself (nginx, Caddy); see docs/production.md.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Applications ----------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "blilyst.web.accounts",
    "blilyst.web.analysis",
    "blilyst.web.newcomers",  # households, needs, pipeline, follow-up
    "blilyst.web.privacy",  # consent, access log, export, erasure, retention
    "blilyst.web.api",  # the JSON API's tokens
    "ninja",  # so the API docs (/api/docs) load their assets from here, never from a CDN
    "blilyst.web.resources",  # housing, jobs, kindergarten capacity, hosts, events, matching
    "blilyst.web.planning",  # the municipality's plan: evidence, bottlenecks, target group, message, results
    "blilyst.web.frontdoor",  # the public front door: what the municipality offers, and the interest form
    "blilyst.web.outreach",  # e-mail to households, the daily digest, calendar feeds
    "blilyst.web.jobs",  # long work in the background (refresh, digests, retention) and its progress
    "django_tasks",
    "django_tasks_db",
]


# The core's cache store (SSB's answers, the plan's figures, drawn charts; see blilyst.cachestore) is Django's
# "shared" cache when BLILYST_REDIS_URL is set (e.g. redis://127.0.0.1:6379/0), so every app process and worker
# on every machine shares it; without it the core's own folder store in $BLILYST_CACHE_DIR, the command line's
# folder and format (blilyst.web.lib.sharedcache). The "shared" alias itself is then a file cache under
# $BLILYST_CACHE_DIR/web for the few small values the web keeps for all its processes (front door generations). The default cache (the front door's pages, generations and rate limit, template fragments) is in
# Redis too when it is set, so a limit or a change counts in every process; local memory otherwise.
def _cache_folder() -> Path:
    from blilyst.cachestore import default_cache_dir

    return default_cache_dir() / "web"


CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(_cache_folder()),
        "TIMEOUT": None,
        # figures and charts of every municipality and language; a third is dropped at random when full
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    },
}
if os.environ.get("BLILYST_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["BLILYST_REDIS_URL"],
        "KEY_PREFIX": "default",
    }
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["BLILYST_REDIS_URL"],
        "KEY_PREFIX": "shared",
        "TIMEOUT": None,
    }


def _check_cache_cap() -> None:
    """Refuse a bad BLILYST_CACHE_MAX_MB (the folder store's cap) at start, not at the first chart drawn."""
    from blilyst.cachestore import max_cache_bytes
    from blilyst.errors import BlilystError

    try:
        max_cache_bytes()
    except BlilystError as exc:
        raise ImproperlyConfigured(str(exc)) from None


_check_cache_cap()

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "blilyst.web.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "blilyst.web.middleware.RejectNulMiddleware",
    "blilyst.web.middleware.SnapshotVersionMiddleware",  # a data refresh is seen without a restart
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "blilyst.web.middleware.LanguageMiddleware",  # after authentication: reads the user's choice
    "blilyst.web.middleware.LoginRequiredMiddleware",
    "blilyst.web.middleware.PasswordChangeRequiredMiddleware",
    "blilyst.web.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # axes after the others, as its documentation asks.
    "axes.middleware.AxesMiddleware",
    # Runs the view: one transaction per write request, one retry for a read that lost its connection.
    "blilyst.web.middleware.TransactionMiddleware",
]

ROOT_URLCONF = "blilyst.web.urls"
WSGI_APPLICATION = "blilyst.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "blilyst.web.context_processors.memberships",
            ],
        },
    },
]

# --- Accounts and passwords ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before checking passwords
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection (django-axes): lock a username from one address after N failures, and an address
# after M failures across all user names (password spraying); see accounts/lockout.py.
AXES_FAILURE_LIMIT = _env_int("BLILYST_LOGIN_FAILURE_LIMIT", 5, minimum=1)
BLILYST_LOGIN_ADDRESS_LIMIT = _env_int("BLILYST_LOGIN_ADDRESS_LIMIT", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("BLILYST_LOGIN_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # the order lockout.py reads them in
AXES_HANDLER = "blilyst.web.accounts.lockout.PerUserAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_CLIENT_IP_CALLABLE = "blilyst.web.accounts.lockout.client_ip"
AXES_VERBOSE = False
# How many proxies in front of the app append to X-Forwarded-For (0: use the socket address).
BLILYST_PROXY_COUNT = _env_int("BLILYST_PROXY_COUNT", 0)

# API tokens expire after this many days unless a shorter time is given when one is created.
BLILYST_API_TOKEN_DAYS = _env_int("BLILYST_API_TOKEN_DAYS", 90, minimum=1)

# --- Content-Security-Policy (django-csp 4): everything from our own origin, no inline script ----------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Internationalisation --------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "blilyst_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

# --- Static files: local assets only, served by whitenoise --------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = BLILYST_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it, even when serving from the finders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the packages' static folders: no collectstatic step is needed to run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Background tasks (django-tasks): the database queue by default, run by `manage.py db_worker` ----------
# "immediate" runs a task inside the request that started it (tests, a one-process installation). "rq" puts
# them on Redis (BLILYST_REDIS_URL) for RQ workers on any machine: `blilyst web manage rqworker --job-class
# django_tasks_rq.Job default` (pip install 'blilyst[rq]').
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
_task_backend = os.environ.get("BLILYST_TASK_BACKEND", "").strip() or "database"
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"BLILYST_TASK_BACKEND={_task_backend!r} is unknown; use one of {', '.join(_TASK_BACKENDS)}."
    )
TASKS: dict[str, dict[str, object]] = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}
if _task_backend == "rq":
    if not os.environ.get("BLILYST_REDIS_URL"):
        raise ImproperlyConfigured("BLILYST_TASK_BACKEND=rq puts the work on Redis: set BLILYST_REDIS_URL as well.")
    try:
        import django_tasks_rq  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "BLILYST_TASK_BACKEND=rq needs the RQ backend: pip install 'blilyst[rq]' (or use database)."
        ) from None
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ["BLILYST_REDIS_URL"], "DEFAULT_TIMEOUT": 3600}}
    TASKS["default"]["QUEUES"] = ["default"]

# --- Mail (reminders, account messages) -------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("BLILYST_EMAIL_BACKEND", "").strip() or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("BLILYST_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("BLILYST_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("BLILYST_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BLILYST_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("BLILYST_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("BLILYST_EMAIL_FROM", "blilyst@localhost")
# The address people reach blilyst at, for links in e-mails (no trailing slash).
BLILYST_BASE_URL = os.environ.get("BLILYST_BASE_URL", "http://localhost:8000").strip().rstrip("/")

# --- The public front door ----------------------------------------------------------------------------
# Form submissions allowed from one address per hour (all municipalities together).
BLILYST_FRONTDOOR_POSTS_PER_HOUR = _env_int("BLILYST_FRONTDOOR_POSTS_PER_HOUR", 10, minimum=1)

# --- Privacy ----------------------------------------------------------------------------------------
# Personal data of a household are deleted or anonymised this many months after its last activity
# (the retention management command, run from cron; see docs/production.md).
BLILYST_RETENTION_MONTHS = _env_int("BLILYST_RETENTION_MONTHS", 24, minimum=1)
# The same period in days (what blilyst.web.privacy.rules uses); BLILYST_RETENTION_DAYS overrides the months.
BLILYST_RETENTION_DAYS = _env_int("BLILYST_RETENTION_DAYS", BLILYST_RETENTION_MONTHS * 365 // 12, minimum=1)

# --- Logging: to the console (the process manager keeps it) -----------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "blilyst.web.lib.logstream.CurrentStderrHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BLILYST_LOG_LEVEL", "WARNING").upper()},
}
