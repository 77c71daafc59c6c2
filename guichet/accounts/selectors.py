from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RecoveryCode, RoleAssignment, User, UserSession, VerifiedIdentity
from .roles import ROLES_REQUIRING_TWO_FACTOR, Role


def role_assignments_active_for(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("place", "department")


def active_assignments_of(*, user: User) -> list[RoleAssignment]:
    """The account's active assignments, oldest first, read once and kept on the user object for the request.

    The portal gate (roles_of) and the journal (the organisation an agent acts for) both need them on every agent
    page: one query serves both.
    """
    cached = getattr(user, "_guichet_assignments", None)
    if cached is None:
        cached = list(role_assignments_active_for(user=user).order_by("granted_at", "pk"))
        user._guichet_assignments = cached  # type: ignore[attr-defined]
    return cached


def roles_of(*, user: User) -> set[str]:
    """Every authenticated account is a citizen; other roles come from active assignments."""
    if not user.is_authenticated:
        return set()
    return {Role.CITIZEN.value, *(assignment.role for assignment in active_assignments_of(user=user))}


def forget_cached_roles(*, user: User) -> None:
    """After a grant or a revocation within the request: the next roles_of reads them again."""
    user.__dict__.pop("_guichet_assignments", None)


def requires_two_factor(*, user: User) -> bool:
    return bool(roles_of(user=user) & ROLES_REQUIRING_TWO_FACTOR) or user.is_staff or user.is_superuser


def verified_identity_of(*, user: User) -> VerifiedIdentity | None:
    return VerifiedIdentity.objects.filter(user=user).select_related("verified_at_place", "verified_by").first()


def identity_verifier_role_label(*, identity: VerifiedIdentity | None) -> str:
    """The role under which the verifier checked the identity (shown instead of the agent's name)."""
    if identity is None or identity.verified_by_id is None:
        return ""
    assignment = (
        RoleAssignment.objects.filter(
            user_id=identity.verified_by_id,
            place=identity.verified_at_place,
            role__in=[Role.MEDIATOR, Role.MAIRIE_AGENT],
        )
        .order_by("-granted_at")
        .first()
    )
    return assignment.get_role_display() if assignment else ""


def user_sessions_of(*, user: User) -> QuerySet[UserSession]:
    return UserSession.objects.filter(user=user)


def has_confirmed_second_factor(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
