"""Streaming a justificatif to someone allowed to see it; used by every portal's download view."""

from typing import Any

from django.http import FileResponse, Http404

from .models import Document, Dossier
from .services.documents import EXTENSIONS, document_record_view

# Roles whose opening of a document is journaled: everyone acting for an administration or a third party.
JOURNALED_ROLES = frozenset({"instructor", "mairie_agent", "mediator", "representative", "trusted_party"})


def document_response(*, dossier: Dossier, document_id: int, user: Any, role: str) -> FileResponse:
    """`dossier` comes from `dossier_access(..., action="view_documents")`; the document must belong to it."""
    document = Document.objects.filter(dossier=dossier, pk=document_id, purged_at__isnull=True).first()
    if document is None or not document.file.name:
        raise Http404
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    if role in JOURNALED_ROLES:
        document.dossier = dossier
        document_record_view(document=document, actor=user, role=role)
    extension = EXTENSIONS.get(document.content_type, "bin")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.kind}-{dossier.reference}-{document.pk}.{extension}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private, max-age=0"
    response["Pragma"] = "no-cache"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
