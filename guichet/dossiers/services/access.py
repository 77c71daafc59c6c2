"""Granting and revoking access to one dossier: the only way features outside `dossiers` change who may act."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.roles import Role
from guichet.accounts.selectors import roles_of
from guichet.audit.models import AuditAction
from guichet.audit.services import SYSTEM, audit_record
from guichet.audit.services import Actor as AuditActor
from guichet.core.exceptions import InvalidInput

from ..models import AccessRole, Dossier, DossierAccess, EventKind
from ..policy import DossierPolicy
from .actors import account_agent_role, audit_actor, event_record, pick_role
from .errors import AccessAlreadyGranted

# The account-level roles a grantee must hold one of for each kind of grant (a representative only needs an
# account). A mairie agent may help as a mediator does (mairies without a collection station do). A trusted party
# is the staff of an approved driving school or car professional.
_REQUIRED_ACCOUNT_ROLE = {
    AccessRole.TRUSTED_PARTY: {Role.DRIVING_SCHOOL_STAFF.value, Role.CAR_PROFESSIONAL_STAFF.value},
    AccessRole.MEDIATOR: {Role.MEDIATOR.value, Role.MAIRIE_AGENT.value},
    AccessRole.MAIRIE_AGENT: {Role.MAIRIE_AGENT.value},
    AccessRole.INSTRUCTOR: {Role.INSTRUCTOR.value},
}


def _grantor(actor: Any, dossier: Dossier) -> AuditActor:
    """How the person granting is recorded: their role on the dossier, else their agent role, else none."""
    if actor is None:
        return SYSTEM
    roles = DossierPolicy.dossier_roles(actor, dossier)
    if roles:
        return audit_actor(actor, pick_role(roles), dossier)
    return audit_actor(actor, account_agent_role(actor), dossier)


@transaction.atomic
def dossier_access_grant(
    *,
    dossier: Dossier,
    user: Any,
    role: str,
    actor: Any,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    reason: str = "",
) -> DossierAccess:
    """Gives `user` the dossier-level `role` on `dossier` for a period. The caller has checked its own rules
    (a signed mandate, a mediation session, an appointment); this service checks the grant itself."""
    if role not in AccessRole.values:
        raise InvalidInput(_("Ce type d'accès n'existe pas."), code="invalid_access_role")
    if user.pk == dossier.applicant_id:
        raise InvalidInput(_("Le demandeur a déjà accès à son dossier."), code="access_to_applicant")
    needed = _REQUIRED_ACCOUNT_ROLE.get(AccessRole(role))
    if needed is not None and not needed & roles_of(user=user):
        raise InvalidInput(_("Cette personne n'a pas le rôle nécessaire pour cet accès."), code="grantee_lacks_role")
    now = timezone.now()
    valid_from = valid_from or now
    if valid_until is not None and valid_until <= valid_from:
        raise InvalidInput(_("La fin de l'accès doit être postérieure à son début."), code="invalid_access_period")

    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    current = DossierAccess.objects.select_for_update().filter(
        dossier=locked, user=user, role=role, revoked_at__isnull=True
    )
    for existing in current:
        if existing.valid_until is not None and existing.valid_until <= now:
            # An expired grant is closed so that a new one may be opened; its history stays.
            existing.revoked_at = now
            existing.save(update_fields=["revoked_at"])
        else:
            raise AccessAlreadyGranted(access_id=existing.pk)
    try:
        with transaction.atomic():
            access = DossierAccess.objects.create(
                dossier=locked,
                user=user,
                role=role,
                granted_by=actor,
                reason=reason[:200],
                valid_from=valid_from,
                valid_until=valid_until,
            )
    except IntegrityError:
        raise AccessAlreadyGranted() from None

    who = _grantor(actor, locked)
    details = {
        "access_id": access.pk,
        "role": role,
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat() if valid_until else None,
    }
    event_record(dossier=locked, kind=EventKind.ACCESS_GRANTED, actor=who, data=details)
    audit_record(
        action=AuditAction.ACCESS_GRANTED,
        actor=who,
        dossier_id=locked.pk,
        subject_user_id=user.pk,
        object_type="dossier_access",
        object_id=access.pk,
        data=details,
    )
    return access


@transaction.atomic
def dossier_access_revoke(*, access: DossierAccess, actor: Any, reason: str = "") -> DossierAccess:
    """Ends a grant now. Revoking an already revoked grant changes nothing and journals nothing."""
    locked = DossierAccess.objects.select_for_update().select_related("dossier").get(pk=access.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    who = _grantor(actor, locked.dossier)
    details = {"access_id": locked.pk, "role": locked.role}
    event_record(dossier=locked.dossier, kind=EventKind.ACCESS_REVOKED, actor=who, data=details)
    audit_record(
        action=AuditAction.ACCESS_REVOKED,
        actor=who,
        dossier_id=locked.dossier_id,
        subject_user_id=locked.user_id,
        object_type="dossier_access",
        object_id=locked.pk,
        data=details,
    )
    access.revoked_at = locked.revoked_at
    return locked
