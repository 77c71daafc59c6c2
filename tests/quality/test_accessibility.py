"""Accessibility gate: every HTML page each audience may open (per the matrix) has 0 axe-core violations.

Each persona signs in through the real login page, and through the real 2FA page once it exists (until then
`guichet.testing.browser.sign_in` marks the second factor verified in the session and warns).
"""

import pytest

from guichet.testing.browser import axe_violations, format_violations, sign_in

from .authorization_matrix import ANONYMOUS, EXPECTATIONS, FORBIDDEN, VERIFIED_AUDIENCES, pages_for, persona_key
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
        path = EXPECTATIONS[name].url(name, context)
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
