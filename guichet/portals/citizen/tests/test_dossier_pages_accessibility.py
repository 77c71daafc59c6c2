"""Every dossier page of the citizen and instruction portals, visited in Chromium, has no axe-core violation."""

import os

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from guichet.portals.citizen.views import DOSSIER_GROUP_PAGE_SIZE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def session_cookie(client, live_server) -> dict:
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def test_dossier_pages_have_no_axe_violations(live_server, verified_client, personas, make_dossier, monkeypatch):
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed")
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    citizen, instructor = personas["citizen"], personas["instructor"]
    draft = make_dossier(citizen, "draft")
    for _ in range(DOSSIER_GROUP_PAGE_SIZE):  # enough drafts for the group page's pagination and the "see all" link
        make_dossier(citizen, "draft")
    submitted = make_dossier(citizen, "submitted")
    in_instruction = make_dossier(citizen, "in_instruction", instructor=instructor)
    citizen_client = Client()
    citizen_client.force_login(citizen)
    citizen_cookie = session_cookie(citizen_client, live_server)
    citizen_pages = [
        reverse("citizen:home"),
        reverse("citizen:dossier_group", args=["brouillons"]),
        reverse("citizen:dossier_detail", args=[draft.reference]),
        reverse("citizen:dossier_detail", args=[submitted.reference]),
        reverse("citizen:dossier_transition", args=[draft.reference, "withdraw"]),
    ]
    agent_client = verified_client(instructor)
    instructor_cookie = session_cookie(agent_client, live_server)
    instructor_pages = [
        reverse("instruction:home"),
        reverse("instruction:dossier_detail", args=[in_instruction.reference]),
        reverse("instruction:dossier_transition", args=[in_instruction.reference, "refuse"]),
    ]
    axe = Axe()
    failures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for cookie, pages in ((citizen_cookie, citizen_pages), (instructor_cookie, instructor_pages)):
                context = browser.new_context()
                context.add_cookies([cookie])  # type: ignore[list-item]
                page = context.new_page()
                for path in pages:
                    response = page.goto(live_server.url + path)
                    assert response is not None and response.status == 200, path
                    assert page.url == live_server.url + path, f"{path} redirected to {page.url}"
                    if os.environ.get("GUICHET_SCREENSHOT_DIR"):
                        name = path.strip("/").replace("/", "_") or "root"
                        page.screenshot(path=f"{os.environ['GUICHET_SCREENSHOT_DIR']}/{name}.png", full_page=True)
                    results = axe.run(page)
                    if results.violations_count:
                        failures[path] = results.generate_report()
                context.close()
        finally:
            browser.close()
    assert not failures, failures
