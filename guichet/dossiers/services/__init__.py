from .access import dossier_access_grant, dossier_access_revoke
from .documents import document_record_view, document_upload, document_validate
from .errors import AccessAlreadyGranted, DocumentRejected, StaleDossier
from .lifecycle import dossier_assign, dossier_create, dossier_record_view, dossier_transition
from .purge import identity_documents_purge

__all__ = [
    "AccessAlreadyGranted",
    "DocumentRejected",
    "StaleDossier",
    "document_record_view",
    "document_upload",
    "document_validate",
    "dossier_access_grant",
    "dossier_access_revoke",
    "dossier_assign",
    "dossier_create",
    "dossier_record_view",
    "dossier_transition",
    "identity_documents_purge",
]
