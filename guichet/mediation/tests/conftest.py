from guichet.dossiers.tests.fixtures import department, other_citizen, test_procedure  # noqa: F401
from guichet.mandates.tests.conftest import empty_sms_outbox, mediator, point, visitor  # noqa: F401
