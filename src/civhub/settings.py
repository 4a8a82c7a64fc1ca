"""civhub settings: one module, driven by environment variables (see README, "Configuration")."""

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from civhub.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("CIVHUB_VAR_DIR", str(BASE_DIR.parent.parent / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# HTTPS is assumed in production; `make run` on a laptop turns it off.
HTTPS = env_bool("CIVHUB_HTTPS", not DEBUG)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    # No key given: keep one generated key in var/ so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "ninja",  # serves the API reference page (Swagger UI) from static files, not a CDN
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "civhub.core",
    "civhub.accounts",
    "civhub.directory",
    "civhub.knowledge",
    "civhub.insights",
    "civhub.search",
    "civhub.awards",
    "civhub.events",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "civhub.accounts.middleware.RequireStaffTwoFactorMiddleware",
]

ROOT_URLCONF = "civhub.urls"
WSGI_APPLICATION = "civhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civhub.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (PostgreSQL, or SQLite elsewhere).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "civhub.sqlite3")}
    }
# Every SQLite database, however it is named: WAL lets readers work while one writer writes;
# writers wait for the lock (timeout, s) instead of failing with "database is locked", and
# take it when their transaction begins (IMMEDIATE), so two never deadlock upgrading a read.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database["OPTIONS"] = SQLITE_OPTIONS | _database.get("OPTIONS", {})
    elif _database["ENGINE"] == "django.db.backends.postgresql":
        # A server that drops packets would hold each request for minutes (the system's TCP
        # timeout) before the 503 page; `?connect_timeout=` in the URL overrides.
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Files in var/, shared by every process of the machine (gunicorn's workers, the worker of
    # background tasks): allauth's rate limits and used TOTP codes must count once for all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CIVHUB_CACHE_DIR", str(VAR_DIR / "cache")),
        }
    }

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
LOGIN_REDIRECT_URL = "core:home"

# django-allauth: log in by e-mail, verified before first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_ADAPTER = "civhub.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "civhub"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
# Ours first; locale_extra holds Kazakh for the allauth pages (allauth ships no Kazakh).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_extra"]
USE_I18N = True
# Django ships no Kazakh formats (dates, and the grouping `intcomma` uses: 14 000 000).
# USE_THOUSAND_SEPARATOR stays off: it would group years and ids too ("2 024").
FORMAT_MODULE_PATH = ["civhub.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Almaty")
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "ru", "kk")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# The demo staff accounts' generated passwords (civhub demo), readable by the owner only.
DEMO_ACCOUNTS_FILE = VAR_DIR / "demo-accounts.txt"
# Hashed, compressed static files after `collectstatic`; tests and DEBUG serve them as they are.
STATIC_MANIFEST = env_bool("CIVHUB_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: SMTP when EMAIL_HOST is set, else printed to the console.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "civhub <noreply@localhost>")
# The hub's name in every e-mail (subject and sign-off); empty: "Regional Hub of Civil
# Service" in the reader's language (core.mail.site_name).
CIVHUB_SITE_NAME = env_str("CIVHUB_SITE_NAME", "")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Administrators", addr) for addr in env_list("ADMINS", [])]

# Security: secure cookies, HSTS and redirects whenever the site runs behind HTTPS.
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Rate limits count per client address: behind a proxy, read it from X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "huey": {"level": env_str("HUEY_LOG_LEVEL", "WARNING")},
    },
}

# Attachments: the largest file accepted, in MiB.
CIVHUB_MAX_UPLOAD_MB = env_int("CIVHUB_MAX_UPLOAD_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Search (docs/architecture.md, "Search"): the sentence-embedding model behind the semantic half.
CIVHUB_EMBEDDER = env_str("CIVHUB_EMBEDDER", "civhub.search.embeddings.E5Embedder")
# The documents' vectors, one memory-mapped file per generation shared by every process of the
# host (search/vectors.py): on a local disk, never a network share.
CIVHUB_VECTORS_DIR = Path(env_str("CIVHUB_VECTORS_DIR", str(VAR_DIR / "vectors"))).resolve()

# Background work (huey): Redis when REDIS_URL is set, else a SQLite file beside the database;
# `civhub run_huey` is the worker (`make run` starts one). CIVHUB_TASKS_IMMEDIATE=1 runs tasks
# in the process that asks for them (the tests do).
HUEY = {
    "name": "civhub",
    "immediate": env_bool("CIVHUB_TASKS_IMMEDIATE", False),
    # Daily tasks run at the hub's local times (TIME_ZONE, which Django sets as the
    # process's time zone), so "results out today" means the hub's today.
    "utc": False,
    "consumer": {"workers": 1, "worker_type": "thread"},
}
# The worker writes a heartbeat this often (seconds); /healthz reports it dead after 4 missed.
CIVHUB_WORKER_HEARTBEAT = env_int("CIVHUB_WORKER_HEARTBEAT", 15)
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "tasks.sqlite3")}
