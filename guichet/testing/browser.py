"""Browser-test helpers: launch Debian's Chromium offline, sign a persona in through the real pages, run axe-core.

Used by the accessibility gates (tests/quality) and by any portal's browser tests. Playwright's sync API runs an
event loop in the test thread, so modules using it set ``DJANGO_ALLOW_ASYNC_UNSAFE=true`` (see
`allow_sync_playwright_with_django`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from .personas import PASSWORD, TOTP_KEY, current_totp_code

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM_PATH = Path("/usr/bin/chromium")
# The machine has no outside network: without these flags Chromium keeps trying to reach it.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# Where a real second-factor form asks for the code (the first that matches is filled).
ONE_TIME_CODE_INPUTS = (
    'input[autocomplete="one-time-code"]',
    'input[name="otp_token"]',
    'input[name="token"]',
    'input[name="code"]',
)


def allow_sync_playwright_with_django() -> None:
    """Playwright's sync API keeps an event loop running; Django would otherwise refuse ORM calls in tests."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def launch_chromium(playwright: Playwright) -> Browser:
    if not CHROMIUM_PATH.exists():
        raise RuntimeError(f"Browser tests need Chromium at {CHROMIUM_PATH}: run scripts/ensure-chromium.sh")
    return playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=list(CHROMIUM_ARGS), headless=True)


@dataclass(frozen=True)
class SignIn:
    """How a persona got in: `second_factor` is "not needed" (no device) or "real page" (the 2FA form)."""

    email: str
    second_factor: str


SECOND_FACTOR_NOT_NEEDED = "not needed"
SECOND_FACTOR_REAL_PAGE = "real page"


@contextmanager
def chromium_session() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright's sync API; DJANGO_ALLOW_ASYNC_UNSAFE, which that API requires, lasts
    only as long as the browser, then is put back as it was."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    allow_sync_playwright_with_django()
    playwright = sync_playwright().start()
    try:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def sign_in(page: Page, *, base_url: str, user: Any, password: str = PASSWORD, totp_key: str = TOTP_KEY) -> SignIn:
    """Signs `user` in through the real login page, then through the real 2FA page when the user has a device.

    The login page sends an account with a confirmed device to `account:two_factor_verify`, where the persona's
    current TOTP code is typed. django_otp accepts a code only once per 30-second step (replay protection), so
    the device's `last_t` is reset in the database first: a persona may sign in several times within one step
    (one browser context per audience, or one test after another) without waiting for the next code.
    """
    page.goto(base_url + reverse("account:login"))
    form = page.locator('form:has(input[name="password"])').first
    form.locator('input[name="username"]').fill(user.email)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('button[type="submit"], input[type="submit"]').first.click()
    if page.url.startswith(base_url + reverse("account:login")):
        raise AssertionError(f"Login refused for {user.email} (still on {page.url})")

    device = _confirmed_totp_device(user)
    if device is None:
        return SignIn(user.email, SECOND_FACTOR_NOT_NEEDED)

    verify_path = reverse("account:two_factor_verify")
    if not page.url.startswith(base_url + verify_path):
        raise AssertionError(f"{user.email} has a second factor but the login led to {page.url}, not {verify_path}")
    _forget_last_accepted_code(device)
    code_input = next((page.locator(s).first for s in ONE_TIME_CODE_INPUTS if page.locator(s).count()), None)
    if code_input is None:
        raise AssertionError(f"No code field on {page.url}")
    code_input.fill(current_totp_code(totp_key))
    with page.expect_navigation():
        code_input.press("Enter")
    if page.url.startswith(base_url + verify_path):
        raise AssertionError(f"Second factor refused for {user.email} (still on {page.url})")
    return SignIn(user.email, SECOND_FACTOR_REAL_PAGE)


def _forget_last_accepted_code(device: Any) -> None:
    """Lets the current TOTP step be used again (see `sign_in`); also clears any throttling of the device."""
    type(device).objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)


def _confirmed_totp_device(user: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


# ---------------------------------------------------------------------------------------------------------------
# axe-core


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs the bundled axe-core (offline) on the current page; returns its violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return list(results.response.get("violations", []))


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    """One readable block per page: rule id, impact, help, and the CSS targets of each failing node."""
    lines = [f"{url}: {len(violations)} axe violation(s)"]
    for violation in violations:
        lines.append(f"  - {violation['id']} [{violation.get('impact') or 'n/a'}] {violation.get('help', '')}")
        for node in violation.get("nodes", [])[:10]:
            target = " ".join(" ".join(t) if isinstance(t, list) else str(t) for t in node.get("target", []))
            lines.append(f"      {target}")
        if len(violation.get("nodes", [])) > 10:
            lines.append(f"      … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)
