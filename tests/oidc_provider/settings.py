"""Settings of the test OpenID provider (never used by Guichet itself)."""

import os
from pathlib import Path

from tests.oidc_provider import keys

DATA_DIR = Path(os.environ["OIDC_PROVIDER_DATA_DIR"])
BASE_URL = os.environ["OIDC_PROVIDER_BASE_URL"].rstrip("/")

SECRET_KEY = "test-oidc-provider-key-not-a-secret-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "provider.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_NAME = "provider_session"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": keys.pem("main_rsa"),
    "OIDC_ISS_ENDPOINT": f"{BASE_URL}/api/v2",
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.FranceConnectLikeValidator",
    "SCOPES": {
        name: name
        for name in (
            "openid",
            "given_name",
            "family_name",
            "birthdate",
            "birthplace",
            "birthcountry",
            "gender",
            "email",
            "identite_pivot",
        )
    },
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_post"],
}
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "WARNING", "handlers": []}}
