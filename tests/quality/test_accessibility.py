"""Accessibility gate: every HTML page each audience may open (per the matrix) has 0 axe-core violations.

Each persona signs in through the real login page and the real 2FA page (`guichet.testing.browser.sign_in`).
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from guichet.testing.browser import axe_violations, format_violations, sign_in
from guichet.testing.personas import PASSWORD

from .authorization_matrix import (
    ANONYMOUS,
    EXPECTATIONS,
    FORBIDDEN,
    FRANCECONNECT_ON,
    VERIFIED_AUDIENCES,
    pages_for,
    persona_key,
)
from .conftest import build_matrix_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("audience", (ANONYMOUS, *VERIFIED_AUDIENCES))
def test_every_page_open_to_the_audience_has_no_axe_violation(audience, browser_page, live_server, personas):
    context = build_matrix_context(personas)
    key = persona_key(audience)
    if key is not None:
        sign_in(browser_page, base_url=live_server.url, user=personas[key])
    names = pages_for(audience)
    assert names, f"the matrix gives {audience} no page at all"
    reports: list[str] = []
    for name in names:
        item = EXPECTATIONS[name]
        path = item.url(name, context)
        with override_settings(**item.with_settings):
            response = browser_page.goto(live_server.url + path)
            assert response is not None and response.status == 200, f"{audience} {path}: {response and response.status}"
            assert browser_page.url == live_server.url + path, f"{audience} {path} ended on {browser_page.url}"
            violations = axe_violations(browser_page)
        if violations:
            reports.append(f"[{name}] " + format_violations(path, violations))
    assert not reports, f"axe-core violations for {audience}:\n" + "\n".join(reports)


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(browser_page, live_server):
    browser_page.goto(live_server.url + "/")
    browser_page.keyboard.press("Tab")
    first = browser_page.evaluate(
        "() => ({href: document.activeElement.getAttribute('href'), text: document.activeElement.textContent.trim()})"
    )
    assert first["href"] == "#content", f"first Tab stop is {first}, expected the skip link to #content"
    browser_page.keyboard.press("Enter")
    focused_id = browser_page.evaluate("() => document.activeElement && document.activeElement.id")
    assert focused_id == "content", f"after the skip link, focus is on #{focused_id}, expected #content"


def test_error_pages_have_no_axe_violation(browser_page, live_server, personas):
    """The 404 page, and the 403 page a citizen gets at an agent portal (first such URL of the matrix)."""
    reports: list[str] = []
    missing = browser_page.goto(live_server.url + "/page-qui-n-existe-pas/")
    assert missing is not None and missing.status == 404
    if violations := axe_violations(browser_page):
        reports.append(format_violations("404", violations))

    sign_in(browser_page, base_url=live_server.url, user=personas["citizen"])
    forbidden_name = next(name for name, item in sorted(EXPECTATIONS.items()) if item.get["citizen"] is FORBIDDEN)
    path = EXPECTATIONS[forbidden_name].url(forbidden_name, build_matrix_context(personas))
    refused = browser_page.goto(live_server.url + path)
    assert refused is not None and refused.status == 403, path
    if violations := axe_violations(browser_page):
        reports.append(format_violations(f"403 at {path}", violations))
    assert not reports, "\n".join(reports)


def test_forms_with_errors_and_refusal_pages_have_no_axe_violation(browser_page, live_server, personas):
    """States the matrix does not reach by GET: forms sent back with errors, unusable links (400), the 2FA page."""
    context = build_matrix_context(personas)
    page = browser_page
    base = live_server.url
    reports: list[str] = []

    def check(label: str, *, status_path: str | None = None) -> None:
        if status_path is not None:
            assert page.url.startswith(base + status_path), f"{label}: ended on {page.url}"
        if violations := axe_violations(page):
            reports.append(format_violations(label, violations))

    def submit(form_selector: str) -> None:
        with page.expect_navigation():
            page.locator(form_selector).first.locator('button[type="submit"]').first.click()

    # Sign-up with an invalid address and no password: the form comes back with its errors.
    page.goto(base + reverse("account:signup"))
    page.locator('input[name="email"]').fill("pas-une-adresse")
    submit('form:has(input[name="password1"])')
    assert page.locator(".fr-error-text, .fr-input-group--error, .fr-alert--error").count(), "signup shows no error"
    check("signup with errors", status_path=reverse("account:signup"))

    # Login with a wrong password.
    page.goto(base + reverse("account:login"))
    page.locator('input[name="username"]').fill(personas["citizen"].email)
    page.locator('input[name="password"]').fill("pas-le-bon-mot-de-passe")
    submit('form:has(input[name="password"])')
    check("login with a wrong password", status_path=reverse("account:login"))

    # Unusable links answer 400 with an explanation; a usable reset link leads to the new-password form.
    for label, name, kwargs in (
        ("unusable e-mail link", "account:email_verify", {"token": "lien-abime"}),
        ("unusable reset link", "account:password_reset_confirm", {**context.password_reset, "token": "abc-def"}),
    ):
        response = page.goto(base + reverse(name, kwargs=kwargs))
        assert response is not None and response.status == 400, f"{label}: {response and response.status}"
        check(label)
    with override_settings(**FRANCECONNECT_ON):
        response = page.goto(base + reverse("account:franceconnect:callback"))
        assert response is not None and response.status == 400, f"FranceConnect error: {response and response.status}"
        check("FranceConnect refusal page")
    response = page.goto(base + reverse("account:password_reset_confirm", kwargs=dict(context.password_reset)))
    assert response is not None and response.status == 200 and page.url.endswith("/set-password/"), page.url
    check("new password form (reset link)")

    # An agent between the login and the second factor: the 2FA page, then the same with a refused code.
    page.goto(base + reverse("account:login"))
    page.locator('input[name="username"]').fill(personas["instructor"].email)
    page.locator('input[name="password"]').fill(PASSWORD)
    submit('form:has(input[name="password"])')
    check("2FA page", status_path=reverse("account:two_factor_verify"))
    page.locator('input[name="code"]').fill("12345")  # 5 characters: never a valid code
    submit('form:has(input[name="code"])')
    check("2FA page with a refused code", status_path=reverse("account:two_factor_verify"))
    page.context.clear_cookies()

    # The citizen: an upload sent without a file (400), and the 2FA set-up with a wrong code.
    sign_in(page, base_url=base, user=personas["citizen"])
    page.goto(base + reverse("citizen:dossier_detail", kwargs={"reference": context.dossier.reference}))
    with page.expect_navigation():
        page.locator('form[action$="/pieces/ajouter/"] button[type="submit"]').first.click()
    check("document upload without a file")
    page.goto(base + reverse("account:two_factor_setup"))
    page.locator('input[name="code"]').fill(code_refused_by(personas["citizen"]))
    submit('form:has(input[name="code"])')
    check("2FA set-up with a wrong code", status_path=reverse("account:two_factor_setup"))
    page.locator('input[name="code"]').fill(code_accepted_by(personas["citizen"]))
    submit('form:has(input[name="code"])')
    check("recovery codes, shown once", status_path=reverse("account:two_factor_recovery_codes"))
    response = page.goto(base + reverse("account:two_factor_disable"))
    assert response is not None and response.status == 200, "a citizen may turn off the second factor"
    check("turning off the second factor")

    assert not reports, "\n".join(reports)


def pending_totp(user):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).latest("pk")
    return TOTP(device.bin_key, step=device.step, digits=device.digits)


def code_accepted_by(user) -> str:
    """The pending device's current code; its throttling delay (one second after the wrong code) is lifted."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user, confirmed=False).update(throttling_failure_count=0)
    return f"{pending_totp(user).token():06d}"


def code_refused_by(user) -> str:
    """Six digits that are none of the codes the user's pending device accepts right now (±1 step)."""
    totp = pending_totp(user)
    accepted = set()
    for drift in (-1, 0, 1):
        totp.drift = drift
        accepted.add(f"{totp.token():06d}")
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)
