"""Runs Python under `config.settings.prod` in a child process, with a strong secret key unless told otherwise.

The production settings module checks its environment when imported, so it is imported in a fresh interpreter
rather than in the test process (where `config.settings.base` has already read the test environment).
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from csp.constants import NONCE
from django.conf import settings

NONCE_MARK = "<csp.constants.NONCE>"

# Settings copied from production into the tests that exercise its security behaviour.
SECURITY_SETTING_NAMES = (
    "DEBUG",
    "MIDDLEWARE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CONTENT_SECURITY_POLICY",
)


def strong_secret_key() -> str:
    return secrets.token_urlsafe(64)


def run_python(
    code: str, *, settings_module: str = "config.settings.prod", **env_overrides: str | None
) -> subprocess.CompletedProcess:
    """`python -c code` from the project root with `settings_module`; an override of None removes the variable."""
    # DJANGO_ALLOW_ASYNC_UNSAFE belongs to the browser tests' process only (and `check --deploy` rejects it).
    unwanted = {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    env.setdefault("DJANGO_SECRET_KEY", strong_secret_key())
    for name, value in env_overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_security_settings() -> dict:
    """The effective security settings of `config.settings.prod`, ready for `override_settings`."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; from csp.constants import NONCE; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {SECURITY_SETTING_NAMES!r}}}, "
        f"default=lambda value: {NONCE_MARK!r} if value is NONCE else str(value)))"
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr
    values = json.loads(completed.stdout.strip().splitlines()[-1])
    for sources in values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"].values():
        sources[:] = [NONCE if source == NONCE_MARK else source for source in sources]
    if values["SECURE_PROXY_SSL_HEADER"] is not None:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values
