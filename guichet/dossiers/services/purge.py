"""Identity documents are kept only as long as the decision needs them."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from guichet.audit.models import AuditAction
from guichet.audit.services import SYSTEM, audit_record

from ..models import Document, EventKind
from ..workflow import DECIDED_STATUSES
from .actors import event_record


def identity_documents_due_for_purge(*, now: datetime | None = None) -> QuerySet[Document]:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.GUICHET_IDENTITY_DOCUMENT_RETENTION_DAYS)
    return Document.objects.filter(
        is_identity_document=True,
        purged_at__isnull=True,
        dossier__status__in=sorted(DECIDED_STATUSES),
        dossier__decided_at__lte=cutoff,
    ).order_by("pk")


def identity_documents_purge(*, now: datetime | None = None) -> int:
    """Deletes the files of identity documents of dossiers decided more than the retention delay ago.

    Each document is handled in its own transaction, so one failure does not undo the others; running it
    again only handles what is left (idempotent). Returns the number of documents purged.
    """
    purged = 0
    for document_id in identity_documents_due_for_purge(now=now).values_list("pk", flat=True).iterator():
        if _purge_one(document_id=document_id):
            purged += 1
    return purged


@transaction.atomic
def _purge_one(*, document_id: int) -> bool:
    document = Document.objects.select_for_update().select_related("dossier").filter(pk=document_id).first()
    if document is None or document.purged_at is not None:
        return False
    if document.file.name:
        document.file.storage.delete(document.file.name)
    document.file.name = ""
    document.purged_at = timezone.now()
    document.save(update_fields=["file", "purged_at"])
    data = {"document_id": document.pk, "kind": document.kind}
    event_record(dossier=document.dossier, kind=EventKind.DOCUMENT_PURGED, actor=SYSTEM, data=data)
    audit_record(
        action=AuditAction.DOCUMENT_PURGED,
        actor=SYSTEM,
        dossier_id=document.dossier_id,
        subject_user_id=document.dossier.applicant_id,
        object_type="document",
        object_id=document.pk,
        data=data,
    )
    return True
