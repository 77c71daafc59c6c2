import re
from html import unescape

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from guichet.accounts.models import IdentityDocumentType
from guichet.accounts.services import identity_verify_in_person


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    for name in ("home", "profile", "email_change", "password_change", "two_factor_setup", "two_factor_verify"):
        response = client.get(reverse(f"account:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account:login"))


@pytest.mark.django_db
def test_agent_must_pass_two_factor_before_mon_compte(client, personas, password_login):
    password_login(client, personas["instructor"])
    response = client.get(reverse("account:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:two_factor_verify"))


@pytest.mark.django_db
def test_phone_is_validated_and_stored_in_e164(client, citizen, password_login):
    password_login(client, citizen)
    refused = client.post(
        reverse("account:profile"),
        {"first_name": "Camille", "last_name": "Martin", "mobile_phone": "07 00 12 34 56 78 90"},
    )
    assert refused.status_code == 200
    assert "0700" in unescape(refused.content.decode())
    landline = client.post(
        reverse("account:profile"), {"first_name": "Camille", "last_name": "Martin", "mobile_phone": "01 23 45 67 89"}
    )
    assert "06 ou 07" in unescape(landline.content.decode())
    citizen.refresh_from_db()
    assert citizen.mobile_phone == ""
    saved = client.post(
        reverse("account:profile"), {"first_name": "Camille", "last_name": "Martin", "mobile_phone": "06 12 34 56 78"}
    )
    assert saved.status_code == 302
    citizen.refresh_from_db()
    assert citizen.mobile_phone == "+33612345678"
    assert "06 12 34 56 78" in client.get(reverse("account:home")).content.decode()


@pytest.mark.django_db
def test_email_change_waits_for_the_new_address_to_be_confirmed(
    client, citizen, password_login, django_capture_on_commit_callbacks
):
    password_login(client, citizen)
    wrong_password = client.post(
        reverse("account:email_change"), {"new_email": "camille.nouvelle@example.fr", "password": "faux"}
    )
    assert "Mot de passe incorrect" in wrong_password.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account:email_change"),
            {"new_email": "camille.nouvelle@example.fr", "password": "Correct-Horse-Battery-42"},
        )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.email == "camille.usager@example.fr"
    assert mail.outbox[-1].to == ["camille.nouvelle@example.fr"]
    path = re.search(re.escape(settings.SITE_URL) + r"(/compte/verification/\S+/)", str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]
    assert client.post(path).status_code == 302
    citizen.refresh_from_db()
    assert citizen.email == "camille.nouvelle@example.fr"
    assert client.post(path).status_code == 400


@pytest.mark.django_db
def test_email_change_to_a_taken_address_says_the_same_and_sends_nothing(
    client, personas, password_login, django_capture_on_commit_callbacks
):
    citizen = personas["citizen"]
    password_login(client, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account:email_change"),
            {"new_email": personas["mediator"].email, "password": "Correct-Horse-Battery-42"},
        )
    assert response.status_code == 302
    assert mail.outbox == []
    citizen.refresh_from_db()
    assert citizen.pending_email == ""


@pytest.mark.django_db
def test_home_shows_identity_assurance_with_who_where_when_and_roles(client, personas, password_login, full_login):
    citizen, mediator = personas["citizen"], personas["mediator"]
    place = mediator.role_assignments.get().place
    identity_verify_in_person(
        user=citizen,
        verifier=mediator,
        place=place,
        document_type=IdentityDocumentType.NATIONAL_ID_CARD,
        given_name="Camille",
        family_name="Martin",
    )
    password_login(client, citizen)
    content = unescape(client.get(reverse("account:home")).content.decode())
    assert "Vérifiée en face à face" in content
    assert place.name in content
    assert "Médiateur numérique" in content
    assert "Carte nationale d'identité" in content
    assert mediator.last_name not in content  # the agent's role is shown, not their name

    client.post(reverse("account:logout"))
    full_login(client, mediator)
    mediator_page = unescape(client.get(reverse("account:home")).content.decode())
    assert "Médiateur numérique" in mediator_page
    assert reverse("mediator:home") in mediator_page
