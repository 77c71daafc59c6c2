from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.core.exceptions import AppendOnlyViolation, InvalidInput, PermissionDenied, TransitionNotAllowed
from guichet.testing.trusted_parties import siret_with_key
from guichet.trusted_parties.identifiers import InvalidApprovalNumber, InvalidSiret
from guichet.trusted_parties.models import Approval, ApprovalEvent, ApprovalStatus
from guichet.trusted_parties.operations import Operation
from guichet.trusted_parties.selectors import Standing, approval_standing_of
from guichet.trusted_parties.services import (
    approval_grant,
    approval_reinstate,
    approval_renew,
    approval_revoke,
    approval_suspend,
)

SIRET = siret_with_key("7328293200007")


def grant(place, actor, **overrides):
    today = timezone.localdate()
    values = {
        "place": place,
        "number": "H 035 00042",
        "holder_name": "Garage du Mail SAS",
        "holder_siret": SIRET,
        "operations": [Operation.NEW_VEHICLE_REGISTRATION, Operation.PURCHASE_SALE_DECLARATION],
        "valid_from": today - timedelta(days=1),
        "valid_until": today + timedelta(days=365),
        "reason": "Convention d'habilitation signée",
        "actor": actor,
    }
    values.update(overrides)
    return approval_grant(**values)


def test_grant_records_the_approval_its_history_and_the_journal(garage, admin):
    approval = grant(garage, admin)
    assert approval.number == "H03500042"
    assert approval.status == ApprovalStatus.GRANTED
    assert approval.kind == garage.kind
    assert approval.operations == [Operation.NEW_VEHICLE_REGISTRATION, Operation.PURCHASE_SALE_DECLARATION]
    event = ApprovalEvent.objects.get(approval=approval)
    assert (event.kind, event.from_status, event.to_status) == ("granted", "", "granted")
    assert event.reason == "Convention d'habilitation signée"
    entry = AuditEntry.objects.get(action="approval_granted")
    assert entry.object_id == str(approval.pk) and entry.actor_id == admin.pk and entry.data["department"] == "35"
    assert approval_standing_of(approval) == Standing.VALID


def test_every_lifecycle_step_keeps_its_reason_in_an_append_only_history(garage, admin):
    approval = grant(garage, admin)
    approval = approval_suspend(approval=approval, reason="Contrôle en cours", actor=admin)
    assert approval_standing_of(approval) == Standing.SUSPENDED
    approval = approval_reinstate(approval=approval, reason="Contrôle satisfaisant", actor=admin)
    new_end = approval.valid_until + timedelta(days=365 * 5)
    approval = approval_renew(approval=approval, valid_until=new_end, reason="Renouvellement quinquennal", actor=admin)
    assert approval.valid_until == new_end
    approval = approval_revoke(approval=approval, reason="Fraude constatée", actor=admin)
    assert approval.status == ApprovalStatus.REVOKED
    history = list(ApprovalEvent.objects.filter(approval=approval).values_list("kind", "from_status", "to_status"))
    assert history == [
        ("granted", "", "granted"),
        ("suspended", "granted", "suspended"),
        ("reinstated", "suspended", "granted"),
        ("renewed", "granted", "granted"),
        ("revoked", "granted", "revoked"),
    ]
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "approval_granted",
        "approval_suspended",
        "approval_reinstated",
        "approval_renewed",
        "approval_revoked",
    }
    event = ApprovalEvent.objects.filter(approval=approval).last()
    assert event is not None
    event.reason = "autre chose"
    with pytest.raises(AppendOnlyViolation):
        event.save()
    with pytest.raises(AppendOnlyViolation):
        event.delete()


@pytest.mark.parametrize("step", [approval_suspend, approval_reinstate, approval_revoke])
def test_a_revoked_approval_is_final(garage, admin, step):
    approval = approval_revoke(approval=grant(garage, admin), reason="Cessation d'activité", actor=admin)
    with pytest.raises(TransitionNotAllowed):
        step(approval=approval, reason="On essaie encore", actor=admin)


def test_a_suspended_approval_is_not_renewed_before_the_suspension_is_lifted(garage, admin):
    approval = approval_suspend(approval=grant(garage, admin), reason="Contrôle en cours", actor=admin)
    with pytest.raises(TransitionNotAllowed):
        approval_renew(approval=approval, valid_until=date(2099, 1, 1), reason="Renouvellement", actor=admin)
    with pytest.raises(TransitionNotAllowed):
        approval_suspend(approval=approval, reason="Deux fois", actor=admin)


