"""How the people acting on a dossier are recorded: a role and an organisation, never an agent's name."""

from typing import Any

from guichet.accounts.roles import Role
from guichet.accounts.selectors import active_assignments_of, roles_of
from guichet.audit.services import SYSTEM
from guichet.audit.services import Actor as AuditActor

from ..models import Dossier, DossierEvent
from ..workflow import Actor

# When a person holds several roles on a dossier, the one recorded is the first of this order that may act.
ROLE_PRIORITY = (
    Actor.APPLICANT,
    Actor.REPRESENTATIVE,
    Actor.TRUSTED_PARTY,
    Actor.MEDIATOR,
    Actor.MAIRIE_AGENT,
    Actor.INSTRUCTOR,
)

# The account roles behind each dossier-level agent role (a mairie agent may help as a mediator does). A
# representative (a relative) acts for no organisation.
_AGENT_ROLES = {
    Actor.MAIRIE_AGENT: (Role.MAIRIE_AGENT,),
    Actor.INSTRUCTOR: (Role.INSTRUCTOR,),
    Actor.MEDIATOR: (Role.MEDIATOR, Role.MAIRIE_AGENT),
    # A professional acting under a client mandate is recorded with its establishment.
    Actor.TRUSTED_PARTY: (Role.DRIVING_SCHOOL_STAFF, Role.CAR_PROFESSIONAL_STAFF),
}


def pick_role(roles: set[str], allowed: set[str] | frozenset[str] | None = None) -> str:
    candidates = roles & set(allowed) if allowed is not None else roles
    for role in ROLE_PRIORITY:
        if role in candidates:
            return role
    return Actor.SYSTEM


def account_agent_role(user: Any) -> str:
    """For someone acting without a role on the dossier yet (e.g. starting it for a citizen): their agent role."""
    agent_roles = sorted(roles_of(user=user) - {Role.CITIZEN.value})
    return agent_roles[0] if agent_roles else Actor.REPRESENTATIVE.value


def organisation_of(user: Any, dossier_role: str) -> str:
    """The organisation an agent acts for, taken from their active role assignment (a place's name)."""
    agent_roles = _AGENT_ROLES.get(Actor(dossier_role)) if dossier_role in Actor.values else None
    if agent_roles is None or user is None:
        return ""
    assignments = active_assignments_of(user=user)  # already read by the portal gate in a request
    for agent_role in agent_roles:
        assignment = next((a for a in assignments if a.role == agent_role), None)
        if assignment is not None:
            return assignment.organisation_label
    return ""


def audit_actor(user: Any, dossier_role: str, dossier: Dossier | None = None) -> AuditActor:
    if user is None or dossier_role == Actor.SYSTEM:
        return SYSTEM
    on_behalf_of = dossier.applicant_id if dossier is not None and dossier.applicant_id != user.pk else None
    return AuditActor(
        user_id=user.pk,
        role=str(dossier_role),
        organisation=organisation_of(user, dossier_role),
        on_behalf_of_id=on_behalf_of,
    )


def event_record(*, dossier: Dossier, kind: str, actor: AuditActor, data: dict[str, Any] | None = None) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        actor_id=actor.user_id,
        actor_role=actor.role,
        actor_organisation=actor.organisation,
        on_behalf_of_id=actor.on_behalf_of_id,
        data=data or {},
    )
