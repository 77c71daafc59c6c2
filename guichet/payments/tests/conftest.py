import importlib

import pytest

from guichet.dossiers.tests.fixtures import *  # noqa: F403


@pytest.fixture
def regulated_values(db) -> None:
    """Re-seeds the stamp periods of our data migration: tests with `transaction=True` start from a flushed database."""
    from django.apps import apps

    importlib.import_module("guichet.payments.migrations.0002_predemande_stamp_periods").seed(apps, None)
