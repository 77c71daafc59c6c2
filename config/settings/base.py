"""Settings shared by every environment; each value may be overridden by an environment variable (12-factor)."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GUICHET_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("GUICHET_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "guichet.portals.common.admin_apps.GuichetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",  # required by django-dsfr's checkbox and radio field templates
    "django_htmx",
    "ninja",  # serves the /api/docs assets locally instead of from a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "pgtrigger",
    "django_tasks",
    "django_tasks_db",
    "guichet.core",
    "guichet.audit",
    "guichet.territory",
    "guichet.accounts",
    "guichet.notifications",
    "guichet.help",
    "guichet.dossiers",
    "guichet.mandates",
    "guichet.payments",
    "guichet.appointments",
    "guichet.instruction",
    "guichet.trusted_parties",
    "guichet.mediation",
    "guichet.procedures.identity_documents",
    "guichet.portals.public",
    "guichet.portals.account",
    "guichet.portals.citizen",
    "guichet.portals.town_hall",
    "guichet.portals.instruction",
    "guichet.portals.professional",
    "guichet.portals.mediator",
    "guichet.portals.prefecture",
    "guichet.api",
    "guichet.operations",
    "guichet.demo",
]

MIDDLEWARE = [
    "guichet.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "guichet.core.session_refresh.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
FORM_RENDERER = "guichet.portals.common.form_renderer.DsfrFormRenderer"  # built once: see that module

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "guichet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.portals.public.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the task worker share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Guichet's queries are short index lookups. On tables of millions of rows the planner's cost estimates cross
    # the JIT threshold and PostgreSQL spent 50 ms compiling a 5 ms query (docs/performance.md): JIT off.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Server-side binding sends the parameters apart from the SQL, so psycopg prepares a statement the fifth time
    # a connection runs it and PostgreSQL stops planning it again: planning cost more than running on the hot
    # pages (docs/performance.md). Connections are kept (CONN_MAX_AGE), so the prepared statements are reused.
    # Turn it off behind a pooler in transaction mode, which cannot keep a statement prepared on one connection.
    if os.environ.get("DATABASE_SERVER_SIDE_BINDING", "true").lower() not in ("0", "false", "no"):
        # Django turns psycopg's automatic preparation off unless asked: a statement is prepared at its 5th run.
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "guichet.accounts.hashers.ConfiguredArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Argon2id cost (guichet/accounts/hashers.py): OWASP's recommended setting by default.
GUICHET_ARGON2_TIME_COST = int(os.environ.get("GUICHET_ARGON2_TIME_COST", "2"))
GUICHET_ARGON2_MEMORY_KIB = int(os.environ.get("GUICHET_ARGON2_MEMORY_KIB", "19456"))
GUICHET_ARGON2_PARALLELISM = int(os.environ.get("GUICHET_ARGON2_PARALLELISM", "1"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "account:home"
LOGOUT_REDIRECT_URL = "public:home"

SESSION_COOKIE_AGE = int(os.environ.get("GUICHET_SESSION_SECONDS", str(60 * 60 * 2)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sliding expiry: the session ends after SESSION_COOKIE_AGE of inactivity. SessionRefreshMiddleware moves the
# expiry at most once per SESSION_REFRESH_SECONDS instead of rewriting the session on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("GUICHET_SESSION_REFRESH_SECONDS", "60"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# Login throttling (django-axes): per account and per IP, counted separately.
AXES_FAILURE_LIMIT = int(os.environ.get("GUICHET_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("GUICHET_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "guichet.portals.account.views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("GUICHET_PROXY_COUNT", "0"))

OTP_TOTP_ISSUER = "Guichet"
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "guichet" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    # Uploaded documents are never served by URL: views stream them after an access check.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": None}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("GUICHET_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Guichet <ne-pas-repondre@guichet.localhost>")

GUICHET_SMS_PROVIDER = os.environ.get("GUICHET_SMS_PROVIDER", "guichet.notifications.channels.sms.FileSmsProvider")
GUICHET_SMS_FILE_PATH = VAR_DIR / "sms"
GUICHET_SMS_HTTP_URL = os.environ.get("GUICHET_SMS_HTTP_URL", "")
GUICHET_SMS_HTTP_TOKEN = os.environ.get("GUICHET_SMS_HTTP_TOKEN", "")
GUICHET_NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("GUICHET_NOTIFICATION_MAX_ATTEMPTS", "6"))

# Demo personas and the demo tokens of INTEROP.md are never allowed in production settings.
GUICHET_DEMO_DATA_ALLOWED = env_bool("GUICHET_DEMO_DATA_ALLOWED", True)

# Identity documents are purged this many days after the decision on their dossier.
GUICHET_IDENTITY_DOCUMENT_RETENTION_DAYS = int(os.environ.get("GUICHET_IDENTITY_DOCUMENT_RETENTION_DAYS", "30"))

# FranceConnect (OpenID Connect). Either an issuer to discover, or explicit endpoints.
FRANCECONNECT_ENABLED = env_bool("FRANCECONNECT_ENABLED", True)
FRANCECONNECT_ISSUER = os.environ.get("FRANCECONNECT_ISSUER", "https://fcp-low.sbx.dev-franceconnect.fr/api/v2").rstrip(
    "/"
)
FRANCECONNECT_CLIENT_ID = os.environ.get("FRANCECONNECT_CLIENT_ID", "")
FRANCECONNECT_CLIENT_SECRET = os.environ.get("FRANCECONNECT_CLIENT_SECRET", "")
FRANCECONNECT_ACR_VALUES = os.environ.get("FRANCECONNECT_ACR_VALUES", "eidas1")
FRANCECONNECT_SCOPES = os.environ.get(
    "FRANCECONNECT_SCOPES", "openid given_name family_name birthdate birthplace birthcountry gender email"
)
FRANCECONNECT_HTTP_TIMEOUT = float(os.environ.get("FRANCECONNECT_HTTP_TIMEOUT", "10"))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, FRANCECONNECT_ISSUER.split("/api/")[0]],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "guichet.core.request_id.RequestIdLogFilter"},
        "scrub_personal_data": {"()": "guichet.core.logging.PersonalDataScrubFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "scrub_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GUICHET_LOG_LEVEL", "INFO")},
    "loggers": {
        # The request logger would print full URLs (which may carry e-mail addresses or tokens).
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "axes": {"handlers": [], "propagate": False},
        "pikepdf": {"level": "WARNING"},
    },
}
