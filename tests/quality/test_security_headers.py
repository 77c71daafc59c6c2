"""Production security: headers, cookies, `check --deploy`, and the refusal of unsafe settings.

The HTTP tests run the test client with the effective security settings of `config.settings.prod` (read in a
child process with a strong secret key) applied through `override_settings`.
"""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from guichet.testing.personas import PASSWORD

from .production import production_security_settings, run_python, strong_secret_key

TWO_YEARS = 2 * 365 * 24 * 3600
ONE_YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def prod_settings() -> dict:
    return production_security_settings()


@pytest.fixture
def prod_client(prod_settings):
    with override_settings(**prod_settings):
        yield Client()


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_whose_nonce_is_on_every_script(prod_client):
    response = prod_client.get(reverse("public:home"), secure=True)
    assert response.status_code == 200
    policy = csp_directives(response["Content-Security-Policy"])
    nonces = [source for source in policy["script-src"] if source.startswith("'nonce-")]
    assert len(nonces) == 1, policy["script-src"]
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts, "the page is expected to load the DSFR script"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts


@pytest.mark.django_db
def test_each_response_gets_a_fresh_csp_nonce(prod_client):
    first = csp_directives(prod_client.get("/", secure=True)["Content-Security-Policy"])["script-src"]
    second = csp_directives(prod_client.get("/", secure=True)["Content-Security-Policy"])["script-src"]
    assert first != second


@pytest.mark.django_db
def test_https_responses_carry_hsts_of_at_least_a_year_with_subdomains(prod_client):
    header = prod_client.get("/", secure=True)["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", header).group(1))  # type: ignore[union-attr]
    assert max_age >= ONE_YEAR
    assert "includeSubDomains" in header


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(prod_client):
    response = prod_client.get("/mentions-legales/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_https_behind_the_proxy_is_recognised_from_x_forwarded_proto(prod_client):
    response = prod_client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


@pytest.mark.django_db
def test_responses_forbid_framing_and_sniffing_and_limit_the_referrer(prod_client):
    response = prod_client.get("/", secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_httponly_and_same_site(prod_client, prod_settings, citizen):
    login_url = reverse("account:login")
    page = prod_client.get(login_url, secure=True)
    signed_in = prod_client.post(login_url, {"username": citizen.email, "password": PASSWORD}, secure=True)
    assert signed_in.status_code == 302, "the persona could not sign in"
    cookies = {
        "session": signed_in.cookies[prod_settings["SESSION_COOKIE_NAME"]],
        "csrf": page.cookies[prod_settings["CSRF_COOKIE_NAME"]],
    }
    for kind, cookie in cookies.items():
        assert cookie["secure"] is True, kind
        assert cookie["httponly"] is True, kind
        assert cookie["samesite"] in {"Lax", "Strict"}, kind
        assert cookie["path"] == "/" and not cookie["domain"], kind
        if cookie.key.startswith("__Host-"):
            continue
        pytest.fail(f"the {kind} cookie {cookie.key!r} should use the __Host- prefix (secure, host-only)")


def test_deploy_check_passes_under_production_settings():
    completed = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


IMPORT_PROD = "import config.settings.prod"


def test_production_settings_load_with_a_strong_secret_key_and_debug_off():
    completed = run_python(IMPORT_PROD, DJANGO_SECRET_KEY=strong_secret_key())
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize(
    ("secret_key", "why"),
    [
        (None, "no key: the development default"),
        ("insecure-development-key-change-me" + "x" * 40, "the development default, lengthened"),
        ("short-but-random-Hq3", "too short"),
    ],
)
def test_production_settings_refuse_a_default_or_weak_secret_key(secret_key, why):
    completed = run_python(IMPORT_PROD, DJANGO_SECRET_KEY=secret_key)
    assert completed.returncode != 0, why
    assert "ImproperlyConfigured" in completed.stderr and "DJANGO_SECRET_KEY" in completed.stderr, completed.stderr


def test_production_settings_refuse_debug_on():
    completed = run_python(IMPORT_PROD, DJANGO_SECRET_KEY=strong_secret_key(), DJANGO_DEBUG="true")
    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr and "DJANGO_DEBUG" in completed.stderr, completed.stderr
