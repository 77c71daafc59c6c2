import os

import pytest

# The project's persona fixtures live beside the code; the quality gates reuse them as they are.
from guichet.conftest import citizen, personas, verified_client  # noqa: F401

from .authorization_matrix import MatrixContext


def build_matrix_context(personas_by_key) -> MatrixContext:
    """Objects URL parameters point to: a dossier of the citizen persona and one of somebody else."""
    from guichet.accounts.models import User
    from guichet.dossiers.models import Dossier
    from guichet.testing.personas import PASSWORD, ensure_test_territory

    department = ensure_test_territory()
    stranger, _ = User.objects.get_or_create(email="autre.usager@example.fr", defaults={"first_name": "Alex"})
    stranger.set_password(PASSWORD)
    stranger.save()
    dossier = Dossier.objects.create(procedure="cni", applicant=personas_by_key["citizen"], department=department)
    stranger_dossier = Dossier.objects.create(procedure="cni", applicant=stranger, department=department)
    return MatrixContext(personas=personas_by_key, dossier=dossier, stranger_dossier=stranger_dossier)


@pytest.fixture
def matrix_context(personas) -> MatrixContext:  # noqa: F811
    return build_matrix_context(personas)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright's sync API, for the browser tests of one module.

    Module-scoped so that Playwright's event loop, and the DJANGO_ALLOW_ASYNC_UNSAFE it requires, end with the
    browser tests instead of lasting for the rest of the session.
    """
    from playwright.sync_api import sync_playwright

    from guichet.testing.browser import allow_sync_playwright_with_django, launch_chromium

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
