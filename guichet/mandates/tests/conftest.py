import pytest

from guichet.dossiers.tests.fixtures import department, other_citizen, test_procedure  # noqa: F401
from guichet.notifications.channels.sms import MemorySmsProvider

from .factories import MOBILE


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    MemorySmsProvider.outbox.clear()
    yield
    MemorySmsProvider.outbox.clear()


@pytest.fixture
def mediator(personas):
    return personas["mediator"]


@pytest.fixture
def point(mediator):
    return mediator.role_assignments.get().place


@pytest.fixture
def visitor(personas):
    citizen = personas["citizen"]
    citizen.mobile_phone = MOBILE
    citizen.save(update_fields=["mobile_phone"])
    return citizen
