from guichet.dossiers.tests.fixtures import department, other_citizen  # noqa: F401
from guichet.mandates.tests.conftest import visitor  # noqa: F401
from guichet.procedures.identity_documents.tests.factories import communes, regulated_values  # noqa: F401
