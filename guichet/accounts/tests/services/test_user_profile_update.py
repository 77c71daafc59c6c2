from guichet.accounts.services import user_profile_update
from guichet.audit.models import AuditAction, AuditEntry


def test_profile_change_is_journaled_with_field_names_only(citizen):
    user_profile_update(
        user=citizen, first_name="Camille", last_name="Durand", mobile_phone="06 12 34 56 78", actor=citizen
    )
    entry = AuditEntry.objects.get(action=AuditAction.PROFILE_CHANGED)
    assert entry.subject_user_id == citizen.pk
    assert entry.data == {"fields": ["last_name", "mobile_phone"]}
    assert "612345678" not in str(entry.data) and "Durand" not in str(entry.data)
    citizen.refresh_from_db()
    assert citizen.mobile_phone == "+33612345678"


def test_unchanged_profile_writes_no_journal_entry(citizen):
    user_profile_update(
        user=citizen, first_name=citizen.first_name, last_name=citizen.last_name, mobile_phone="", actor=citizen
    )
    assert not AuditEntry.objects.filter(action=AuditAction.PROFILE_CHANGED).exists()
