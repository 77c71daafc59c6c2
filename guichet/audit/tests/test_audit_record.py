import hashlib

import pytest
from django.db import connection
from django.utils import timezone

from guichet.audit.chain import GENESIS_HASH
from guichet.audit.models import AuditAction, AuditEntry, AuditHead
from guichet.audit.services import SYSTEM, Actor, audit_record
from guichet.audit.verification import audit_chain_problems
from guichet.core.exceptions import AppendOnlyViolation

pytestmark = pytest.mark.django_db

AGENT = Actor(user_id=12, role="mairie_agent", organisation="Mairie de Bayonne")


def test_entries_are_numbered_and_each_points_to_the_previous_hash():
    first = audit_record(action=AuditAction.LOGIN, actor=AGENT)
    second = audit_record(action=AuditAction.DOSSIER_VIEWED, actor=AGENT, dossier_id=5, object_type="dossier")
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    head = AuditHead.objects.get()
    assert (head.sequence, head.entry_hash) == (2, second.entry_hash)
    assert list(audit_chain_problems()) == []


def test_data_is_stored_as_the_database_returns_it_so_a_faithful_row_verifies():
    entry = audit_record(
        action=AuditAction.DOSSIER_TRANSITION, actor=SYSTEM, data={"codes": ("a", "b"), "by_step": {1: "x"}}
    )
    entry.refresh_from_db()
    assert entry.data == {"codes": ["a", "b"], "by_step": {"1": "x"}}
    assert list(audit_chain_problems()) == []


def test_data_that_is_not_json_is_refused():
    with pytest.raises(TypeError):
        audit_record(action=AuditAction.DOSSIER_CHANGED, actor=SYSTEM, data={"when": object()})
    assert AuditEntry.objects.count() == 0


def test_orm_cannot_change_or_delete_entries():
    entry = audit_record(action=AuditAction.LOGIN, actor=AGENT)
    with pytest.raises(AppendOnlyViolation):
        entry.save()
    with pytest.raises(AppendOnlyViolation):
        entry.delete()
    with pytest.raises(AppendOnlyViolation):
        AuditEntry.objects.filter(pk=entry.pk).update(action=AuditAction.LOGOUT)
    with pytest.raises(AppendOnlyViolation):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyViolation):
        AuditEntry.objects.bulk_create([AuditEntry(sequence=99)])
    assert AuditEntry.objects.get().action == AuditAction.LOGIN
    assert connection.vendor in {"sqlite", "postgresql"}


AWKWARD_DATA = {
    "text": 'Élodie « Ñandú » \\ "quoted" </script> 😀',
    "nested": {"b": [1, 2.5, None, True], "a": {"z": "", "y": "ü"}},
    "big": 2**53,
}


def test_canonical_parts_around_the_sequence_rebuild_the_hashed_json():
    """PostgreSQL numbers and hashes an entry in its INSERT from these parts: they must give the same hash."""
    import json

    from guichet.audit.chain import canonical_parts, compute_hash, entry_payload

    entry = AuditEntry(
        sequence=123456789012,
        created_at=timezone.now(),
        action=AuditAction.DOSSIER_VIEWED,
        actor_id=4,
        actor_role="instructor",
        actor_organisation="CERT « Île-de-France »",
        subject_user_id=None,
        dossier_id=7,
        object_type="dossier",
        object_id="7",
        request_id="abc",
        data=json.loads(json.dumps(AWKWARD_DATA)),
    )
    prefix, suffix = canonical_parts(entry_payload(entry))
    previous = "f" * 64
    rebuilt = hashlib.sha256((previous + prefix + str(entry.sequence) + suffix).encode()).hexdigest()
    assert rebuilt == compute_hash(previous, entry_payload(entry))


def test_awkward_data_and_labels_verify():
    for step in range(3):
        audit_record(
            action=AuditAction.DOSSIER_CHANGED,
            actor=Actor(user_id=step, role="instructor", organisation="CERT « Île » — ünïcode"),
            dossier_id=step,
            data={**AWKWARD_DATA, "step": step},
        )
    assert list(audit_chain_problems()) == []
    assert [e.sequence for e in AuditEntry.objects.all()] == [1, 2, 3]


def test_the_returned_entry_is_the_stored_row():
    entry = audit_record(action=AuditAction.DOSSIER_VIEWED, actor=AGENT, dossier_id=9, data={"k": [1]})
    stored = AuditEntry.objects.get(pk=entry.pk)
    for field in ("sequence", "created_at", "actor_id", "actor_organisation", "data", "previous_hash", "entry_hash"):
        assert getattr(entry, field) == getattr(stored, field)
    with pytest.raises(AppendOnlyViolation):
        entry.save()
