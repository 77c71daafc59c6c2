"""Fixtures for every test of the repository (guichet/ and tests/)."""

import pytest

from guichet.testing.reference_data import reference_data_missing, reference_data_reseed


@pytest.fixture(autouse=True)
def _reference_data_present(request):
    """Transactional tests (live server, browser) end with a flushed database, which also removes the reference data
    that data migrations seed (fees, durations, decision motives). Every database test gets it back, as production
    has it, whatever ran before."""
    marker = request.node.get_closest_marker("django_db")
    uses_database = marker is not None or bool({"db", "transactional_db", "live_server"} & set(request.fixturenames))
    if not uses_database:
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    if reference_data_missing():
        reference_data_reseed()
