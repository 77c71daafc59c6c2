from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from guichet.audit.models import AuditAction, AuditEntry
from guichet.dossiers.models import Document, Dossier, EventKind
from guichet.dossiers.services import document_upload, identity_documents_purge
from guichet.dossiers.tasks import purge_identity_documents
from guichet.dossiers.tests.fixtures import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(citizen, personas, make_dossier, settings):
    settings.GUICHET_IDENTITY_DOCUMENT_RETENTION_DAYS = 30
    dossier = make_dossier(citizen, "draft")
    document_upload(
        dossier=dossier, kind="proof_of_address", uploaded_file=upload(pdf_bytes(), name="a.pdf"), actor=citizen
    )
    from guichet.dossiers.tests.fixtures import png_bytes

    document_upload(dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=citizen)
    from guichet.dossiers.services import dossier_transition

    for name, actor in (("submit", citizen), ("start_instruction", None), ("accept", personas["instructor"])):
        dossier_transition(dossier=dossier, name=name, actor=actor)
    return dossier


def age(dossier: Dossier, days: int) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(decided_at=timezone.now() - timedelta(days=days))


def test_identity_documents_older_than_retention_are_purged(decided):
    age(decided, 31)
    identity = Document.objects.get(dossier=decided, kind="identity")
    path = identity.file.name
    assert default_storage.exists(path)
    assert identity_documents_purge() == 1
    identity.refresh_from_db()
    assert identity.purged_at is not None
    assert identity.file.name == ""
    assert not default_storage.exists(path)
    other = Document.objects.get(dossier=decided, kind="proof_of_address")
    assert other.purged_at is None and default_storage.exists(other.file.name)
    assert decided.events.filter(kind=EventKind.DOCUMENT_PURGED).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.DOCUMENT_PURGED, dossier_id=decided.pk).count() == 1


def test_purge_is_idempotent(decided):
    age(decided, 31)
    assert identity_documents_purge() == 1
    assert identity_documents_purge() == 0
    assert decided.events.filter(kind=EventKind.DOCUMENT_PURGED).count() == 1


def test_recent_decisions_and_open_dossiers_keep_their_documents(decided, citizen, make_dossier):
    age(decided, 29)
    open_dossier = make_dossier(citizen, "submitted")
    Document.objects.filter(dossier=open_dossier).update(uploaded_at=timezone.now() - timedelta(days=400))
    assert identity_documents_purge() == 0
    assert not Document.objects.filter(purged_at__isnull=False).exists()


def test_purge_survives_a_file_already_missing(decided):
    age(decided, 31)
    identity = Document.objects.get(dossier=decided, kind="identity")
    default_storage.delete(identity.file.name)
    assert identity_documents_purge() == 1


def test_task_and_command_call_the_same_service(decided, capsys):
    age(decided, 31)
    result = purge_identity_documents.enqueue()
    assert result.return_value == 1
    call_command("purge_identity_documents")
    assert "0 identity document(s) purged" in capsys.readouterr().out
