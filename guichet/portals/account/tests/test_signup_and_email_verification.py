import re
import time
from html import unescape

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from guichet.accounts.email_verification import PURPOSE_SIGNUP, email_link_token_make
from guichet.accounts.models import User
from guichet.audit.models import AuditAction, AuditEntry

PASSWORD = "Une-phrase-de-passe-solide-2026"


def _signup_data(**overrides):
    data = {
        "email": "lea.dupont@example.fr",
        "first_name": "Léa",
        "last_name": "Dupont",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def _link_in(message) -> str:
    match = re.search(r"(https?://\S+/compte/verification/[^/\s]+/)", str(message.body))
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_signup_sends_html_and_text_link_built_on_site_url_and_unverified_account_cannot_log_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account:signup"), _signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("account:signup_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == ["lea.dupont@example.fr"]
    link = _link_in(message)
    assert link.startswith(settings.SITE_URL)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in str(html)

    refused = client.post(reverse("account:login"), {"username": "lea.dupont@example.fr", "password": PASSWORD})
    assert refused.status_code == 200
    assert "pas encore vérifiée" in unescape(refused.content.decode())
    assert reverse("account:email_verification_resend") in unescape(refused.content.decode())
    assert "_auth_user_id" not in client.session

    path = link.removeprefix(settings.SITE_URL)
    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert User.objects.get().email_verified_at is None  # opening the link alone changes nothing
    verified = client.post(path)
    assert verified.status_code == 302 and verified["Location"] == reverse("account:login")
    assert User.objects.get().email_verified_at is not None

    logged_in = client.post(reverse("account:login"), {"username": "lea.dupont@example.fr", "password": PASSWORD})
    assert logged_in.status_code == 302
    assert client.get(reverse("account:home")).status_code == 200


@pytest.mark.django_db
def test_signup_form_shows_french_errors_and_keeps_what_was_typed(client):
    response = client.post(
        reverse("account:signup"),
        _signup_data(password1="azerty", password2="azerty", accept_terms=""),
    )
    assert response.status_code == 200
    content = unescape(response.content.decode())
    assert "accepter les conditions" in content
    assert "trop court" in content or "au moins 12" in content
    assert 'value="lea.dupont@example.fr"' in content
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_with_an_existing_address_looks_the_same_and_warns_the_owner(
    client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account:signup"), _signup_data(email=citizen.email.upper()))
    assert response.status_code == 302 and response["Location"] == reverse("account:signup_done")
    assert User.objects.filter(email__iexact=citizen.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email.upper()] or mail.outbox[0].to[0].lower() == citizen.email
    assert "/compte/verification/" not in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["abc", "eyJ1IjoxfQ:1tX:bad", "x" * 300])
def test_wrong_links_show_a_clear_french_page(client, token):
    for method in (client.get, client.post):
        response = method(reverse("account:email_verify", kwargs={"token": token}))
        assert response.status_code == 400
        assert "pas valable" in unescape(response.content.decode())


@pytest.mark.django_db
def test_expired_link_says_so(client, monkeypatch):
    user = User.objects.create_user("lent@example.fr", PASSWORD)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 49 * 3600)
    token = email_link_token_make(user=user, purpose=PURPOSE_SIGNUP)
    monkeypatch.setattr(time, "time", real_time)
    response = client.post(reverse("account:email_verify", kwargs={"token": token}))
    assert response.status_code == 400
    assert "expiré" in unescape(response.content.decode())
    assert "48 heures" in unescape(response.content.decode())


@pytest.mark.django_db
def test_reused_link_says_it_has_already_served(client):
    user = User.objects.create_user("deux.fois@example.fr", PASSWORD)
    url = reverse("account:email_verify", kwargs={"token": email_link_token_make(user=user, purpose=PURPOSE_SIGNUP)})
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 400
    assert "déjà servi" in unescape(again.content.decode())
    assert AuditEntry.objects.filter(action=AuditAction.EMAIL_VERIFIED, subject_user_id=user.pk).count() == 1


@pytest.mark.django_db
def test_resend_answers_the_same_whether_or_not_the_address_exists(client, django_capture_on_commit_callbacks):
    User.objects.create_user("attente@example.fr", PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account:email_verification_resend"), {"email": "attente@example.fr"}, follow=True)
        unknown = client.post(
            reverse("account:email_verification_resend"), {"email": "personne@example.fr"}, follow=True
        )
    message_known = [str(m) for m in known.context["messages"]]
    message_unknown = [str(m) for m in unknown.context["messages"]]
    assert message_known == message_unknown
    assert [m.to for m in mail.outbox] == [["attente@example.fr"]]


@pytest.mark.django_db
def test_a_new_link_makes_the_old_one_unusable_only_after_verification(client, django_capture_on_commit_callbacks):
    user = User.objects.create_user("attente@example.fr", PASSWORD)
    first = email_link_token_make(user=user, purpose=PURPOSE_SIGNUP)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:email_verification_resend"), {"email": "attente@example.fr"})
    second_path = _link_in(mail.outbox[-1]).removeprefix(settings.SITE_URL)
    assert client.post(second_path).status_code == 302
    assert client.post(reverse("account:email_verify", kwargs={"token": first})).status_code == 400
