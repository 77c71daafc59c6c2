"""Fixtures for the end-to-end tests: the project's personas and communes, and one Chromium per module."""

import os

import pytest

# The persona and territory fixtures live beside the code; the end-to-end tests reuse them as they are.
from guichet.conftest import citizen, personas, verified_client  # noqa: F401
from guichet.procedures.identity_documents.tests.factories import communes  # noqa: F401


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright's sync API; DJANGO_ALLOW_ASYNC_UNSAFE lasts only for the module."""
    from playwright.sync_api import sync_playwright

    from guichet.testing.browser import CHROMIUM_PATH, allow_sync_playwright_with_django, launch_chromium

    if not CHROMIUM_PATH.exists():
        pytest.skip("Debian's chromium is not installed")
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
