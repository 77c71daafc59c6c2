"""Managers invite people by e-mail and remove them; the invited person creates an account, sets up 2FA, gets in."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.testing.personas import current_totp_code
from guichet.testing.trusted_parties import make_manager
from guichet.trusted_parties.models import StaffInvitation

PASSWORD = "Une-Phrase-De-Passe-2026"
ACCOUNT = {
    "first_name": "Marc",
    "last_name": "Lebon",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "accept_terms": "on",
}


@pytest.fixture
def school(personas):
    return personas["driving_school"].role_assignments.get().place


@pytest.fixture
def manager_client(personas, verified_client):
    return verified_client(personas["driving_school"])


def _invite(manager_client, school, mailoutbox, capture, email="moniteur@lices.fr", **extra) -> str:
    with capture(execute=True):
        response = manager_client.post(
            reverse("professional:staff_invite", args=[school.pk]), {"email": email, **extra}
        )
    assert response.status_code == 302
    link = re.search(r"https?://\S+/pro/invitation/\S+/", mailoutbox[-1].body)
    assert link is not None
    return link.group(0)


def _path(link: str) -> str:
    return "/pro/invitation/" + link.split("/pro/invitation/")[1]


def test_an_invited_person_creates_an_account_sets_up_2fa_and_reaches_the_portal(
    client, manager_client, school, mailoutbox, django_capture_on_commit_callbacks
):
    link = _path(_invite(manager_client, school, mailoutbox, django_capture_on_commit_callbacks))
    assert mailoutbox[-1].to == ["moniteur@lices.fr"] and school.name in mailoutbox[-1].subject
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Créer votre compte" in page.content.decode()
    assert not User.objects.filter(email="moniteur@lices.fr").exists()  # GET only shows the offer
    response = client.post(
        link,
        ACCOUNT,
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("account:login"))
    user = User.objects.get(email="moniteur@lices.fr")
    assert user.has_verified_email
    assert RoleAssignment.objects.filter(user=user, role=Role.DRIVING_SCHOOL_STAFF, place=school).exists()
    # Sign in: the portal first sends the new staff member to the second-factor set-up.
    login = client.post(
        reverse("account:login"), {"username": user.email, "password": PASSWORD, "next": reverse("professional:home")}
    )
    assert login.status_code == 302
    portal = client.get(reverse("professional:home"))
    assert portal.status_code == 302 and reverse("account:two_factor_setup") in portal["Location"]
    client.get(reverse("account:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("account:two_factor_setup"), {"code": current_totp_code(device.key)}).status_code == 302
    home = client.get(reverse("professional:home"))
    assert home.status_code == 200 and school.name in home.content.decode()
    # A staff member who is not a manager does not manage the staff.
    assert client.get(reverse("professional:staff", args=[school.pk])).status_code == 403
    assert client.get(link).status_code == 400  # the link served once


def test_an_existing_account_signs_in_then_accepts(
    client, manager_client, school, personas, mailoutbox, django_capture_on_commit_callbacks, verified_client
):
    citizen = personas["citizen"]
    link = _path(_invite(manager_client, school, mailoutbox, django_capture_on_commit_callbacks, email=citizen.email))
    client.logout()
    page = client.get(link).content.decode()
    assert "Un compte existe déjà" in page and "Me connecter pour accepter" in page
    citizen_client = verified_client(citizen)
    assert "Accepter l'invitation" in unescape(citizen_client.get(link).content.decode())
    response = citizen_client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("professional:home")
    assert RoleAssignment.objects.filter(user=citizen, place=school, revoked_at__isnull=True).exists()


def test_somebody_else_signed_in_cannot_accept(
    manager_client, school, personas, mailoutbox, django_capture_on_commit_callbacks, verified_client
):
    link = _path(_invite(manager_client, school, mailoutbox, django_capture_on_commit_callbacks))
    other = verified_client(personas["citizen"])
    assert "Vous êtes connecté avec un autre compte" in other.get(link).content.decode()
    other.post(link)
    assert not RoleAssignment.objects.filter(user=personas["citizen"], place=school).exists()


def test_an_invitation_of_a_suspended_organisation_creates_no_account(
    client, manager_client, school, mailoutbox, django_capture_on_commit_callbacks
):
    link = _path(_invite(manager_client, school, mailoutbox, django_capture_on_commit_callbacks))
    school.approvals.update(status="suspended")
    client.logout()
    response = client.post(
        link,
        ACCOUNT,
    )
    assert response.status_code == 200 and "suspendu" in response.content.decode()
    assert not User.objects.filter(email="moniteur@lices.fr").exists()


@pytest.mark.parametrize("token", ["lien-abime", "x" * 43])
def test_broken_links_answer_400_with_a_french_message(client, db, token):
    response = client.get(reverse("professional:invitation", args=[token]))
    assert response.status_code == 400 and "copié en entier" in response.content.decode()


def test_bad_address_is_shown_again_and_nothing_is_sent(manager_client, school, mailoutbox):
    response = manager_client.post(reverse("professional:staff_invite", args=[school.pk]), {"email": "pas une adresse"})
    assert response.status_code == 400 and "pas valide" in response.content.decode()
    assert not mailoutbox and not StaffInvitation.objects.exists()


def test_removal_is_effective_at_once(manager_client, school, personas):
    colleague = User.objects.create_user("collegue@lices.fr", PASSWORD)
    assignment = RoleAssignment.objects.create(user=colleague, role=Role.DRIVING_SCHOOL_STAFF, place=school)
    device = TOTPDevice.objects.create(user=colleague, name="default", key="31" * 20, confirmed=True)
    colleague_client = Client()  # a second browser, beside the manager's
    colleague_client.force_login(colleague)
    session = colleague_client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert colleague_client.get(reverse("professional:home")).status_code == 200
    url = reverse("professional:staff_remove", args=[school.pk, assignment.pk])
    assert "Retirer l'accès" in unescape(manager_client.get(url).content.decode())
    assert manager_client.post(url).status_code == 302
    assert colleague_client.get(reverse("professional:home")).status_code == 403  # no staff role any more


def test_the_last_manager_cannot_remove_themselves(manager_client, school, personas):
    own = personas["driving_school"].role_assignments.get()
    response = manager_client.post(reverse("professional:staff_remove", args=[school.pk, own.pk]), follow=True)
    assert "dernier responsable" in response.content.decode()
    own.refresh_from_db()
    assert own.revoked_at is None
    second = RoleAssignment.objects.create(
        user=User.objects.create_user("adjoint@lices.fr", PASSWORD), role=Role.DRIVING_SCHOOL_STAFF, place=school
    )
    make_manager(second)
    manager_client.post(reverse("professional:staff_remove", args=[school.pk, own.pk]))
    own.refresh_from_db()
    assert own.revoked_at is not None


def test_pending_invitations_are_listed_and_cancelled(
    manager_client, school, mailoutbox, django_capture_on_commit_callbacks
):
    link = _path(_invite(manager_client, school, mailoutbox, django_capture_on_commit_callbacks))
    page = manager_client.get(reverse("professional:staff", args=[school.pk])).content.decode()
    assert "moniteur@lices.fr" in page
    invitation = StaffInvitation.objects.get()
    manager_client.post(reverse("professional:staff_invitation_cancel", args=[school.pk, invitation.pk]))
    assert manager_client.get(link).status_code == 400
