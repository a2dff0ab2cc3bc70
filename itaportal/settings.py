"""Settings for the ITA portal, read from the environment (see README, "Deployment").

Stable names (../shared/domain/INTERFACES.md): DJANGO_SECRET_KEY, DJANGO_DEBUG,
DJANGO_ALLOWED_HOSTS, DATABASE_URL, DJANGO_CSRF_TRUSTED_ORIGINS, EMAIL_URL, REDIS_URL.
"""

import datetime as dt
from ipaddress import ip_network
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# A development key only when DEBUG is on; production must set its own.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="django-insecure-development-only-key" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "itaportal",
    "itaportal.accounts",
    "assessments",
    "measures",
    "reports",
    "fixtures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "itaportal.language.ThaiFirstLocaleMiddleware",  # Thai unless the person chose otherwise
    "itaportal.language.OrganisationDigitsMiddleware",  # the page in its organisation's digits
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "itaportal.accounts.middleware.SessionLimitMiddleware",
    "itaportal.errors.DiskFullMiddleware",
    # Last, so that it sees the response of a login refused by the lock (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itaportal.urls"

# Django warns of a template library name given to two modules; "i18n" is, on purpose (TEMPLATES'
# "libraries" below); tests/test_translate_tag.py fails on any other name given twice.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # `{% url %}` as Django's, each address worked out once per process.
            "builtins": ["itaportal.templatetags.urls"],
            # Django's i18n tags, each literal `{% translate %}` worked out once per language.
            "libraries": {"i18n": "itaportal.templatetags.translations"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reports.context_processors.memos_waiting",
            ],
        },
    },
]

WSGI_APPLICATION = "itaportal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a small office: WAL lets readers work beside one writer, and
    # IMMEDIATE transactions wait for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    # Reuse a server connection across requests instead of paying for a new one each time. A
    # health check costs a round trip at the start of every request; it is off unless asked
    # for, and a connection the server dropped fails one request and is replaced.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
        "DATABASE_CONN_HEALTH_CHECKS", default=False
    )
    # psycopg sends a statement's values apart from it (server-side binding), and from the
    # fifth time one connection runs the same statement, PostgreSQL runs it prepared: parsed and
    # planned once. Every page's few statements are the same few: 8 % less CPU in gunicorn and
    # less in PostgreSQL (bench/README.md, session 35). Behind PgBouncer in transaction mode
    # (older than 1.21), set DATABASE_PREPARE_THRESHOLD=0: no statement is prepared.
    _prepare_threshold = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": env.bool("DATABASE_SERVER_SIDE_BINDING", default=True),
            "prepare_threshold": _prepare_threshold or None,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when REDIS_URL is set, is the task broker for batch printing and the cache the processes
# share (the verification page's lookup counts). Without it the portal runs batch printing in its
# own process and caches in memory. Pages keep no cache: their figures are kept in the database
# (assessments.models.YearSummary).
REDIS_URL = env.str("REDIS_URL", default="")
# The overview's national comparison (each kind's mean and passing share over every
# organisation) is the same for every supervisor; each process keeps it this long (0: never).
NATIONAL_FIGURES_SECONDS = env.int("ITAPORTAL_NATIONAL_FIGURES_SECONDS", default=60)
CACHES = {
    # A host that does not answer costs a lookup at most a second to find out.
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_IGNORE_RESULT = True  # progress lives in the database, not in a result backend
# A task is acknowledged only once it has finished, so a worker that dies mid-document leaves the
# task queued for another; tasks are idempotent, so running one twice is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest a document takes to print (a large organisation's plan: seconds, not minutes).
# Redis hands a task that was taken but never acknowledged (its worker was killed) to another
# worker after visibility_timeout: five times the longest document, so a running task is not
# handed out twice, and a killed worker's documents print again within minutes, not an hour.
# A document still unprinted twice that long after it started is shown failed, with why
# (reports.batch.services.batch_stalled_fail).
BATCH_DOCUMENT_LONGEST_SECONDS = env.int("ITAPORTAL_BATCH_DOCUMENT_LONGEST_SECONDS", default=60)
# kombu looks for such tasks every interval × throttle seconds (100 s by its defaults): here a
# tenth of the visibility timeout, so the look costs one Redis scan every half a minute.
_VISIBILITY_SECONDS = 5 * BATCH_DOCUMENT_LONGEST_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _VISIBILITY_SECONDS,
    "unacked_restore_interval": max(1, _VISIBILITY_SECONDS // 10),
    "unacked_restore_throttle": 1,
}
BATCH_STALLED_SECONDS = 2 * _VISIBILITY_SECONDS
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# "celery" sends batch printing to the workers; "thread" runs it in a thread of the web process.
BATCH_RUNNER = env.str("ITAPORTAL_BATCH_RUNNER", default="celery" if REDIS_URL else "thread")

# The OIT link checker (reports.oit.links): how long one address may take, to connect and in all
# (redirects and reading the page included), and how many addresses are checked at once.
OIT_LINK_CONNECT_TIMEOUT_SECONDS = env.float(
    "ITAPORTAL_OIT_LINK_CONNECT_TIMEOUT_SECONDS", default=5.0
)
OIT_LINK_TIMEOUT_SECONDS = env.float("ITAPORTAL_OIT_LINK_TIMEOUT_SECONDS", default=10.0)
OIT_LINK_WORKERS = env.int("ITAPORTAL_OIT_LINK_WORKERS", default=4)
# "host:port" pairs the checker may fetch although they resolve to a private or loopback address:
# only the tests' and benchmarks' local server. Empty in production (no SSRF through a checklist).
OIT_LINK_ALLOWED_HOSTS: list[str] = []

AUTH_USER_MODEL = "accounts.User"
# django-axes comes first: it refuses a locked username and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "itaportal.accounts.backends.PortalBackend",  # Django's ModelBackend, with the organisation
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:start"  # the inbox when memos wait, else "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "itaportal.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "itaportal.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "itaportal.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "itaportal.accounts.passwords.NumericPasswordValidator"},
]

