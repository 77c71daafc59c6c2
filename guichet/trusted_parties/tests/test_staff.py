from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.accounts.selectors import roles_of
from guichet.audit.models import AuditEntry
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.testing.trusted_parties import ensure_approval, make_manager
from guichet.trusted_parties.errors import ApprovalNotValid, InvitationRefused
from guichet.trusted_parties.models import ApprovalStatus, StaffInvitation
from guichet.trusted_parties.selectors import is_organisation_manager, staff_assignments
from guichet.trusted_parties.services import (
    staff_account_create,
    staff_invitation_accept,
    staff_invitation_cancel,
    staff_invite,
    staff_remove,
)

PASSWORD = "Un-Mot-De-Passe-Solide-2026"


@pytest.fixture
def manager(garage):
    ensure_approval(garage)
    user = User.objects.create_user("chef@garage.fr", PASSWORD, email_verified_at=timezone.now())
    make_manager(RoleAssignment.objects.create(user=user, role=Role.CAR_PROFESSIONAL_STAFF, place=garage))
    return user


def test_a_manager_invites_a_new_person_who_creates_an_account_and_gets_the_role(garage, manager):
    invitation, token = staff_invite(place=garage, email=" Employe@Garage.fr ", is_manager=False, actor=manager)
    assert invitation.email == "employe@garage.fr"
    assert token not in str(list(StaffInvitation.objects.values()))  # only the digest is kept
    user = staff_account_create(
        token=token, first_name="Éric", last_name="Durand", password=PASSWORD, terms_accepted=True
    )
    assert user.has_verified_email  # the e-mailed link proved the address
    assert Role.CAR_PROFESSIONAL_STAFF in roles_of(user=User.objects.get(pk=user.pk))
    assert not is_organisation_manager(user=user, place=garage)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditEntry.objects.filter(action="staff_invited").count() == 1
    granted = AuditEntry.objects.get(action="role_granted", subject_user_id=user.pk)
    assert granted.actor_id == manager.pk and granted.data["place_id"] == garage.pk


def test_the_link_serves_once(garage, manager):
    _invitation, token = staff_invite(place=garage, email="employe@garage.fr", is_manager=False, actor=manager)
    staff_account_create(token=token, first_name="Éric", last_name="Durand", password=PASSWORD, terms_accepted=True)
    with pytest.raises(InvitationRefused) as refused:
        staff_account_create(token=token, first_name="X", last_name="Y", password=PASSWORD, terms_accepted=True)
    assert refused.value.code == "invitation_used"


def test_an_existing_account_accepts_with_the_invited_address_only(garage, manager, personas):
    citizen = personas["citizen"]
    _invitation, token = staff_invite(place=garage, email=citizen.email, is_manager=True, actor=manager)
    stranger = User.objects.create_user("autre@example.fr", PASSWORD)
    with pytest.raises(PermissionDenied):
        staff_invitation_accept(token=token, user=stranger)
    assignment = staff_invitation_accept(token=token, user=citizen)
    assert assignment.role == Role.CAR_PROFESSIONAL_STAFF and assignment.place == garage
    assert is_organisation_manager(user=citizen, place=garage)


@pytest.mark.parametrize(
    ("token", "code"),
    [("inconnu", "invitation_unknown"), ("", "invitation_unknown")],
)
def test_unknown_links_are_refused(db, token, code):
    with pytest.raises(InvitationRefused) as refused:
        staff_invitation_accept(token=token, user=User.objects.create_user("x@example.fr", PASSWORD))
    assert refused.value.code == code


def test_an_expired_or_replaced_invitation_is_refused(garage, manager):
    _first, first_token = staff_invite(place=garage, email="employe@garage.fr", is_manager=False, actor=manager)
    _second, second_token = staff_invite(place=garage, email="employe@garage.fr", is_manager=False, actor=manager)
    with pytest.raises(InvitationRefused) as refused:
        staff_account_create(token=first_token, first_name="A", last_name="B", password=PASSWORD, terms_accepted=True)
    assert refused.value.code == "invitation_cancelled"
    StaffInvitation.objects.filter(token_digest__isnull=False).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvitationRefused) as refused:
        staff_account_create(token=second_token, first_name="A", last_name="B", password=PASSWORD, terms_accepted=True)
    assert refused.value.code == "invitation_expired"
    assert not User.objects.filter(email="employe@garage.fr").exists()


