import time

import pytest
from django.core.exceptions import ValidationError

from guichet.accounts.email_verification import PURPOSE_CHANGE, PURPOSE_SIGNUP, email_link_token_make
from guichet.accounts.errors import EmailAlreadyUsed, EmailLinkRefused
from guichet.accounts.models import User
from guichet.accounts.services import user_email_change_request, user_signup, user_verify_email
from guichet.audit.models import AuditAction, AuditEntry
from guichet.core.exceptions import InvalidInput

GOOD_PASSWORD = "Une-phrase-de-passe-solide-2026"


def _signup(email="lea.dupont@example.fr"):
    return user_signup(email=email, password=GOOD_PASSWORD, first_name="Léa", last_name="Dupont", terms_accepted=True)


@pytest.mark.django_db
def test_signup_creates_an_unverified_account_and_journals_it():
    user = _signup("Lea.Dupont@Example.FR")
    assert user.email == "lea.dupont@example.fr"
    assert user.email_verified_at is None
    assert user.terms_accepted_at is not None
    assert user.check_password(GOOD_PASSWORD)
    assert AuditEntry.objects.filter(action=AuditAction.SIGNUP, subject_user_id=user.pk).exists()


@pytest.mark.django_db
def test_signup_refuses_weak_password_and_missing_terms_and_duplicate_address():
    with pytest.raises(ValidationError):
        user_signup(email="a@example.fr", password="1234", first_name="A", last_name="B", terms_accepted=True)
    with pytest.raises(InvalidInput):
        user_signup(email="a@example.fr", password=GOOD_PASSWORD, first_name="A", last_name="B", terms_accepted=False)
    _signup()
    with pytest.raises(EmailAlreadyUsed):
        _signup("LEA.DUPONT@example.fr")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_verification_link_works_once():
    user = _signup()
    token = email_link_token_make(user=user, purpose=PURPOSE_SIGNUP)
    verified = user_verify_email(token=token)
    assert verified.email_verified_at is not None
    with pytest.raises(EmailLinkRefused) as caught:
        user_verify_email(token=token)
    assert caught.value.code == "email_link_used"


@pytest.mark.django_db
def test_verification_link_expires_after_48_hours(monkeypatch):
    user = _signup()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 48 * 3600 - 60)
    token = email_link_token_make(user=user, purpose=PURPOSE_SIGNUP)
    monkeypatch.setattr(time, "time", real_time)
    with pytest.raises(EmailLinkRefused) as caught:
        user_verify_email(token=token)
    assert caught.value.code == "email_link_expired"
    user.refresh_from_db()
    assert user.email_verified_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + "xx", lambda t: t[5:], lambda t: "nimportequoi", lambda t: t + ":"]
)
def test_tampered_or_truncated_link_is_refused(mangle):
    user = _signup()
    token = email_link_token_make(user=user, purpose=PURPOSE_SIGNUP)
    with pytest.raises(EmailLinkRefused) as caught:
        user_verify_email(token=mangle(token))
    assert caught.value.code == "email_link_invalid"


@pytest.mark.django_db
def test_link_stops_working_when_the_address_changes():
    user = _signup()
    token = email_link_token_make(user=user, purpose=PURPOSE_SIGNUP)
    user.email = "autre@example.fr"
    user.save()
    with pytest.raises(EmailLinkRefused):
        user_verify_email(token=token)


@pytest.mark.django_db
def test_email_change_switches_address_only_when_the_new_link_is_followed():
    user = _signup()
    user_verify_email(token=email_link_token_make(user=user, purpose=PURPOSE_SIGNUP))
    user.refresh_from_db()
    assert user_email_change_request(user=user, new_email="Lea.Nouvelle@example.fr", actor=user) is True
    user.refresh_from_db()
    assert user.email == "lea.dupont@example.fr"
    assert user.pending_email == "lea.nouvelle@example.fr"
    token = email_link_token_make(user=user, purpose=PURPOSE_CHANGE)
    changed = user_verify_email(token=token)
    assert changed.email == "lea.nouvelle@example.fr"
    assert changed.pending_email == ""
    with pytest.raises(EmailLinkRefused):
        user_verify_email(token=token)


@pytest.mark.django_db
def test_email_change_to_an_address_already_used_changes_nothing():
    other = _signup("deja.pris@example.fr")
    user = _signup()
    assert user_email_change_request(user=user, new_email=other.email, actor=user) is False
    user.refresh_from_db()
    assert user.pending_email == ""


@pytest.mark.django_db
def test_signup_link_cannot_confirm_an_email_change():
    user = _signup()
    user_verify_email(token=email_link_token_make(user=user, purpose=PURPOSE_SIGNUP))
    user.refresh_from_db()
    signup_token = email_link_token_make(user=user, purpose=PURPOSE_SIGNUP)
    user_email_change_request(user=user, new_email="nouvelle@example.fr", actor=user)
    with pytest.raises(EmailLinkRefused):
        user_verify_email(token=signup_token)
    user.refresh_from_db()
    assert user.email == "lea.dupont@example.fr"
