"""The pré-demande pages, visited in Chromium with JavaScript on, have no axe-core violation."""

import os

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from guichet.procedures.identity_documents.tests.factories import make_predemande

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_predemande_pages_have_no_axe_violations(live_server, citizen, communes, regulated_values, monkeypatch):
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    from guichet.testing.browser import (
        axe_violations,
        format_violations,
        launch_chromium,
    )

    draft = make_predemande(citizen, titles=("cni", "passeport"), validate=False)
    validated = make_predemande(citizen, titles=("passeport",))
    client = Client()
    client.force_login(citizen)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    paths = [
        reverse("citizen:home"),
        reverse("citizen:predemande_start"),
        *(
            reverse("citizen:predemande_step", args=[draft.number, slug])
            for slug in ("etat-civil", "adresse", "titres")
        ),
        reverse("citizen:predemande_review", args=[draft.number]),
        reverse("citizen:predemande_result", args=[validated.number]),
    ]
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    failures = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context()
            context.add_cookies([cookie])  # type: ignore[list-item]
            page = context.new_page()
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, path
                violations = axe_violations(page)
                if violations:
                    failures.append(format_violations(path, violations))
        finally:
            browser.close()
    assert not failures, "\n".join(failures)
