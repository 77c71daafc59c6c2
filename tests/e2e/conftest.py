"""Fixtures for the end-to-end tests: the project's personas and communes, and one Chromium per module."""

import pytest

# The persona and territory fixtures live beside the code; the end-to-end tests reuse them as they are.
from guichet.conftest import citizen, personas, verified_client  # noqa: F401
from guichet.procedures.identity_documents.tests.factories import communes  # noqa: F401


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium; DJANGO_ALLOW_ASYNC_UNSAFE lasts only for the module."""
    from guichet.testing.browser import CHROMIUM_PATH, chromium_session

    if not CHROMIUM_PATH.exists():
        pytest.skip("Debian's chromium is not installed")
    with chromium_session() as browser:
        yield browser
