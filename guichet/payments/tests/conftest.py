from guichet.dossiers.tests.fixtures import *  # noqa: F403
from guichet.procedures.identity_documents.tests.factories import regulated_values  # noqa: F401
