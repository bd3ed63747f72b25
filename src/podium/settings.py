"""Podium's settings. Where and how a deployment runs comes from the environment (the README's
"Configuration" lists every variable; tests/test_environment.py keeps it so); the defaults give the
embedded set-up (SQLite in var/, caches in files, e-mail to var/mail/, database-backed task queue).
What the product does (lengths, limits, retention, thresholds) is the same for every deployment:
plain constants here, which tests override with Django's `settings` fixture."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from podium.core import embeddedcache
from podium.core.clientip import TrustedProxiesError, parse_trusted_proxies
from podium.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("PODIUM_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
_EMBEDDED = DEBUG or env_bool("PODIUM_EMBEDDED", False)  # the demo set-up `make run` starts
if not SECRET_KEY:
    if _EMBEDDED:
        # Only the embedded demo set-up and debug runs get a throwaway key, kept in var/.
        key_file = VAR_DIR / "secret_key"
        if not key_file.exists():
            import secrets

            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        SECRET_KEY = key_file.read_text().strip()
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set (or DEBUG=1 / PODIUM_EMBEDDED=1).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "podium.core",
    "podium.security",
    "podium.topics",
    "podium.accounts",
    "podium.images",
    "podium.articles",
    "podium.moderation",
    "podium.stats",
    "podium.delivery",
    "podium.annotations",
    "podium.editorial",
    "podium.newsletter",
    "podium.bestof",
    "podium.web",
    "podium.privacy",
    "podium.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "podium.security.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "podium.core.middleware.LanguageMiddleware",
    # Cached pages for readers without a session, before sessions, CSRF, auth and messages.
    "podium.delivery.pagecache.PageCacheFastPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "podium.security.middleware.StrictUTF8Middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "podium.delivery.pagecache.PageCacheMiddleware",  # needs the user and the messages
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "podium.accounts.mfa.StaffMFAMiddleware",
]

ROOT_URLCONF = "podium.urls"
WSGI_APPLICATION = "podium.wsgi.application"
SITE_ID = 1

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
                "django.template.context_processors.i18n",
                "podium.core.context_processors.site",
            ],
            # Dates as each language writes them, in every template ("2 dec. 2026").
            "builtins": ["podium.core.templatetags.dates"],
        },
    }
]

# --- Database: SQLite (WAL) in var/ unless DATABASE_URL says otherwise -------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=60,
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, with a health check that needs no round trip (core/postgresql).
        DATABASES["default"]["ENGINE"] = "podium.core.postgresql"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "podium.sqlite3"),
            "OPTIONS": {
                # WAL lets readers and the writer work at once; IMMEDIATE transactions take the
                # write lock up front so concurrent writers wait instead of failing mid-way.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # Each gunicorn worker keeps its connection (and SQLite's page cache) between
            # requests instead of opening the file and running the PRAGMAs on every request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
# PostgreSQL: the few statements run on every search (the results page's articles) run prepared,
# planned once per connection. Off behind a connection pooler in transaction mode that does not
# keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements): add
# `?prepared_statements=0` to DATABASE_URL (a part of the database's address, not one more
# variable; taken out of the options before they reach psycopg).
PODIUM_DB_PREPARED_STATEMENTS = str(
    DATABASES["default"].get("OPTIONS", {}).pop("prepared_statements", "1")
).lower() not in ("0", "false", "no", "off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory, or Redis when REDIS_URL is set ---------------------------------------
REDIS_URL = env_str("REDIS_URL")
# The embedded set-up's page cache (pages and fragments) holds at most this many MB on disk; the
# entries stored longest ago make room. 1 GB: 10,000 articles' pages (22 KB) and fragments,
# about twice over.
PODIUM_PAGE_CACHE_DISK_MB = 1024
if REDIS_URL:
    # Django's Redis cache with its reads through one client kept per process (podium.core.cache):
    # a signed-in request reads its session from "default" on every request.
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "podium.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "pages": {
            "BACKEND": "podium.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("PODIUM_PAGE_CACHE_PREFIX", "podium"),
        },
    }
    SESSION_CACHE_ALIAS = "default"
else:
    # Shared by gunicorn's processes and the background worker, in SQLite files of their own
    # under var/cache/ (diskcache, podium.core.embeddedcache: never the site's database, whose
    # single writer the site needs for itself), each bounded by size in MB; the entries stored
    # longest ago make room. Django's FileBasedCache, before, listed its directory on every write.
    CACHES = {
        # Rate limits (sign-up, login, reset, newsletter) and the readers' daily de-duplication
        # count per site, not per process.
        "default": embeddedcache.config(VAR_DIR / "cache" / "default", 256),
        # Pages and page fragments.
        # The generation is a file of its own in this directory (not a cache entry: eviction
        # never drops it), checked with one stat() per request (podium.delivery.pagecache).
        "pages": embeddedcache.config(VAR_DIR / "cache" / "pages", PODIUM_PAGE_CACHE_DISK_MB),
        # Signed-in members' sessions (cached_db, podium.accounts.sessions): apart from the
        # default cache too, so that many members signed in never evict the rate-limit counters
        # (an evicted session is read from the database again).
        "sessions": embeddedcache.config(VAR_DIR / "cache" / "sessions", 256),
    }
    SESSION_CACHE_ALIAS = "sessions"
# The Dutch word list that decides which compounds the search index splits
# (podium.articles.search.compounds): OpenTaal's, from Debian's hunspell-nl.
PODIUM_SEARCH_WORDLIST = "/usr/share/hunspell/nl.dic"
# --- Anonymous page cache (podium.delivery.pagecache) --------------------------------------------
PODIUM_PAGE_CACHE = env_bool("PODIUM_PAGE_CACHE", True)
PODIUM_PAGE_CACHE_ALIAS = "pages"
# Each process keeps the pages it served lately in memory too, in front of the shared store;
# the shared generation is still checked on every request. 0 switches it off. The limit holds for
# each of the three memories (pages, the answers PageCacheWSGI sent, fragments): 4 MB is some 180
# article pages, more than a site's hot pages, and keeps a web process under 150 MB of RSS after
# bench/web.py's run (16 MB let each grow to 180-195 MB on pages the memory could never hold).
PODIUM_PAGE_CACHE_MEMORY_MB = 4  # deployment tuning in a settings module, not the environment
PODIUM_PAGE_CACHE_SECONDS = 600  # upper bound; changes bump
PODIUM_SHARED_MAX_AGE = 1  # s-maxage for proxies (nginx)
PODIUM_STALE_WHILE_REVALIDATE = 10
PODIUM_PAGE_CACHE_PARAMS = ["pagina"]  # query parameters a cached page may have
PODIUM_PAGE_CACHE_EXCLUDE = [
    "/zoeken/",
    "/redactie/",
    "/profiel/",
    "/beheer/",
    "/account/",
    "/i18n/",
    "/gezondheid/",
    "/health/",
    "/media/",
    "/fotos/",  # profile photos: who may see one depends on the viewer (web.views.photo)
    "/inzage/",  # preview links: one version for whoever holds the link, never cached
    "/static/",
    # Links from e-mails carry personal tokens (and show the subscriber's address).
    "/nieuwsbrief/bevestigen/",
    "/nieuwsbrief/afmelden/",
    "/nieuwsbrief/profiel/",
    "/nieuwsbrief/esp/",
]
PODIUM_PAGE_CACHE_BUMP_ON_POST = ["/beheer/"]  # the admin writes rows directly

# --- Background work: Django's Tasks API on the database ---------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Accounts ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "articles:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Podium] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_ADAPTER = "podium.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:profile"
ACCOUNT_FORMS = {"signup": "podium.accounts.forms.SignupForm"}  # with a honeypot
# allauth's rate limits, on the real client address (podium.core.clientip through the account
# adapter). Sign-in (podium.accounts.adapter): wrong passwords per client address, and per account
# *and* client address, so that nobody can lock an editor out by typing their address; per account
# from anywhere only a looser limit, beyond which the account is slowed down (one attempt per
# `login_slowed` from a browser that never signed in to it), never locked. The second-factor
# step counts wrong codes per client address and per account (allauth's `login_failed`);
# re-authentication goes through the same sign-in checks.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,50/h/ip,5/300s/key",
    "login_failed_account": "20/h/key",
    "login_slowed": "1/30s/key",
    "signup": "10/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user,30/m/ip",
    "confirm_email": "1/180s/key",
    "change_password": "5/m/user,20/m/ip",
    "manage_email": "10/m/user",
}
# Adding or changing an e-mail address (and adding a second factor) asks for the password or a
# second factor again when the last one is more than five minutes old; changing the password
# asks for the current one. The old address gets a notice with a link to undo the change
# (podium.accounts.adapter), valid this many days.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True

# Second factors (allauth.mfa): TOTP with recovery codes, and security keys or passkeys
# (WebAuthn) as another second factor. Either one satisfies the requirement for editors and
# administrators before the desk or the admin (podium.accounts.mfa); contributors may add them on
# their own. Signing in with a passkey alone (MFA_PASSKEY_LOGIN_ENABLED) stays off: a key is a
# second factor after the password here.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_FORMS = {
    "add_webauthn": "podium.accounts.mfa_forms.AddSecurityKeyForm",
    "authenticate_webauthn": "podium.accounts.mfa_forms.SecurityKeyAuthenticateForm",
}
MFA_TOTP_ISSUER = "Podium"
# A code typed as the 30-second step turns over is still taken (one step either side, as RFC 6238
# section 5.2 advises for transmission delay); allauth's default takes the current step only, so
# a slow submit at the boundary was refused.
MFA_TOTP_TOLERANCE = 1
PODIUM_STAFF_MFA_REQUIRED = env_bool("PODIUM_STAFF_MFA_REQUIRED", True)

# --- Internationalisation: Dutch first, English second -----------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
# "2 december 2026, 14:30" in Dutch, "2 December 2026, 14:30" in English (podium/core/formats/).
FORMAT_MODULE_PATH = ["podium.core.formats"]
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files go through two named storages (podium.core.storage): "default" holds public media
# (content-hashed names, cached for a year), "private" holds what only some may download
# (compilations, data exports, profile photos behind their checking view). Embedded: folders in
# var/. PODIUM_STORAGE=s3: an S3-compatible object store, one bucket per kind, so every web and
# worker machine sees the same files. Keep the two alias names: apps store through them.
MEDIA_ROOT = VAR_DIR / "media"
PODIUM_PRIVATE_ROOT = VAR_DIR / "private"
PODIUM_STORAGE = env_str("PODIUM_STORAGE", "local")
# Where readers fetch public media: "/media/" (Podium or nginx), a CDN ("https://cdn.example.org/")
# or, with S3 and nothing set, the bucket's own URL.
PODIUM_MEDIA_BASE_URL = env_str("PODIUM_MEDIA_BASE_URL", "")
if PODIUM_STORAGE == "local":
    MEDIA_URL = PODIUM_MEDIA_BASE_URL or "/media/"
    STORAGES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "podium.core.storage.PublicFileSystemStorage"},
        "private": {"BACKEND": "podium.core.storage.PrivateFileSystemStorage"},
    }
elif PODIUM_STORAGE == "s3":
    _s3: dict[str, Any] = {
        "endpoint_url": env_str("PODIUM_S3_ENDPOINT_URL") or None,  # empty: AWS itself
        "region_name": env_str("PODIUM_S3_REGION") or None,
        "access_key": env_str("PODIUM_S3_ACCESS_KEY_ID") or None,  # empty: boto3's own chain
        "secret_key": env_str("PODIUM_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": env_str("PODIUM_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
        "signature_version": "s3v4",
    }
    for _kind in ("PUBLIC", "PRIVATE"):
        if not env_str(f"PODIUM_S3_{_kind}_BUCKET"):
            raise ImproperlyConfigured(f"PODIUM_STORAGE=s3 needs PODIUM_S3_{_kind}_BUCKET.")
    MEDIA_URL = PODIUM_MEDIA_BASE_URL or "/media/"
    STORAGES = {
        "default": {
            "BACKEND": "podium.core.s3storage.PublicS3Storage",
            "OPTIONS": {
                **_s3,
                "bucket_name": env_str("PODIUM_S3_PUBLIC_BUCKET"),
                "base_url": PODIUM_MEDIA_BASE_URL,
            },
        },
        "private": {
            "BACKEND": "podium.core.s3storage.PrivateS3Storage",
            "OPTIONS": {**_s3, "bucket_name": env_str("PODIUM_S3_PRIVATE_BUCKET")},
        },
    }
else:
    raise ImproperlyConfigured("PODIUM_STORAGE must be 'local' or 's3'.")
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# Podium serves /media/ itself from MEDIA_ROOT in the embedded set-up; with S3 the bucket (behind
# nginx or a CDN) does.
SERVE_MEDIA = PODIUM_STORAGE == "local"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail: files in var/mail/ in the embedded set-up, else SMTP or a provider -----------------
# One mailer, "default", from the environment: EMAIL_BACKEND names its backend; Django's SMTP
# backend takes the EMAIL_HOST… variables, the file backend writes to var/mail/, and an anymail
# backend reads its provider's settings from ANYMAIL (below). A production site never writes its
# mail to files unasked (`check --deploy` refuses that backend): it hands it to EMAIL_HOST.
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if _EMBEDDED
    else "django.core.mail.backends.smtp.EmailBackend",
)
_MAILER_OPTIONS: dict[str, dict[str, object]] = {
    "django.core.mail.backends.smtp.EmailBackend": {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    },
    "django.core.mail.backends.filebased.EmailBackend": {"file_path": VAR_DIR / "mail"},
}
MAILERS = {
    "default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _MAILER_OPTIONS.get(_EMAIL_BACKEND, {})}
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Podium <podium@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EDITORS_EMAIL = env_str("PODIUM_EDITORS_EMAIL", "")

# --- Newsletter: batches, leases, rates; anymail's provider settings come from ANYMAIL_* -------
NEWSLETTER_FROM_EMAIL = env_str("NEWSLETTER_FROM_EMAIL", "")
NEWSLETTER_BATCH_SIZE = 100
NEWSLETTER_LEASE_SECONDS = 120
NEWSLETTER_SEND_RATE = env_int("NEWSLETTER_SEND_RATE", 0, minimum=0)  # per minute; 0 = no limit
NEWSLETTER_PARALLEL_TASKS = 2
NEWSLETTER_MAX_ATTEMPTS = 8
NEWSLETTER_RETRY_BASE_SECONDS = 30
NEWSLETTER_BOUNCE_LIMIT = 2
NEWSLETTER_IDLE_WAIT_SECONDS = 15
NEWSLETTER_SIGNUP_LIMIT = 5  # per client address per hour
# e.g. ANYMAIL_MAILGUN_API_KEY, ANYMAIL_WEBHOOK_SECRET ("user:password" for the webhooks' basic auth).
# The provider whose bounce/complaint webhook is mounted: the one EMAIL_BACKEND names
# ("anymail.backends.mailgun.EmailBackend" -> "mailgun"); none for SMTP or files.
PODIUM_ESP = _EMAIL_BACKEND.split(".")[2] if _EMAIL_BACKEND.startswith("anymail.backends.") else ""
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}

# --- Security --------------------------------------------------------------------------------------
# A site served over HTTPS (SITE_URL https://…) gets HSTS, secure cookies and the HTTPS redirect by
# default; each can still be set on its own.
_HTTPS = SITE_URL.startswith("https://")
SECURE_HSTS_SECONDS = 31_536_000 if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS  # the header only; submitting to the list is a choice
SECURE_SSL_REDIRECT = _HTTPS
# Django's cached database sessions, with the member signed in to each (accounts/sessions.py).
SESSION_ENGINE = "podium.accounts.sessions"
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies in front of Podium (podium.core.clientip): empty or 0 = none, X-Forwarded-For is
# ignored; a count ("1": nginx only); or their networks ("127.0.0.1/32,10.0.0.0/8"), which is
# safer: the header is then believed only from those peers. Every per-address limit uses it.
try:
    _proxies = parse_trusted_proxies(env_str("PODIUM_TRUSTED_PROXIES"))
except TrustedProxiesError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
PODIUM_TRUSTED_PROXIES: int | list[str] = (
    _proxies if isinstance(_proxies, int) else [str(net) for net in _proxies]
)


def _media_origin(url: str) -> list[str]:
    """The origin of an absolute URL ([] for a path such as "/media/")."""
    match = re.match(r"^(https?://[^/]+)", url)
    return [match.group(1)] if match else []


def _public_media_origins() -> list[str]:
    """Where browsers fetch public media (pictures, share cards) from, besides the site: the CDN
    or nginx of PODIUM_MEDIA_BASE_URL, else, with S3, the public bucket as django-storages
    addresses it (tests/security/test_csp_media.py compares this with the storage's own URLs).
    Only that bucket: never a whole provider."""
    if PODIUM_MEDIA_BASE_URL or PODIUM_STORAGE != "s3":
        return _media_origin(MEDIA_URL)
    bucket = env_str("PODIUM_S3_PUBLIC_BUCKET")
    style = _s3["addressing_style"]
    endpoint = _s3["endpoint_url"]
    if endpoint:
        scheme, _sep, host = endpoint.partition("://")
        host = host.split("/", 1)[0]
        # botocore addresses a bucket behind an endpoint of its own by path unless told otherwise.
        return [f"{scheme}://{bucket}.{host}" if style == "virtual" else f"{scheme}://{host}"]
    region = _s3["region_name"]
    hosts = ["s3.amazonaws.com", *([f"s3.{region}.amazonaws.com"] if region else [])]
    if style != "path":
        hosts = [f"{bucket}.{host}" for host in hosts]
    return [f"https://{host}" for host in hosts]


# Django's own CSP: nothing inline, nothing from elsewhere; violations are counted (security app).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": [
        "'self'",
        "data:",
        *_public_media_origins(),
    ],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "report-uri": ["/csp-rapport/"],
}
PODIUM_PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "bluetooth": [],
    "midi": [],
    "display-capture": [],
    "browsing-topics": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

# --- Product rules live in their apps as constants (articles/rules.py, articles/limits.py,
# editorial/rules.py, the modules that apply them): nobody deploys them differently. What stays
# here is for the deployment: when the upkeep runs, the printer's page.
# When the worker runs the daily upkeep (retention, automatic trust), local time HH:MM.
PODIUM_DAILY_AT = "03:30"
if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", PODIUM_DAILY_AT):
    raise ImproperlyConfigured("PODIUM_DAILY_AT must be a time of day as HH:MM, e.g. 03:30.")

# Het beste van Podium (bestof): the printer's trim size in mm ("WIDTHxHEIGHT"), its bleed, and its
# ICC output profile (a file path; when set, the printer's PDF conforms to PDF/X-4). Finished
# compilations are kept outside MEDIA_ROOT, so only editors can download them through a view.
PODIUM_BESTOF_TRIM_SIZE = "210x280"
PODIUM_BESTOF_BLEED_MM = 3
PODIUM_BESTOF_ICC_PROFILE = env_str("PODIUM_BESTOF_ICC_PROFILE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is one line (Django would add a traceback to every PermissionDenied).
    "filters": {"one_line_refusals": {"()": "podium.core.logs.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
