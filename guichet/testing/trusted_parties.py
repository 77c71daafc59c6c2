"""Test data of the trusted third parties' registry: valid SIRETs, approvals in a chosen state, managers.

Written with the ORM (as the personas are), so that tests can start from any state; the services are tested
on their own.
"""

from datetime import date, timedelta

from django.utils import timezone

from guichet.accounts.models import RoleAssignment
from guichet.territory.models import Place, PlaceKind
from guichet.trusted_parties.identifiers import department_segment, luhn_is_valid
from guichet.trusted_parties.models import Approval, ApprovalStatus, StaffMembership
from guichet.trusted_parties.operations import OPERATIONS_BY_KIND
from guichet.trusted_parties.selectors import STAFF_ROLES


def siret_with_key(first_thirteen: str) -> str:
    """Completes 13 digits with the one last digit that makes a Luhn-valid SIRET."""
    return next(f"{first_thirteen}{digit}" for digit in "0123456789" if luhn_is_valid(f"{first_thirteen}{digit}"))


def approval_number_for(place: Place, order: int) -> str:
    segment = department_segment(place.department_id)
    if place.kind == PlaceKind.DRIVING_SCHOOL:
        return f"E24{segment}{order:04d}0"
    return f"H{segment}{order:05d}"


def ensure_approval(
    place: Place,
    *,
    status: str = ApprovalStatus.GRANTED,
    valid_from: date | None = None,
    valid_until: date | None = None,
    operations: list[str] | None = None,
    order: int | None = None,
) -> Approval:
    """The place's live approval, created when missing (valid from a year ago for four more years by default).

    Its number's order is the place's id unless given, so that every place gets its own number."""
    today = timezone.localdate()
    approval = Approval.objects.filter(place=place).exclude(status=ApprovalStatus.REVOKED).first()
    if approval is not None:
        return approval
    return Approval.objects.create(
        kind=place.kind,
        number=approval_number_for(place, place.pk if order is None else order),
        place=place,
        holder_name=f"{place.name} SARL",
        holder_siret=siret_with_key(f"{7328293200 + place.pk % 1000:010d}001"),
        operations=list(OPERATIONS_BY_KIND[place.kind] if operations is None else operations),
        valid_from=valid_from or today - timedelta(days=365),
        valid_until=valid_until or today + timedelta(days=4 * 365),
        status=status,
        status_changed_at=timezone.now(),
    )


def make_manager(assignment: RoleAssignment, *, is_manager: bool = True) -> StaffMembership:
    membership, _ = StaffMembership.objects.update_or_create(
        role_assignment=assignment, defaults={"is_manager": is_manager}
    )
    return membership


def professionals_approve_and_manage(personas: dict) -> None:
    """The professional personas' places get an approval in force, and the personas manage them."""
    for user in personas.values():
        for assignment in RoleAssignment.objects.filter(
            user=user, role__in=STAFF_ROLES, revoked_at__isnull=True, place__isnull=False
        ).select_related("place"):
            if assignment.place is not None:
                ensure_approval(assignment.place)
                make_manager(assignment)
