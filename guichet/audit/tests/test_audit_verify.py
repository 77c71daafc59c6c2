"""`audit_verify` against a journal tampered with directly in the database."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from guichet.audit.chain import compute_hash, entry_payload
from guichet.audit.models import AuditAction, AuditEntry, AuditHead
from guichet.audit.services import Actor, audit_record

from .conftest import tamper

pytestmark = pytest.mark.django_db

AGENT = Actor(user_id=12, role="instructor", organisation="CERT de Pau")


@pytest.fixture
def journal():
    return [
        audit_record(action=AuditAction.DOSSIER_VIEWED, actor=AGENT, dossier_id=100 + index, data={"step": index})
        for index in range(1, 6)
    ]


def verify(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_fails(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", *args, stdout=io.StringIO(), stderr=err)
    assert excinfo.value.returncode != 0  # manage.py exits with this code
    assert "Journal altéré" in str(excinfo.value)
    return err.getvalue()


def test_intact_journal_passes_and_prints_an_anchor_to_keep(journal):
    out, err = verify()
    assert "Journal intègre" in out
    assert f"5:{journal[-1].entry_hash}" in out
    assert err == ""


def test_empty_journal_passes():
    out, _ = verify()
    assert "Journal intègre" in out


def test_raw_update_of_an_entry_is_reported_as_modified(journal):
    tamper("UPDATE {table} SET dossier_id = 999 WHERE sequence = 3")
    report = verify_fails()
    assert "entrée 3 : contenu modifié [modified]" in report


def test_raw_update_of_json_data_is_reported_as_modified(journal):
    tamper("UPDATE {table} SET action = %s WHERE sequence = 2", [AuditAction.DOSSIER_CHANGED.value])
    report = verify_fails()
    assert "entrée 2 : contenu modifié [modified]" in report


def test_edit_with_recomputed_hash_breaks_the_link_to_the_next_entry(journal):
    forged = AuditEntry.objects.get(sequence=3)
    forged.actor_organisation = "Quelqu'un d'autre"
    new_hash = compute_hash(forged.previous_hash, entry_payload(forged))
    tamper(
        "UPDATE {table} SET actor_organisation = %s, entry_hash = %s WHERE sequence = 3",
        [forged.actor_organisation, new_hash],
    )
    report = verify_fails()
    assert "entrée 4 : chaînage rompu [relinked]" in report
    assert "[modified]" not in report


def test_deleting_a_middle_entry_is_reported(journal):
    tamper("DELETE FROM {table} WHERE sequence = 3")
    report = verify_fails()
    assert "entrée 3 : entrées supprimées [deleted]" in report
    assert "3 to 3 are missing" in report


def test_deleting_the_tail_is_reported_as_truncated(journal):
    tamper("DELETE FROM {table} WHERE sequence >= 4")
    report = verify_fails()
    assert "entrée 4 : fin du journal supprimée [truncated]" in report


def test_inserting_a_well_formed_forged_entry_after_the_last_one_is_reported(journal):
    # The forger chains it correctly, but cannot move the head in the same transaction as audit_record does.
    _insert_forged(sequence=6, previous_hash=journal[-1].entry_hash)
    report = verify_fails()
    assert "entrée 6 : entrée insérée [inserted]" in report


def test_inserting_a_forged_entry_before_the_first_one_is_reported(journal):
    _insert_forged(sequence=0, previous_hash="0" * 64)
    report = verify_fails()
    assert "entrée 0 : entrée insérée [inserted]" in report
    assert "entrée 1" not in report  # the genuine first entry still verifies


def test_deleting_the_head_row_is_reported(journal):
    AuditHead.objects.all().delete()
    report = verify_fails()
    assert "tête du journal absente [head_missing]" in report


def test_a_complete_rewrite_is_caught_by_an_anchor_kept_outside(journal):
    anchor = f"4:{journal[3].entry_hash}"
    # Rewrite entry 2 and rehash every later entry and the head: the chain alone is consistent again.
    tamper("UPDATE {table} SET dossier_id = 777 WHERE sequence = 2")
    previous = journal[0].entry_hash
    for entry in AuditEntry.objects.filter(sequence__gte=2).order_by("sequence"):
        new_hash = compute_hash(previous, entry_payload(entry))
        tamper(
            "UPDATE {table} SET previous_hash = %s, entry_hash = %s WHERE sequence = %s",
            [previous, new_hash, entry.sequence],
        )
        previous = new_hash
    AuditHead.objects.update(entry_hash=previous)
    verify()  # without an anchor, nothing can tell
    report = verify_fails("--anchor", anchor)
    assert "entrée 4 : ancre externe non concordante [anchor_mismatch]" in report


def test_progress_is_printed_for_large_journals(journal):
    out, _ = verify("--progress-every", "2")
    assert "2 / 5 entrées vérifiées (40 %)" in out
    assert "4 / 5 entrées vérifiées (80 %)" in out
    assert "5 / 5 entrées vérifiées (100 %)" in out


def _insert_forged(*, sequence: int, previous_hash: str) -> None:
    forged = AuditEntry(
        sequence=sequence,
        created_at=timezone.now(),
        action=AuditAction.DOSSIER_CHANGED,
        actor_id=12,
        actor_role="instructor",
        actor_organisation="CERT de Pau",
        dossier_id=100,
        data={},
        previous_hash=previous_hash,
    )
    forged.entry_hash = compute_hash(previous_hash, entry_payload(forged))
    tamper(
        "INSERT INTO {table} (sequence, created_at, action, actor_id, actor_role, actor_organisation, on_behalf_of_id,"
        " subject_user_id, dossier_id, object_type, object_id, request_id, data, previous_hash, entry_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, NULL, NULL, %s, '', '', '', %s, %s, %s)",
        [
            forged.sequence,
            forged.created_at,
            forged.action,
            forged.actor_id,
            forged.actor_role,
            forged.actor_organisation,
            forged.dossier_id,
            "{}",
            forged.previous_hash,
            forged.entry_hash,
        ],
    )
