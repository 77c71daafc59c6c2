"""Who may see and do what on a dossier. `abilities()` and `visible_to()` are twins: tests prove they agree.

A person's *dossier-level roles* (the `Actor` values of the transition table) come from three sources only:
- being the applicant;
- an active `DossierAccess` grant (representative, trusted party, mediator, mairie agent, instructor), the only
  way layer-5 features widen access;
- an instructor role at an instruction centre serving the dossier's département, once the dossier was submitted.

`capacities` narrows the roles a portal works with: the citizen portal (no second factor) only acts as applicant
or representative (a person acting for the applicant, e.g. a relative); an agent acts as an agent only in their own
portal, behind 2FA, and a trusted party's staff member only in the professional portal, behind its approval checks.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from guichet.accounts.models import RoleAssignment
from guichet.accounts.roles import Role
from guichet.accounts.selectors import role_assignments_active_for
from guichet.core import references
from guichet.territory.models import PlaceKind

from . import registry
from .models import AccessRole, Dossier, DossierAccess
from .workflow import Actor, Status

CITIZEN_CAPACITIES = frozenset({Actor.APPLICANT, Actor.REPRESENTATIVE})
INSTRUCTION_CAPACITIES = frozenset({Actor.INSTRUCTOR})
TRUSTED_PARTY_CAPACITIES = frozenset({Actor.TRUSTED_PARTY})
ALL_CAPACITIES = frozenset(set(Actor) - {Actor.SYSTEM})

# Roles that may change the content of a dossier (data, documents) while the applicant can still edit it.
EDITING_ROLES = frozenset(
    {Actor.APPLICANT, Actor.REPRESENTATIVE, Actor.TRUSTED_PARTY, Actor.MEDIATOR, Actor.MAIRIE_AGENT}
)
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.AWAITING_COMPLEMENT})
ASSIGNABLE_STATUSES = frozenset({Status.SUBMITTED, Status.IN_INSTRUCTION, Status.AWAITING_COMPLEMENT})
# Roles that see the "who viewed or changed this dossier" table (the applicant's own, not a trusted party's).
ACCESS_LOG_ROLES = frozenset({Actor.APPLICANT, Actor.REPRESENTATIVE})

_ACCESS_ROLE_TO_ACTOR = {
    AccessRole.REPRESENTATIVE: Actor.REPRESENTATIVE,
    AccessRole.TRUSTED_PARTY: Actor.TRUSTED_PARTY,
    AccessRole.MEDIATOR: Actor.MEDIATOR,
    AccessRole.MAIRIE_AGENT: Actor.MAIRIE_AGENT,
    AccessRole.INSTRUCTOR: Actor.INSTRUCTOR,
}


def _active_access_q(now: Any) -> Q:
    return Q(revoked_at__isnull=True, valid_from__lte=now) & (Q(valid_until__isnull=True) | Q(valid_until__gt=now))


def _instructor_assignments(user: Any) -> QuerySet[RoleAssignment]:
    return role_assignments_active_for(user=user).filter(
        role=Role.INSTRUCTOR, place__kind=PlaceKind.INSTRUCTION_CENTRE, place__is_active=True
    )


# `dossier_access` reads the role facts in the same SELECT as the dossier (one EXISTS per source below) and
# leaves the roles on the instance it returns, so that the view, its template tags and its services do not ask
# again within the request. The memo is only reused for the same user, the same capacities and the same values of
# the dossier fields the roles depend on (a submission in the same request makes it recompute). It cannot outlive
# the request: it lives on the instance `dossier_access` loaded for it. Services that change grants or decide
# under a row lock work on their own `select_for_update()` instance, which has no memo, so those checks still read
# the database.
_ROLES_MEMO = "_policy_roles_memo"
_GRANT_ANNOTATION = "_policy_grant_{}"
_INSTRUCTOR_ANNOTATION = "_policy_instructor_serves"


def _roles_memo_key(user: Any, dossier: Dossier, wanted: frozenset[str]) -> tuple[Any, ...]:
    return (user.pk, wanted, dossier.pk, dossier.applicant_id, dossier.submitted_at is not None, dossier.department_id)


def _role_annotations(user: Any, wanted: frozenset[str]) -> dict[str, Exists]:
    """The facts `dossier_roles` needs, as EXISTS columns of the dossier query (same conditions as its queries)."""
    now = timezone.now()
    annotations = {
        _GRANT_ANNOTATION.format(access_role.value): Exists(
            DossierAccess.objects.filter(_active_access_q(now), dossier_id=OuterRef("pk"), user=user, role=access_role)
        )
        for access_role, actor in _ACCESS_ROLE_TO_ACTOR.items()
        if actor in wanted
    }
    if Actor.INSTRUCTOR in wanted:
        annotations[_INSTRUCTOR_ANNOTATION] = Exists(
            _instructor_assignments(user).filter(place__served_departments=OuterRef("department_id"))
        )
    return annotations


class DossierPolicy:
    @staticmethod
    def dossier_roles(user: Any, dossier: Dossier, *, capacities: Iterable[str] = ALL_CAPACITIES) -> set[str]:
        """The transition-table roles `user` holds on `dossier`, limited to `capacities`."""
        if user is None or not user.is_authenticated or not user.is_active:
            return set()
        wanted = frozenset(capacities)
        memo = dossier.__dict__.get(_ROLES_MEMO)
        if memo is not None and memo[0] == _roles_memo_key(user, dossier, wanted):
            return set(memo[1])
        return DossierPolicy._roles_from(user, dossier, wanted, annotated=False)

    @staticmethod
    def _roles_from(user: Any, dossier: Dossier, wanted: frozenset[str], *, annotated: bool) -> set[str]:
        """The roles, from the EXISTS columns of `_role_annotations` if `annotated`, else from two queries."""
        roles: set[str] = set()
        if Actor.APPLICANT in wanted and dossier.applicant_id == user.pk:
            roles.add(Actor.APPLICANT)
        granted_roles = {r for r, actor in _ACCESS_ROLE_TO_ACTOR.items() if actor in wanted}
        if granted_roles:
            if annotated:
                granted: Iterable[str] = [
                    r for r in granted_roles if getattr(dossier, _GRANT_ANNOTATION.format(AccessRole(r).value))
                ]
            else:
                granted = DossierAccess.objects.filter(
                    _active_access_q(timezone.now()), dossier_id=dossier.pk, user=user, role__in=sorted(granted_roles)
                ).values_list("role", flat=True)
            roles.update(_ACCESS_ROLE_TO_ACTOR[AccessRole(r)] for r in granted)
        if (
            Actor.INSTRUCTOR in wanted
            and Actor.INSTRUCTOR not in roles
            and dossier.submitted_at is not None
            and dossier.department_id is not None
            and (
                getattr(dossier, _INSTRUCTOR_ANNOTATION)
                if annotated
                else _instructor_assignments(user).filter(place__served_departments=dossier.department_id).exists()
            )
        ):
            roles.add(Actor.INSTRUCTOR)
        return roles

    @classmethod
    def visible_to(cls, user: Any, *, capacities: Iterable[str] = ALL_CAPACITIES) -> QuerySet[Dossier]:
        """Every dossier on which `user` holds at least one role within `capacities`; one SQL query, no loop."""
        if user is None or not user.is_authenticated or not user.is_active:
            return Dossier.objects.none()
        wanted = set(capacities)
        condition = Q(pk__in=[])
        # The person's own dossiers and their grants form one id subquery (a UNION of two index lookups):
        # `applicant = X OR id IN (grants)` would make PostgreSQL read every dossier.
        own_ids: list[QuerySet[Any, Any]] = []
        if Actor.APPLICANT in wanted:
            own_ids.append(Dossier.objects.filter(applicant=user).values("pk"))
        granted_roles = {r for r, actor in _ACCESS_ROLE_TO_ACTOR.items() if actor in wanted}
        if granted_roles:
            own_ids.append(
                DossierAccess.objects.filter(
                    _active_access_q(timezone.now()), user=user, role__in=sorted(granted_roles)
                ).values("dossier_id")
            )
        if own_ids:
            condition |= Q(pk__in=own_ids[0].union(*own_ids[1:]) if len(own_ids) > 1 else own_ids[0])
        if Actor.INSTRUCTOR in wanted:
            condition |= Q(
                submitted_at__isnull=False,
                department__in=_instructor_assignments(user)
                .filter(place__served_departments__isnull=False)
                .values("place__served_departments"),
            )
        return Dossier.objects.filter(condition)

    @classmethod
    def abilities(cls, user: Any, dossier: Dossier, *, capacities: Iterable[str] = ALL_CAPACITIES) -> dict[str, bool]:
        roles = cls.dossier_roles(user, dossier, capacities=capacities)
        can_view = bool(roles)
        procedure = registry.get_or_generic(dossier.procedure)
        available = set(procedure.transitions.available(current=dossier.status, roles=roles)) if roles else set()
        can_edit = can_view and dossier.status in EDITABLE_STATUSES and bool(roles & EDITING_ROLES)
        result = {
            "view": can_view,
            "view_documents": can_view,
            "view_access_log": bool(roles & ACCESS_LOG_ROLES),
            "edit": can_edit,
            "upload": can_edit and bool(procedure.documents),
            "assign": Actor.INSTRUCTOR in roles and dossier.status in ASSIGNABLE_STATUSES,
        }
        for name in procedure.transitions.transitions:
            result[name] = name in available
        return result


def parse_reference(raw: str) -> str | None:
    reference = references.normalize(raw or "")
    return reference if references.is_valid(reference) else None


def dossier_access(
    *,
    user: Any,
    reference_or_id: str | int,
    action: str = "view",
    capacities: Iterable[str] = ALL_CAPACITIES,
    related: Iterable[str] = (),
) -> Dossier:
    """The dossier if `user` may do `action` on it; Http404 otherwise — the same answer for missing and forbidden.
    `related`: more foreign keys to load with it (e.g. "applicant"), as `select_related`."""
    capacities = frozenset(capacities)
    if user is None or not user.is_authenticated or not user.is_active:
        raise Http404
    # No `visible_to` filter: the roles read with the dossier decide, as `abilities` does for any dossier (the two
    # are twins, see the tests); a dossier on which the user holds no role answers 404 below.
    queryset = Dossier.objects.select_related("department", *related)
    if isinstance(reference_or_id, int):
        queryset = queryset.filter(pk=reference_or_id)
    else:
        reference = parse_reference(reference_or_id)
        queryset = queryset.filter(reference=reference) if reference else queryset.none()
    # One query: the dossier and the facts behind the user's roles on it (see `_ROLES_MEMO`).
    dossier = queryset.annotate(**_role_annotations(user, capacities)).first()
    if dossier is not None:
        roles = DossierPolicy._roles_from(user, dossier, capacities, annotated=True)
        dossier.__dict__[_ROLES_MEMO] = (_roles_memo_key(user, dossier, capacities), frozenset(roles))
    if dossier is None or not DossierPolicy.abilities(user, dossier, capacities=capacities).get(action, False):
        raise Http404
    return dossier
