"""Creating dossiers and moving them through their procedure's transition table."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.models import AuditAction
from guichet.audit.services import SYSTEM, audit_record
from guichet.core.exceptions import InvalidInput, PermissionDenied, TransitionNotAllowed
from guichet.territory.models import Department

from .. import registry
from ..models import Dossier, EventKind
from ..policy import DossierPolicy
from ..workflow import Actor, Status
from .actors import account_agent_role, audit_actor, event_record, pick_role
from .errors import StaleDossier

DECISION_TARGETS = frozenset({Status.ACCEPTED, Status.REFUSED})


@transaction.atomic
def dossier_create(
    *,
    procedure: str | registry.Procedure,
    applicant: Any,
    actor: Any,
    data: dict[str, Any] | None = None,
    department: Department | None = None,
) -> Dossier:
    """A new draft for `applicant`; `actor` is the applicant or someone starting it for them."""
    code = procedure.code if isinstance(procedure, registry.Procedure) else procedure
    try:
        registry.get(code)
    except registry.UnknownProcedure:
        raise InvalidInput(_("Cette démarche n'existe pas."), code="unknown_procedure") from None
    if data is not None and not isinstance(data, dict):
        raise InvalidInput(code="invalid_dossier_data")
    dossier = Dossier.objects.create(procedure=code, applicant=applicant, department=department, data=data or {})
    role = Actor.APPLICANT if actor is not None and actor.pk == applicant.pk else account_agent_role(actor)
    who = audit_actor(actor, role, dossier) if actor is not None else SYSTEM
    event_record(dossier=dossier, kind=EventKind.CREATED, actor=who, data={"procedure": code})
    audit_record(
        action=AuditAction.DOSSIER_CHANGED,
        actor=who,
        dossier_id=dossier.pk,
        subject_user_id=applicant.pk,
        object_type="dossier",
        object_id=dossier.pk,
        data={"change": "created", "procedure": code},
    )
    return dossier


def _check_required_documents(dossier: Dossier, procedure: registry.Procedure) -> None:
    required = {rule.kind for rule in procedure.documents if rule.is_required}
    if not required:
        return
    present = set(dossier.documents.filter(purged_at__isnull=True).values_list("kind", flat=True))
    missing = sorted(required - present)
    if missing:
        labels = ", ".join(str(rule.label) for rule in procedure.documents if rule.kind in missing)
        raise TransitionNotAllowed(
            _("Il manque des pièces obligatoires : %(labels)s.") % {"labels": labels},
            code="missing_documents",
            missing=missing,
        )


@transaction.atomic
def dossier_transition(
    *,
    dossier: Dossier,
    name: str,
    actor: Any,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Fires transition `name` if the procedure's table allows it for the actor's roles on this dossier.

    `actor=None` means the system (scheduled jobs). The row is locked, and the version the caller saw
    (`expected_version`, by default the one loaded in `dossier`) must still be current: two agents
    clicking at once cannot both win.
    """
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    seen_version = dossier.version if expected_version is None else expected_version
    if locked.version != seen_version:
        raise StaleDossier(current_version=locked.version)
    procedure = registry.get_or_generic(locked.procedure)
    roles = {Actor.SYSTEM.value} if actor is None else DossierPolicy.dossier_roles(actor, locked)
    if actor is not None and not roles:
        raise PermissionDenied()
    transition = procedure.transitions.check(name, current=locked.status, roles=roles)
    if transition.target in DECISION_TARGETS and procedure.decision_needs_motive and not (data or {}).get("motive"):
        raise InvalidInput(
            _("Cette décision doit être motivée : choisissez un motif dans la liste des motifs de décision."),
            code="decision_motive_required",
        )
    if transition.target == Status.SUBMITTED:
        _check_required_documents(locked, procedure)

    now = timezone.now()
    previous = locked.status
    locked.status = transition.target
    locked.status_changed_at = now
    if transition.target == Status.SUBMITTED and locked.submitted_at is None:
        locked.submitted_at = now
    if transition.target in DECISION_TARGETS and locked.decided_at is None:
        locked.decided_at = now
    locked.version += 1
    locked.save(update_fields=["status", "status_changed_at", "submitted_at", "decided_at", "version", "updated_at"])

    role = Actor.SYSTEM if actor is None else pick_role(roles, transition.by)
    who = audit_actor(actor, role, locked)
    event_data: dict[str, Any] = {"transition": name, "from": previous, "to": locked.status}
    if data:
        event_data["details"] = data
    event_record(dossier=locked, kind=EventKind.TRANSITION, actor=who, data=event_data)
    audit_record(
        action=AuditAction.DOSSIER_TRANSITION,
        actor=who,
        dossier_id=locked.pk,
        subject_user_id=locked.applicant_id,
        object_type="dossier",
        object_id=locked.pk,
        data={"transition": name, "from": previous, "to": locked.status},
    )
    _copy_state(source=locked, target=dossier)
    return locked


def _copy_state(*, source: Dossier, target: Dossier) -> None:
    for field in ("status", "status_changed_at", "submitted_at", "decided_at", "version", "assigned_to_id"):
        setattr(target, field, getattr(source, field))


@transaction.atomic
def dossier_assign(*, dossier: Dossier, actor: Any, assignee: Any = None) -> Dossier:
    """An instructor takes a dossier (or gives it to another instructor who may see it)."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not DossierPolicy.abilities(actor, locked)["assign"]:
        raise PermissionDenied(_("Vous ne pouvez pas prendre ce dossier."), code="assign_not_allowed")
    assignee = assignee or actor
    if Actor.INSTRUCTOR not in DossierPolicy.dossier_roles(assignee, locked):
        raise InvalidInput(_("Cette personne n'instruit pas les dossiers de ce département."), code="invalid_assignee")
    if locked.assigned_to_id == assignee.pk:
        return locked
    previous_id = locked.assigned_to_id
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to", "updated_at"])
    who = audit_actor(actor, Actor.INSTRUCTOR, locked)
    event_record(dossier=locked, kind=EventKind.ASSIGNED, actor=who, data={"reassigned": previous_id is not None})
    audit_record(
        action=AuditAction.DOSSIER_CHANGED,
        actor=who,
        dossier_id=locked.pk,
        subject_user_id=locked.applicant_id,
        object_type="dossier",
        object_id=locked.pk,
        data={"change": "assigned", "assignee_id": assignee.pk, "previous_assignee_id": previous_id},
    )
    _copy_state(source=locked, target=dossier)
    return locked


def dossier_record_view(*, dossier: Dossier, actor: Any, role: str) -> None:
    """Journals an agent opening a dossier (the citizen sees it in "who viewed my dossier")."""
    audit_record(
        action=AuditAction.DOSSIER_VIEWED,
        actor=audit_actor(actor, role, dossier),
        dossier_id=dossier.pk,
        subject_user_id=dossier.applicant_id,
        object_type="dossier",
        object_id=dossier.pk,
    )
