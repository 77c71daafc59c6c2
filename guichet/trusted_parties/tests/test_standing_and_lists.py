from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.testing.trusted_parties import ensure_approval
from guichet.trusted_parties.errors import ApprovalNotValid
from guichet.trusted_parties.models import ApprovalStatus
from guichet.trusted_parties.operations import Operation
from guichet.trusted_parties.selectors import (
    Standing,
    approvals_expiring,
    approvals_public,
    organisation_standing,
    places_awaiting_approval,
)
from guichet.trusted_parties.services import approval_require_valid

from .conftest import new_place


def test_validity_is_computed_for_the_day_asked_last_day_included(garage):
    today = timezone.localdate()
    ensure_approval(garage, valid_from=today + timedelta(days=1), valid_until=today + timedelta(days=10))
    assert organisation_standing(place=garage).standing == Standing.NOT_YET_VALID
    assert organisation_standing(place=garage, on=today + timedelta(days=1)).is_valid
    assert organisation_standing(place=garage, on=today + timedelta(days=10)).is_valid
    assert organisation_standing(place=garage, on=today + timedelta(days=11)).standing == Standing.EXPIRED


def test_require_valid_names_the_reason_in_its_code(garage, school):
    with pytest.raises(ApprovalNotValid) as refused:
        approval_require_valid(place=school)
    assert refused.value.code == "approval_missing"
    approval = ensure_approval(garage)
    approval_require_valid(place=garage)
    for status in (ApprovalStatus.SUSPENDED, ApprovalStatus.REVOKED):
        approval.status = status
        approval.save()
        with pytest.raises(ApprovalNotValid) as refused:
            approval_require_valid(place=garage)
        assert refused.value.code == f"approval_{status}"
        assert "préfecture" in refused.value.message


def test_a_revoked_approval_is_still_found_for_the_place(garage):
    approval = ensure_approval(garage, status=ApprovalStatus.REVOKED)
    standing = organisation_standing(place=garage)
    assert standing.approval == approval and standing.standing == Standing.REVOKED


def test_public_list_shows_only_approvals_in_force_and_filters(department, other_department, garage, school):
    today = timezone.localdate()
    valid_garage = ensure_approval(garage, operations=[Operation.NEW_VEHICLE_REGISTRATION])
    valid_school = ensure_approval(school)
    suspended = ensure_approval(new_place(department, garage.kind, "Garage suspendu"), status=ApprovalStatus.SUSPENDED)
    expired = ensure_approval(
        new_place(department, garage.kind, "Garage expiré"),
        valid_from=today - timedelta(days=30),
        valid_until=today - timedelta(days=1),
    )
    closed_place = new_place(department, garage.kind, "Garage fermé")
    closed_place.is_active = False
    closed_place.save()
    ensure_approval(closed_place)
    elsewhere = ensure_approval(
        new_place(other_department, garage.kind, "Garage costarmoricain"),
        operations=[Operation.DESTRUCTION_DECLARATION],
    )
    shown = approvals_public()
    assert set(shown) == {valid_garage, valid_school, elsewhere}
    assert suspended not in shown and expired not in shown
    assert set(approvals_public(department_code="35")) == {valid_garage, valid_school}
    assert approvals_public(kind=school.kind) == [valid_school]
    assert approvals_public(operation=Operation.NEW_VEHICLE_REGISTRATION) == [valid_garage]
    assert approvals_public(operation=Operation.DESTRUCTION_DECLARATION) == [elsewhere]
    assert set(approvals_public(commune="renn")) == {valid_garage, valid_school, elsewhere}  # the fixtures say Rennes
    assert approvals_public(commune="Brest") == []
    # The day after the garage's end date, it leaves the list without anybody doing anything.
    assert valid_garage not in approvals_public(on=valid_garage.valid_until + timedelta(days=1))


def test_expiring_within_60_days_lists_granted_approvals_of_the_departments(department, other_department, garage):
    today = timezone.localdate()
    soon = ensure_approval(garage, valid_until=today + timedelta(days=60))
    ensure_approval(new_place(department, garage.kind, "Plus tard"), valid_until=today + timedelta(days=61))
    ensure_approval(new_place(department, garage.kind, "Déjà expiré"), valid_until=today - timedelta(days=1))
    ensure_approval(new_place(department, garage.kind, "Suspendu"), status=ApprovalStatus.SUSPENDED, valid_until=today)
    ensure_approval(new_place(other_department, garage.kind, "Ailleurs"), valid_until=today + timedelta(days=3))
    assert list(approvals_expiring(department_codes=["35"])) == [soon]


def test_places_awaiting_approval_are_the_trusted_parties_without_a_live_one(department, garage, school):
    ensure_approval(garage)
    revoked_place = new_place(department, garage.kind, "Garage retiré")
    ensure_approval(revoked_place, status=ApprovalStatus.REVOKED)
    new_place(department, "mairie", "Mairie de Rennes")
    assert set(places_awaiting_approval(department_codes=["35"])) == {school, revoked_place}