# Thai first: the people who use the portal read Thai; English is kept for developers.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "itaportal" / "static"]
STORAGES = {
    "default": {"BACKEND": "itaportal.storage.ThaiFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "itaportal.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail from EMAIL_URL (smtp+tls://user:password@mail.example.org:587); console in development.
_email = env.email_url("EMAIL_URL", default="consolemail://")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            key.removeprefix("EMAIL_").lower(): value
            for key, value in _email.items()
            if key in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL")
            and "smtp" in _email["EMAIL_BACKEND"]
        }
        | (
            {"username": _email["EMAIL_HOST_USER"], "password": _email["EMAIL_HOST_PASSWORD"]}
            if _email.get("EMAIL_HOST_USER")
            else {}
        ),
    }
}
# The portal's public address, for links in e-mails and the QR code on memos.
# `scripts/portal run` sets it to the address it serves; a deployment sets its public https address.
SITE_URL = env.str("ITAPORTAL_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The public verification page (reports.memos.verification): lookups of a code allowed per client
# address and window, and the largest PDF it checks (below nginx's client_max_body_size, so that
# the refusal is the portal's Thai page; a memo's PDF is a few hundred kB).
VERIFY_LOOKUPS_PER_WINDOW = env.int("ITAPORTAL_VERIFY_LOOKUPS", default=30)
VERIFY_LOOKUP_WINDOW_SECONDS = 10 * 60
VERIFY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="ita-portal@localhost")

# LINE (the Messaging API of the organisation's LINE Official Account): each step of a memo is
# also pushed to the person's LINE user or group id. Without a token nothing is sent.
LINE_CHANNEL_ACCESS_TOKEN = env.str("ITAPORTAL_LINE_CHANNEL_ACCESS_TOKEN", default="")
LINE_API_URL = env.str("ITAPORTAL_LINE_API_URL", default="https://api.line.me").rstrip("/")
# How LINE pushes run, as BATCH_RUNNER: "celery" on the workers (a thread when Redis is down),
# "thread" in the web process, "now" at once (tests). A failed push is tried again after 1, 2, 4,
# 8 and 16 times LINE_RETRY_SECONDS.
LINE_RUNNER = env.str("ITAPORTAL_LINE_RUNNER", default="celery" if REDIS_URL else "thread")
LINE_RETRY_SECONDS = env.float("ITAPORTAL_LINE_RETRY_SECONDS", default=2.0)

# Uploaded score files are parsed in memory; 5 MB holds far more than a country's results.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SCORES_UPLOAD_MAX_BYTES = 5 * 1024 * 1024

# Security (Django's deployment checklist). HTTPS is assumed in production: a reverse proxy
# terminates TLS and sets X-Forwarded-Proto (DJANGO_SECURE_PROXY_SSL_HEADER=true).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "itaportal.errors.csrf_failure"  # a Thai page, not Django's English one
SESSION_COOKIE_HTTPONLY = True
# The language chosen before logging in (itaportal/language.py); the account keeps it after.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Sessions end 25-30 minutes after the last request (below), and 10 hours after login whatever
# happens (itaportal.accounts.middleware.SessionLimitMiddleware).
SESSION_ENGINE = "itaportal.accounts.sessions"  # Django's database sessions, read more cheaply
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_SECONDS", default=30 * 60)
# An active session is saved (its idle expiry moved) at most every sixth of the idle limit
# (5 minutes of 30), not on every request: a person who stops is signed out between five
# sixths of the limit and the whole of it after their last request. Each save is a write to
# the sessions table (bench/README.md, session 35: once a minute was a save on one request in
# four of the benchmark's).
SESSION_REFRESH_SECONDS = min(5 * 60, SESSION_COOKIE_AGE // 6)
SESSION_ABSOLUTE_SECONDS = env.int("DJANGO_SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
# The proxies (addresses or networks, e.g. nginx's 127.0.0.1) whose X-Forwarded-For is believed:
# from any other peer the header is the client's own claim and is ignored. Default: none.
TRUSTED_PROXIES = [
    ip_network(proxy, strict=False) for proxy in env.list("DJANGO_TRUSTED_PROXIES", default=[])
]
# Login throttling by django-axes: 5 failures for one username from one address lock that pair
# for 15 minutes. Nothing else is ever locked, so nobody can lock a whole office out (README,
# Security).
LOGIN_FAILURE_LIMIT = env.int("ITAPORTAL_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("ITAPORTAL_LOGIN_LOCKOUT_SECONDS", default=15 * 60)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "itaportal.accounts.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "itaportal.accounts.login.login_locked_response"
AXES_RESET_ON_SUCCESS = True
# A refused attempt while locked does not move the end of the lock: it ends 15 minutes after the
# last password that was actually checked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The audit trail records logins (with the address); axes keeps only the failures it counts, and
# its tables stay out of the admin, which speaks only Thai.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# Content security policy: the portal loads only its own files; inline style attributes are the
# one allowance (Bootstrap components and the printable previews use them), scripts never inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
