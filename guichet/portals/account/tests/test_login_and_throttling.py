import re
from datetime import timedelta
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import AuditAction, AuditEntry
from guichet.testing.personas import PASSWORD


def _fail(client, email, remote_addr="127.0.0.1"):
    return client.post(
        reverse("account:login"), {"username": email, "password": "mauvais-mot-de-passe"}, REMOTE_ADDR=remote_addr
    )


def _login(client, email, remote_addr="127.0.0.1"):
    return client.post(reverse("account:login"), {"username": email, "password": PASSWORD}, REMOTE_ADDR=remote_addr)


@pytest.mark.django_db
def test_citizen_logs_in_and_is_journaled(client, citizen):
    response = _login(client, citizen.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account:home")
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, subject_user_id=citizen.pk).exists()


@pytest.mark.django_db
def test_wrong_password_gives_a_french_message_and_journals_without_the_typed_address(client, citizen):
    response = _fail(client, citizen.email)
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in unescape(response.content.decode())
    _fail(client, "inconnu.total@example.fr")
    entries = list(AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED))
    assert len(entries) == 2
    assert entries[0].subject_user_id == citizen.pk
    assert entries[1].subject_user_id is None
    for entry in entries:
        serialised = str(entry.data) + entry.object_id + entry.actor_organisation
        assert "@" not in serialised and "inconnu" not in serialised and "camille" not in serialised
        assert entry.data["email_digest"]
    assert entries[0].data["email_digest"] != entries[1].data["email_digest"]


@pytest.mark.django_db
def test_account_is_locked_after_repeated_failures_from_several_addresses(client, citizen):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, citizen.email, remote_addr=f"10.0.0.{attempt + 1}")
    response = _login(client, citizen.email, remote_addr="10.0.1.1")  # right password, new address
    assert response.status_code == 429
    content = unescape(response.content.decode())
    assert "Connexion temporairement bloquée" in content
    assert "Réessayez à partir de" in content
    assert "15 minutes" in content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_address_is_locked_after_repeated_failures_on_several_accounts(client, citizen):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, f"essai{attempt}@example.fr", remote_addr="192.0.2.7")
    locked = _login(client, citizen.email, remote_addr="192.0.2.7")
    assert locked.status_code == 429
    other_address = _login(client, citizen.email, remote_addr="192.0.2.8")
    assert other_address.status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(client, citizen):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, citizen.email)
    assert _login(client, citizen.email).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1))
    assert _login(client, citizen.email).status_code == 302


@pytest.mark.django_db
def test_logout_is_post_only_and_journaled(client, citizen):
    _login(client, citizen.email)
    assert client.get(reverse("account:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("account:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, subject_user_id=citizen.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "evil_next", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:evil"]
)
def test_login_never_redirects_off_site(client, citizen, evil_next):
    response = client.post(
        reverse("account:login"), {"username": citizen.email, "password": PASSWORD, "next": evil_next}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account:home")


@pytest.mark.django_db
def test_password_reset_lifts_the_account_lockout(client, citizen):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, citizen.email, remote_addr=f"10.0.2.{attempt + 1}")
    assert _login(client, citizen.email, remote_addr="10.0.3.1").status_code == 429
    client.post(reverse("account:password_reset"), {"email": citizen.email})
    path = re.search(r"(/compte/mot-de-passe/reinitialiser/\S+/)", str(mail.outbox[0].body)).group(1)  # type: ignore[union-attr]
    form_page = client.get(path, follow=True)
    new_password = "Nouvelle-phrase-de-passe-2027"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    response = client.post(
        reverse("account:login"), {"username": citizen.email, "password": new_password}, REMOTE_ADDR="10.0.3.1"
    )
    assert response.status_code == 302