def test_renewal_brings_an_expired_approval_back_into_force(garage, admin):
    today = timezone.localdate()
    approval = grant(garage, admin, valid_from=today - timedelta(days=400), valid_until=today - timedelta(days=1))
    assert approval_standing_of(approval) == Standing.EXPIRED
    with pytest.raises(InvalidInput) as refused:
        approval_renew(approval=approval, valid_until=today - timedelta(days=2), reason="Renouvellement", actor=admin)
    assert refused.value.code == "renewal_not_later"
    approval = approval_renew(
        approval=approval,
        valid_until=today + timedelta(days=30),
        operations=[Operation.DESTRUCTION_DECLARATION],
        reason="Renouvellement",
        actor=admin,
    )
    assert approval_standing_of(approval) == Standing.VALID
    assert approval.operations == [Operation.DESTRUCTION_DECLARATION]
    event = ApprovalEvent.objects.filter(kind="renewed").get()
    assert event.data["valid_until_before"] == (today - timedelta(days=1)).isoformat()


def test_the_admin_of_another_department_may_not_decide(garage, admin, other_admin):
    with pytest.raises(PermissionDenied):
        grant(garage, other_admin)
    approval = grant(garage, admin)
    for step in (approval_suspend, approval_revoke):
        with pytest.raises(PermissionDenied):
            step(approval=approval, reason="Pas mon département", actor=other_admin)
    with pytest.raises(PermissionDenied):
        approval_renew(approval=approval, valid_until=date(2099, 1, 1), reason="Pas mon département", actor=other_admin)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.GRANTED
    assert ApprovalEvent.objects.count() == 1


def test_a_staff_member_is_not_a_prefecture_admin(personas, garage):
    with pytest.raises(PermissionDenied):
        grant(garage, personas["car_professional"])


@pytest.mark.parametrize(
    ("overrides", "error", "code"),
    [
        ({"number": "E2403500120"}, InvalidApprovalNumber, "invalid_approval_number"),
        ({"number": "H02200042"}, InvalidApprovalNumber, "invalid_approval_number"),
        ({"holder_siret": "73282932000075"}, InvalidSiret, "invalid_siret"),
        ({"holder_siret": "1234"}, InvalidSiret, "invalid_siret"),
        ({"holder_name": "  "}, InvalidInput, "holder_name_missing"),
        ({"operations": []}, InvalidInput, "operations_missing"),
        ({"operations": [Operation.LICENCE_ISSUE]}, InvalidInput, "operation_unknown"),
        ({"reason": " "}, InvalidInput, "reason_missing"),
        ({"valid_from": date(2030, 1, 2), "valid_until": date(2030, 1, 1)}, InvalidInput, "period_reversed"),
    ],
)
def test_bad_inputs_are_refused_and_nothing_is_stored(garage, admin, overrides, error, code):
    with pytest.raises(error) as refused:
        grant(garage, admin, **overrides)
    assert refused.value.code == code
    assert not Approval.objects.exists()
    assert not AuditEntry.objects.filter(action="approval_granted").exists()


def test_a_number_is_never_given_twice_even_after_revocation(garage, school, admin, department):
    from .conftest import new_place

    approval = grant(garage, admin)
    approval_revoke(approval=approval, reason="Cessation d'activité", actor=admin)
    other = new_place(department, garage.kind, "Garage de Cesson")
    with pytest.raises(InvalidInput) as refused:
        grant(other, admin)
    assert refused.value.code == "approval_number_taken"
    # The place itself may get a new approval with a new number once the old one is revoked.
    assert grant(garage, admin, number="H03500043").status == ApprovalStatus.GRANTED


def test_one_live_approval_per_place(garage, admin):
    grant(garage, admin)
    with pytest.raises(InvalidInput) as refused:
        grant(garage, admin, number="H03500043")
    assert refused.value.code == "approval_already_live"


def test_the_database_refuses_a_duplicate_number_and_a_second_live_approval(garage, school, admin):
    approval = grant(garage, admin)
    base = {
        "holder_name": "X",
        "holder_siret": SIRET,
        "valid_from": approval.valid_from,
        "valid_until": approval.valid_until,
        "status_changed_at": timezone.now(),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(kind=school.kind, number=approval.number, place=school, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(kind=garage.kind, number="H03500099", place=garage, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(kind=school.kind, number="E2403500990", place=school, **{**base, "holder_siret": "12"})
