"""Fixtures for every test of the repository (guichet/ and tests/)."""

import pytest

from guichet.testing.reference_data import reference_data_reseed


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live server, browser) start from a flushed database: put back the reference data that
    data migrations seed (fees, durations, decision motives), as production has it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        reference_data_reseed()
