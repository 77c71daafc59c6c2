import re
from html import unescape

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.audit.models import AuditAction, AuditEntry
from guichet.testing.personas import PASSWORD

NEW_PASSWORD = "Nouvelle-phrase-de-passe-2027"


@pytest.mark.django_db
def test_reset_request_answers_the_same_for_unknown_addresses(client, citizen):
    known = client.post(reverse("account:password_reset"), {"email": citizen.email})
    unknown = client.post(reverse("account:password_reset"), {"email": "personne@example.fr"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account:password_reset_done")
    assert [m.to for m in mail.outbox] == [[citizen.email]]


@pytest.mark.django_db
def test_reset_by_html_and_text_mail_sets_the_password_ends_sessions_and_is_journaled(client, citizen, password_login):
    other_device = Client()
    password_login(other_device, citizen)
    client.post(reverse("account:password_reset"), {"email": citizen.email})
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.alternatives[0][1] == "text/html"
    match = re.search(re.escape(settings.SITE_URL) + r"(/compte/mot-de-passe/reinitialiser/\S+/)", str(message.body))
    assert match
    form_page = client.get(match.group(1), follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("account:password_reset_complete")
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET, subject_user_id=citizen.pk).exists()
    assert other_device.get(reverse("account:home")).status_code == 302
    reused = client.get(match.group(1), follow=True)
    assert not reused.context["validlink"]
    assert "n'est plus valable" in unescape(reused.content.decode())


@pytest.mark.django_db
def test_reset_of_an_unverified_account_also_verifies_its_address(client):
    user = User.objects.create_user("pas.verifie@example.fr", PASSWORD)
    client.post(reverse("account:password_reset"), {"email": user.email})
    path = re.search(r"(/compte/mot-de-passe/reinitialiser/\S+/)", str(mail.outbox[0].body)).group(1)  # type: ignore[union-attr]
    form_page = client.get(path, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.email_verified_at is not None


@pytest.mark.django_db
def test_password_change_keeps_this_session_and_ends_the_others(client, citizen, password_login):
    other_device = Client()
    password_login(other_device, citizen)
    password_login(client, citizen)
    response = client.post(
        reverse("account:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("account:home")
    assert client.get(reverse("account:home")).status_code == 200
    assert other_device.get(reverse("account:home")).status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_CHANGED, subject_user_id=citizen.pk).exists()
    assert citizen.sessions.count() == 1
    assert citizen.sessions.get().session_key == client.session.session_key


@pytest.mark.django_db
def test_password_change_refuses_a_wrong_current_password(client, citizen, password_login):
    password_login(client, citizen)
    response = client.post(
        reverse("account:password_change"),
        {"old_password": "pas-le-bon", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


@pytest.mark.django_db
def test_an_unusable_reset_link_answers_400_with_a_clear_page_and_changes_nothing(client, citizen):
    path = reverse("account:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-def"})
    shown = client.get(path)
    refused = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert shown.status_code == refused.status_code == 400
    assert "n'est plus valable" in unescape(shown.content.decode())
    citizen.refresh_from_db()
    assert not citizen.check_password(NEW_PASSWORD)
