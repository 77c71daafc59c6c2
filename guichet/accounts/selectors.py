from django.db.models import QuerySet

from .models import RoleAssignment, User
from .roles import ROLES_REQUIRING_TWO_FACTOR, Role


def role_assignments_active_for(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("place", "department")


def roles_of(*, user: User) -> set[str]:
    """Every authenticated account is a citizen; other roles come from active assignments."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_guichet_roles", None)
    if cached is None:
        cached = {Role.CITIZEN.value, *role_assignments_active_for(user=user).values_list("role", flat=True)}
        user._guichet_roles = cached  # type: ignore[attr-defined]
    return cached


def requires_two_factor(*, user: User) -> bool:
    return bool(roles_of(user=user) & ROLES_REQUIRING_TWO_FACTOR) or user.is_staff or user.is_superuser
