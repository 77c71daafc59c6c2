from guichet.procedures.identity_documents.tests.factories import communes, regulated_values  # noqa: F401
