"""What the robustness scripts share: a small benchmark database, gunicorn, signed-in HTTP clients, the verdict."""

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from bench.generate import DEFAULT_DATABASE, ROOT, setup_django
from bench.run import Server

PORT = 8790
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_url(scale: str = "small") -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE.format(scale=scale)


def ensure_dataset(url: str, scale: str = "small") -> dict:
    """The small dataset (built if its fixtures file is missing); Django set up on it."""
    fixtures = ROOT / "var" / "bench" / f"{scale}-fixtures.json"
    if not fixtures.exists() or os.environ.get("BENCH_FRESH"):
        from bench import generate

        generate.main(["--scale", scale, "--database-url", url, "--fixtures", str(fixtures)])
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)  # a dataset kept from an older checkout
    return json.loads(fixtures.read_text(encoding="utf-8"))


def server_env(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "GUICHET_LOG_LEVEL": "WARNING",
        **extra,
    }


@contextmanager
def gunicorn(
    url: str, workers: int = 4, port: int = PORT, log_name: str = "robustness", **extra: str
) -> Iterator[Server]:
    log = ROOT / "var" / "bench" / f"{log_name}-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with Server(server_env(url, **extra), port, workers, log) as server:
        yield server


def signed_in_session(user, base: str) -> requests.Session:
    """An HTTP client carrying a session of `user`, made directly in the session store (no argon2 per client)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, store.session_key, domain="127.0.0.1", path="/")
    session.headers["Referer"] = base + "/"
    return session


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def verdict(passed: bool, summary: str) -> int:
    print(summary, flush=True)
    print("PASS" if passed else "FAIL", flush=True)
    return 0 if passed else 1


def python() -> str:
    return sys.executable


def var_path(name: str) -> Path:
    path = ROOT / "var" / "bench" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
