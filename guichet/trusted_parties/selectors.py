"""Reads of the registry. Validity is always computed for a given day (today in Paris by default): nothing waits for
a scheduled job to notice that an approval has expired."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.dossiers.models import Dossier
from guichet.territory.models import Place

from .models import Approval, ApprovalEvent, ApprovalStatus, StaffInvitation
from .operations import TRUSTED_PARTY_KINDS

STAFF_ROLES = (Role.DRIVING_SCHOOL_STAFF.value, Role.CAR_PROFESSIONAL_STAFF.value)
EXPIRY_WARNING_DAYS = 60


class Standing:
    """Where an approval stands on a given day (stable codes, used by the API as `approval_<code>`)."""

    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    MISSING = "missing"


STANDING_LABELS = {
    Standing.VALID: _("En vigueur"),
    Standing.NOT_YET_VALID: _("Pas encore en vigueur"),
    Standing.EXPIRED: _("Expiré"),
    Standing.SUSPENDED: _("Suspendu"),
    Standing.REVOKED: _("Retiré"),
    Standing.MISSING: _("Aucun agrément"),
}


def today_in_paris() -> date:
    return timezone.localdate()


def approval_standing_of(approval: Approval | None, *, on: date | None = None) -> str:
    if approval is None:
        return Standing.MISSING
    if approval.status == ApprovalStatus.REVOKED:
        return Standing.REVOKED
    if approval.status == ApprovalStatus.SUSPENDED:
        return Standing.SUSPENDED
    day = on or today_in_paris()
    if day < approval.valid_from:
        return Standing.NOT_YET_VALID
    if day > approval.valid_until:
        return Standing.EXPIRED
    return Standing.VALID


@dataclass(frozen=True)
class OrganisationStanding:
    place: Place
    approval: Approval | None
    standing: str

    @property
    def is_valid(self) -> bool:
        return self.standing == Standing.VALID

    @property
    def label(self) -> str:
        return str(STANDING_LABELS[self.standing])


def approval_of_place(*, place_id: int) -> Approval | None:
    """The place's live approval (granted or suspended), else its latest revoked one, else None."""
    approvals = Approval.objects.filter(place_id=place_id).select_related("place", "place__department")
    return approvals.exclude(status=ApprovalStatus.REVOKED).first() or approvals.order_by("-status_changed_at").first()


def organisation_standing(*, place: Place, on: date | None = None) -> OrganisationStanding:
    approval = approval_of_place(place_id=place.pk)
    return OrganisationStanding(place=place, approval=approval, standing=approval_standing_of(approval, on=on))


def currently_valid_q(*, on: date | None = None, prefix: str = "") -> Q:
    day = on or today_in_paris()
    return Q(
        **{
            f"{prefix}status": ApprovalStatus.GRANTED,
            f"{prefix}valid_from__lte": day,
            f"{prefix}valid_until__gte": day,
        }
    )


def approvals_public(
    *,
    department_code: str | None = None,
    commune: str = "",
    kind: str = "",
    operation: str = "",
    on: date | None = None,
) -> list[Approval]:
    """Currently valid approvals of open places, for the public list. `commune`: name or postal code, as typed."""
    approvals = Approval.objects.filter(currently_valid_q(on=on), place__is_active=True).select_related(
        "place", "place__department"
    )
    if department_code:
        approvals = approvals.filter(place__department_id=department_code)
    if kind:
        approvals = approvals.filter(kind=kind)
    if commune.strip():
        text = commune.strip()
        approvals = approvals.filter(Q(place__city__icontains=text) | Q(place__postal_code=text))
    result = list(approvals.order_by("place__department_id", "place__city", "place__name"))
    if operation:
        # A JSON list: filtered here so that SQLite and PostgreSQL agree (a few hundred rows per département).
        result = [approval for approval in result if operation in approval.operations]
    return result


def approvals_of_departments(*, department_codes: list[str]) -> QuerySet[Approval]:
    return Approval.objects.filter(place__department_id__in=department_codes).select_related(
        "place", "place__department"
    )


def approvals_expiring(*, department_codes: list[str], on: date | None = None) -> QuerySet[Approval]:
    """Granted approvals whose last valid day falls within the next 60 days (today included)."""
    day = on or today_in_paris()
    return (
        approvals_of_departments(department_codes=department_codes)
        .filter(status=ApprovalStatus.GRANTED, valid_until__gte=day, valid_until__lte=day + timedelta(days=60))
        .order_by("valid_until", "number")
    )


def approval_history(*, approval: Approval) -> QuerySet[ApprovalEvent]:
    return ApprovalEvent.objects.filter(approval=approval).select_related("actor").order_by("created_at", "id")


def places_awaiting_approval(*, department_codes: list[str]) -> QuerySet[Place]:
    """Driving schools and car professionals of the départements without a live approval."""
    live = Approval.objects.exclude(status=ApprovalStatus.REVOKED).values("place_id")
    return (
        Place.objects.filter(department_id__in=department_codes, kind__in=TRUSTED_PARTY_KINDS)
        .exclude(pk__in=live)
        .order_by("department_id", "name")
    )


def staff_assignments(*, place: Place) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(place=place, role__in=STAFF_ROLES, revoked_at__isnull=True)
        .select_related("user", "membership")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def staff_places_of(*, user: User) -> list[Place]:
    assignments = RoleAssignment.objects.filter(
        user=user, role__in=STAFF_ROLES, revoked_at__isnull=True, place__isnull=False
    ).select_related("place", "place__department")
    return [assignment.place for assignment in assignments.order_by("place__name") if assignment.place is not None]


def staff_assignment_of(*, user: User, place: Place) -> RoleAssignment | None:
    if not user.is_authenticated:
        return None
    return (
        RoleAssignment.objects.filter(user=user, place=place, role__in=STAFF_ROLES, revoked_at__isnull=True)
        .select_related("membership")
        .first()
    )


def is_organisation_manager(*, user: User, place: Place) -> bool:
    assignment = staff_assignment_of(user=user, place=place)
    return bool(assignment is not None and getattr(assignment, "membership", None) and assignment.membership.is_manager)


def invitations_open(*, place: Place) -> QuerySet[StaffInvitation]:
    return StaffInvitation.objects.filter(
        place=place, accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def client_dossiers_by_mandate(*, place: Place) -> dict[str, list[Dossier]]:
    """The dossiers the place's staff filed for clients, by the reference of the mandate they were filed under."""
    grouped: dict[str, list[Dossier]] = {}
    for dossier in Dossier.objects.filter(data__filed_by__place_id=place.pk).order_by("created_at"):
        grouped.setdefault(str(dossier.data["filed_by"].get("mandate", "")), []).append(dossier)
    return grouped