def test_a_weak_password_creates_nothing_and_the_link_still_serves(garage, manager):
    _invitation, token = staff_invite(place=garage, email="employe@garage.fr", is_manager=False, actor=manager)
    with pytest.raises(ValidationError):
        staff_account_create(token=token, first_name="A", last_name="B", password="123", terms_accepted=True)
    assert not User.objects.filter(email="employe@garage.fr").exists()
    assert staff_account_create(token=token, first_name="A", last_name="B", password=PASSWORD, terms_accepted=True)


@pytest.mark.parametrize("status", [ApprovalStatus.SUSPENDED, ApprovalStatus.REVOKED])
def test_no_invitation_is_sent_nor_accepted_while_the_approval_is_not_in_force(garage, manager, status):
    _invitation, token = staff_invite(place=garage, email="employe@garage.fr", is_manager=False, actor=manager)
    garage.approvals.update(status=status)
    with pytest.raises(ApprovalNotValid) as refused:
        staff_invite(place=garage, email="autre@garage.fr", is_manager=False, actor=manager)
    assert refused.value.code == f"approval_{status}"
    with pytest.raises(ApprovalNotValid):
        staff_account_create(token=token, first_name="A", last_name="B", password=PASSWORD, terms_accepted=True)
    assert not User.objects.filter(email="employe@garage.fr").exists()


def test_an_invitation_is_refused_after_the_approval_expired(garage, manager):
    _invitation, token = staff_invite(place=garage, email="employe@garage.fr", is_manager=False, actor=manager)
    garage.approvals.update(valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ApprovalNotValid) as refused:
        staff_account_create(token=token, first_name="A", last_name="B", password=PASSWORD, terms_accepted=True)
    assert refused.value.code == "approval_expired"


def test_only_managers_and_the_prefecture_invite(garage, manager, admin, other_admin):
    _invitation, token = staff_invite(place=garage, email="employe@garage.fr", is_manager=False, actor=manager)
    employee = staff_account_create(token=token, first_name="A", last_name="B", password=PASSWORD, terms_accepted=True)
    with pytest.raises(PermissionDenied):
        staff_invite(place=garage, email="x@garage.fr", is_manager=False, actor=employee)
    with pytest.raises(PermissionDenied):
        staff_invite(place=garage, email="x@garage.fr", is_manager=True, actor=other_admin)
    invitation, _token = staff_invite(place=garage, email="x@garage.fr", is_manager=True, actor=admin)
    assert invitation.is_manager


def test_bad_addresses_and_present_staff_are_refused(garage, manager):
    with pytest.raises(InvalidInput) as refused:
        staff_invite(place=garage, email="pas une adresse", is_manager=False, actor=manager)
    assert refused.value.code == "invalid_email_address"
    with pytest.raises(InvalidInput) as refused:
        staff_invite(place=garage, email="CHEF@garage.fr", is_manager=False, actor=manager)
    assert refused.value.code == "already_staff"


def test_removal_ends_the_role_at_once_but_never_the_last_manager(garage, manager):
    _invitation, token = staff_invite(place=garage, email="employe@garage.fr", is_manager=False, actor=manager)
    employee = staff_account_create(token=token, first_name="A", last_name="B", password=PASSWORD, terms_accepted=True)
    employee_assignment = staff_assignments(place=garage).get(user=employee)
    with pytest.raises(PermissionDenied):
        staff_remove(assignment=staff_assignments(place=garage).get(user=manager), actor=employee)
    staff_remove(assignment=employee_assignment, actor=manager)
    assert Role.CAR_PROFESSIONAL_STAFF not in roles_of(user=User.objects.get(pk=employee.pk))
    assert AuditEntry.objects.filter(action="role_revoked", subject_user_id=employee.pk).exists()
    with pytest.raises(InvalidInput) as refused:
        staff_remove(assignment=employee_assignment, actor=manager)
    assert refused.value.code == "role_already_revoked"
    with pytest.raises(InvalidInput) as refused:
        staff_remove(assignment=staff_assignments(place=garage).get(user=manager), actor=manager)
    assert refused.value.code == "last_manager"


def test_cancelled_invitation_cannot_be_used(garage, manager):
    invitation, token = staff_invite(place=garage, email="employe@garage.fr", is_manager=False, actor=manager)
    staff_invitation_cancel(invitation=invitation, actor=manager)
    with pytest.raises(InvitationRefused):
        staff_account_create(token=token, first_name="A", last_name="B", password=PASSWORD, terms_accepted=True)
    with pytest.raises(InvalidInput):
        staff_invitation_cancel(invitation=invitation, actor=manager)
